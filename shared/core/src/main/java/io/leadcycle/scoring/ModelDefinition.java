package io.leadcycle.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scoring model as a user writes it ({@code POST /v1/scoring-models}), validated: name, target,
 * sales-ready threshold, grades, optional minimum consent, rules. docs/scoring.md says what each may
 * hold and mean.
 *
 * @param salesReadyThreshold 1 or more: a score that reaches it makes the lead sales-ready
 * @param grades continuous, non-overlapping score bands, in the order the user wrote them
 * @param minimumConsent the consent purpose (e.g. {@code marketing}) whose value must be {@code true} in
 *     the contact's consent object for the model to score the lead; null: every lead ({@link
 *     ScoringEngine#unscorableReason}). Contact models only.
 * @param rules 1 to 100, ids unique; text values trimmed, numbers in canonical form (BigDecimal without
 *     trailing zeros), so that {@code parse(toBody())} equals the model
 */
public record ModelDefinition(String name, ModelTarget target, int salesReadyThreshold, List<Grade> grades,
    String minimumConsent, List<Rule> rules) {

  public ModelDefinition {
    grades = List.copyOf(grades);
    rules = List.copyOf(rules);
  }

  /**
   * Validates a model body; the {@link io.leadcycle.domain.InvalidInput} names every fault, one entry
   * each, with the rule's position and field ({@code rules[2].withinDays}).
   */
  public static ModelDefinition parse(Map<String, ?> body) {
    return ModelParser.parse(body);
  }

  /**
   * The model as the API shows it and {@link #parse} reads it back (stored as such): plain Maps and
   * Lists, Strings, Integers, BigDecimals (field rule values) and Doubles (half-lives); optional
   * members that are not set are left out.
   */
  public Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("target", target.wireName());
    body.put("salesReadyThreshold", salesReadyThreshold);
    List<Object> gradeBodies = new ArrayList<>();
    for (Grade grade : grades) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("name", grade.name());
      g.put("min", grade.min());
      g.put("max", grade.max());
      gradeBodies.add(g);
    }
    body.put("grades", gradeBodies);
    if (minimumConsent != null) {
      body.put("minimumConsent", minimumConsent);
    }
    List<Object> ruleBodies = new ArrayList<>();
    for (Rule rule : rules) {
      ruleBodies.add(ruleBody(rule));
    }
    body.put("rules", ruleBodies);
    return body;
  }

  private static Map<String, Object> ruleBody(Rule rule) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", rule.id());
    if (rule instanceof FieldRule f) {
      body.put("kind", f.kind().wireName());
      body.put("field", f.field());
      body.put("op", f.op().wireName());
      if (f.value() instanceof List<?> values) {
        body.put("value", new ArrayList<>(values));
      } else if (f.value() != null) {
        body.put("value", f.value());
      }
      body.put("points", f.points());
    } else if (rule instanceof BehavioralRule b) {
      body.put("kind", "behavioral");
      body.put("interaction", b.interaction().wireName());
      body.put("frequency", b.frequency().wireName());
      putIfSet(body, "withinDays", b.withinDays());
      putIfSet(body, "contextId", b.contextId());
      body.put("points", b.points());
      putIfSet(body, "maxPoints", b.maxPoints());
      putIfSet(body, "decayHalfLifeDays", b.decayHalfLifeDays());
    }
    return body;
  }

  private static void putIfSet(Map<String, Object> body, String member, Object value) {
    if (value != null) {
      body.put(member, value);
    }
  }

  /** The contact fields a demographic rule may name besides {@code attributes.<name>}, in order. */
  public static List<String> demographicFields() {
    return RuleFields.DEMOGRAPHIC_NAMES;
  }

  /** The account fields a firmographic rule may name, in order. */
  public static List<String> firmographicFields() {
    return RuleFields.FIRMOGRAPHIC_NAMES;
  }

  /** The name of the grade whose band holds {@code score}, or null. */
  public String gradeOf(int score) {
    for (Grade grade : grades) {
      if (grade.min() <= score && score <= grade.max()) {
        return grade.name();
      }
    }
    return null;
  }
}
