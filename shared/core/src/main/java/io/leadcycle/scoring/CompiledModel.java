package io.leadcycle.scoring;

import io.leadcycle.scoring.RuleFields.ValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model made ready to score many leads: each field rule's values normalized once. The meaning of
 * every rule is here (docs/scoring.md describes it for users).
 */
final class CompiledModel {

  private final ModelDefinition model;
  private final List<Scorer> rules;

  CompiledModel(ModelDefinition model) {
    this.model = model;
    List<Scorer> compiled = new ArrayList<>();
    for (Rule rule : model.rules()) {
      compiled.add(rule instanceof FieldRule f ? new FieldScorer(f) : new BehaviorScorer((BehavioralRule) rule));
    }
    this.rules = List.copyOf(compiled);
  }

  ModelDefinition model() {
    return model;
  }

  ScoreResult score(Facts facts) {
    Map<String, Object> contact = facts.contact() == null ? Map.of() : facts.contact();
    Map<String, Object> account = facts.account() == null ? Map.of() : facts.account();
    Map<String, BehaviorFacts> behavior = facts.behavior() == null ? Map.of() : facts.behavior();
    List<RuleResult> explanation = new ArrayList<>(rules.size());
    double sum = 0;
    for (Scorer rule : rules) {
      RuleResult result = rule.score(contact, account, behavior);
      sum += result.points();
      explanation.add(new RuleResult(result.ruleId(), withinScoreRange(roundToCents(result.points())),
          result.occurrences()));
    }
    int score = roundScore(sum);
    return new ScoreResult(score, model.gradeOf(score), score >= model.salesReadyThreshold(), explanation);
  }

  /** Half up (towards positive infinity: 17.5 gives 18, -2.5 gives -2), within the int range. */
  static int roundScore(double sum) {
    long rounded = Math.round(sum);
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, rounded));
  }

  /**
   * A rule's points as the explanation shows them are held within the range of a score, as the score
   * itself is ({@link #roundScore}): a rule that gave more than a score can hold shows the score's cap.
   */
  static double withinScoreRange(double points) {
    return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, points));
  }

  /** Points as the explanation shows them: 2 decimals, halves up as the score's (-0.125 gives -0.12); never -0. */
  static double roundToCents(double points) {
    if (points == Math.rint(points) || !Double.isFinite(points)) {
      return points + 0.0;
    }
    return BigDecimal.valueOf(points).setScale(2, points > 0 ? RoundingMode.HALF_UP : RoundingMode.HALF_DOWN)
        .doubleValue() + 0.0;
  }

  /** One rule, ready: its unrounded points and occurrences for one lead. */
  private interface Scorer {
    RuleResult score(Map<String, Object> contact, Map<String, Object> account, Map<String, BehaviorFacts> behavior);
  }

  /** A demographic or firmographic rule: its points when the field's value satisfies the op. */
  private static final class FieldScorer implements Scorer {

    private final FieldRule rule;
    private final ValueType type;
    /** The comparison values: a normalized text, or null where {@link #numbers} holds a number. */
    private final String[] texts;
    private final BigDecimal[] numbers;

    FieldScorer(FieldRule rule) {
      this.rule = rule;
      this.type = RuleFields.type(rule.kind(), rule.field());
      if (type == null) {
        throw new IllegalArgumentException("rule " + rule.id() + ": unknown field " + rule.field());
      }
      List<?> values = rule.value() == null ? List.of()
          : rule.value() instanceof List<?> list ? list : List.of(rule.value());
      texts = new String[values.size()];
      numbers = new BigDecimal[values.size()];
      for (int i = 0; i < values.size(); i++) {
        Object value = values.get(i);
        if (value instanceof String s) {
          texts[i] = type.normalize(s);
        } else {
          numbers[i] = Numbers.decimal(value);
        }
      }
    }

    @Override
    public RuleResult score(Map<String, Object> contact, Map<String, Object> account,
        Map<String, BehaviorFacts> behavior) {
      Object raw = (rule.kind() == FieldRule.Kind.DEMOGRAPHIC ? contact : account).get(rule.field());
      boolean fires = fires(raw);
      return new RuleResult(rule.id(), fires ? rule.points() : 0, fires ? 1 : 0);
    }

    boolean fires(Object raw) {
      String normalized = type.normalize(textOf(raw));
      if (normalized == null) {
        return false; // a missing value: only exists could speak of it, and it says no
      }
      return switch (rule.op()) {
        case EXISTS -> true;
        case EQ -> equal(0, raw, normalized);
        case NEQ -> differs(0, raw, normalized);
        case IN -> {
          for (int i = 0; i < texts.length; i++) {
            if (equal(i, raw, normalized)) {
              yield true;
            }
          }
          yield false;
        }
        case CONTAINS -> texts.length > 0 && texts[0] != null && normalized.contains(texts[0]);
        case GT, GTE, LT, LTE -> {
          BigDecimal number = Numbers.factNumber(raw);
          if (number == null || numbers.length == 0 || numbers[0] == null) {
            yield false; // not a number (or a text value): wrong type, the rule does not fire
          }
          int c = number.compareTo(numbers[0]);
          yield switch (rule.op()) {
            case GT -> c > 0;
            case GTE -> c >= 0;
            case LT -> c < 0;
            default -> c <= 0;
          };
        }
      };
    }

    private boolean equal(int i, Object raw, String normalized) {
      if (texts[i] != null) {
        return normalized.equals(texts[i]);
      }
      BigDecimal number = Numbers.factNumber(raw);
      return number != null && numbers[i] != null && number.compareTo(numbers[i]) == 0;
    }

    private boolean differs(int i, Object raw, String normalized) {
      if (texts[i] != null) {
        return !normalized.equals(texts[i]);
      }
      BigDecimal number = Numbers.factNumber(raw);
      return number != null && numbers[i] != null && number.compareTo(numbers[i]) != 0;
    }

    private static String textOf(Object raw) {
      if (raw == null || raw instanceof String) {
        return (String) raw;
      }
      return raw instanceof BigDecimal d ? d.toPlainString() : raw.toString();
    }
  }

  /** A behavioral rule over the facts gathered for it. */
  private static final class BehaviorScorer implements Scorer {

    private final BehavioralRule rule;

    BehaviorScorer(BehavioralRule rule) {
      this.rule = rule;
    }

    @Override
    public RuleResult score(Map<String, Object> contact, Map<String, Object> account,
        Map<String, BehaviorFacts> behavior) {
      BehaviorFacts facts = behavior.getOrDefault(rule.id(), BehaviorFacts.NONE);
      if (facts == null) {
        facts = BehaviorFacts.NONE;
      }
      boolean decays = rule.decayHalfLifeDays() != null;
      double points = switch (rule.frequency()) {
        case EACH -> cap(rule.points() * (decays ? facts.weightSum() : facts.occurrences()));
        case AT_LEAST_ONCE -> facts.occurrences() > 0 ? rule.points() * (decays ? facts.newestWeight() : 1) : 0;
        case NONE -> facts.occurrences() == 0 ? rule.points() : 0;
      };
      return new RuleResult(rule.id(), points + 0.0, facts.occurrences());
    }

    /** {@code maxPoints} bounds the total: |total| <= |maxPoints|, on the side of the points' sign. */
    private double cap(double total) {
      if (rule.maxPoints() == null) {
        return total;
      }
      return rule.points() >= 0 ? Math.min(total, rule.maxPoints()) : Math.max(total, rule.maxPoints());
    }
  }
}
