package io.leadcycle.scoring;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InteractionType;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Normalize;
import io.leadcycle.scoring.RuleFields.ValueType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a model body ({@link ModelDefinition#parse}): every fault is recorded, one {@link FieldError}
 * each with its path ({@code grades[1].min}, {@code rules[2].withinDays}), and thrown together.
 */
final class ModelParser {

  static final List<String> MODEL_MEMBERS =
      List.of("name", "target", "salesReadyThreshold", "grades", "minimumConsent", "rules");
  static final List<String> GRADE_MEMBERS = List.of("name", "min", "max");
  static final List<String> FIELD_RULE_MEMBERS = List.of("id", "kind", "field", "op", "value", "points");
  static final List<String> BEHAVIORAL_RULE_MEMBERS = List.of("id", "kind", "interaction", "frequency", "withinDays",
      "contextId", "points", "maxPoints", "decayHalfLifeDays");

  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_GRADES = 20;
  static final int MAX_GRADE_NAME_LENGTH = 50;
  static final int MAX_CONSENT_LENGTH = 100;
  static final int MAX_RULES = 100;
  static final int MAX_RULE_ID_LENGTH = 100;
  static final int MAX_TEXT_VALUE_LENGTH = 2000;
  static final int MAX_IN_VALUES = 100;
  static final int MAX_CONTEXT_ID_LENGTH = 200;
  static final int MAX_POINTS = 1_000_000;
  static final int MAX_DAYS = 3650;

  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9_.-]+");

  private static final List<String> TARGETS = wireNames(ModelTarget.values(), ModelTarget::wireName);
  private static final List<String> KINDS = List.of("demographic", "firmographic", "behavioral");
  private static final List<String> OPS = wireNames(Op.values(), Op::wireName);
  private static final List<String> FREQUENCIES =
      wireNames(BehavioralRule.Frequency.values(), BehavioralRule.Frequency::wireName);
  private static final List<String> INTERACTIONS = wireNames(InteractionType.values(), InteractionType::wireName);

  private final List<FieldError> errors = new ArrayList<>();

  private ModelParser() {
  }

  static ModelDefinition parse(Map<String, ?> body) {
    if (body == null) {
      throw InvalidInput.ofBody("Send a scoring model: a JSON object with " + String.join(", ", MODEL_MEMBERS) + ".");
    }
    return new ModelParser().model(body);
  }

  private ModelDefinition model(Map<String, ?> body) {
    rejectUnknown(body, MODEL_MEMBERS, "");
    String name = requiredText(body, "name", "name", MAX_NAME_LENGTH);
    ModelTarget target = requiredEnum(body, "target", "target", ModelTarget::fromWireName, TARGETS);
    Long threshold = requiredInteger(body, "salesReadyThreshold", "salesReadyThreshold", 1, Integer.MAX_VALUE,
        "an integer, 1 or more (every lead starts at 0 points: a threshold of 0 or less would make every lead "
            + "sales-ready at once)");
    List<Grade> grades = grades(body.get("grades"));
    String minimumConsent = optionalText(body, "minimumConsent", "minimumConsent", MAX_CONSENT_LENGTH);
    if (minimumConsent != null && target == ModelTarget.ACCOUNT) {
      errors.add(new FieldError("minimumConsent", "an account model scores leads that have no contact, and so no "
          + "consent: leave minimumConsent out (or use target contact)"));
    }
    List<Rule> rules = rules(body.get("rules"), target);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new ModelDefinition(name, target, Math.toIntExact(threshold), grades, minimumConsent, rules);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Grades

  private List<Grade> grades(Object raw) {
    String what = "a list of score bands {name, min, max} (integers, min <= max), continuous and non-overlapping";
    if (!(raw instanceof List<?> list)) {
      errors.add(new FieldError("grades", (raw == null ? "required: " : "must be ") + what));
      return List.of();
    }
    if (list.isEmpty()) {
      errors.add(new FieldError("grades", "needs at least one grade: " + what));
      return List.of();
    }
    if (list.size() > MAX_GRADES) {
      errors.add(new FieldError("grades", "at most " + MAX_GRADES + " grades (got " + list.size() + ")"));
      return List.of();
    }
    int errorsBefore = errors.size();
    List<Grade> grades = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "grades[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> item)) {
        errors.add(new FieldError(path, "must be an object {name, min, max}"));
        continue;
      }
      rejectUnknown(item, GRADE_MEMBERS, path + ".");
      String name = requiredText(item, "name", path + ".name", MAX_GRADE_NAME_LENGTH);
      if (name != null) {
        Integer other = names.putIfAbsent(Normalize.text(name), i);
        if (other != null) {
          errors.add(new FieldError(path + ".name", "grade names must be unique: grades[" + other + "] is also called '"
              + name + "' (compared ignoring case)"));
        }
      }
      Long min = requiredInteger(item, "min", path + ".min", Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
      Long max = requiredInteger(item, "max", path + ".max", Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
      if (min != null && max != null && min > max) {
        errors.add(new FieldError(path + ".max", "must be at least min (" + min + "): a grade holds the scores from "
            + "min to max, both included"));
      }
      if (name != null && min != null && max != null) {
        grades.add(new Grade(name, Math.toIntExact(min), Math.toIntExact(max)));
      }
    }
    if (errors.size() == errorsBefore) {
      checkContinuity(grades);
    }
    return grades;
  }

  /** Sorted by min, each grade must start right after the one before ends (no gap, no overlap). */
  private void checkContinuity(List<Grade> grades) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < grades.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> grades.get(i).min()));
    for (int k = 1; k < order.size(); k++) {
      int p = order.get(k - 1);
      int n = order.get(k);
      Grade prev = grades.get(p);
      Grade next = grades.get(n);
      long expected = (long) prev.max() + 1;
      if (next.min() == expected) {
        continue;
      }
      String path = "grades[" + n + "].min";
      String rule = "sorted by min, each grade must start right after the one before it ends (continuous, "
          + "non-overlapping)";
      if (next.min() <= prev.max()) {
        errors.add(new FieldError(path, "overlaps grade '" + prev.name() + "' (grades[" + p + "], " + prev.min()
            + " to " + prev.max() + "): must be " + expected + "; " + rule));
      } else {
        errors.add(new FieldError(path, "leaves a gap after grade '" + prev.name() + "' (grades[" + p
            + "], which ends at " + prev.max() + "): must be " + expected + "; " + rule));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rules

  private List<Rule> rules(Object raw, ModelTarget target) {
    String what = "a list of rules (demographic, firmographic or behavioral)";
    if (!(raw instanceof List<?> list)) {
      errors.add(new FieldError("rules", (raw == null ? "required: " : "must be ") + what));
      return List.of();
    }
    if (list.isEmpty()) {
      errors.add(new FieldError("rules", "needs at least one rule: " + what));
      return List.of();
    }
    if (list.size() > MAX_RULES) {
      errors.add(new FieldError("rules", "at most " + MAX_RULES + " rules (got " + list.size() + ")"));
      return List.of();
    }
    List<Rule> rules = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Rule rule = rule(i, list.get(i), target, ids);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private Rule rule(int index, Object raw, ModelTarget target, Map<String, Integer> ids) {
    String path = "rules[" + index + "]";
    if (!(raw instanceof Map<?, ?> item)) {
      errors.add(new FieldError(path, "must be an object: {id, kind, ...}"));
      return null;
    }
    String p = path + ".";
    int errorsBefore = errors.size();
    String id = requiredText(item, "id", p + "id", MAX_RULE_ID_LENGTH);
    if (id != null) {
      if (!RULE_ID.matcher(id).matches()) {
        errors.add(new FieldError(p + "id", "use letters, digits, '_', '.', '-' (" + MAX_RULE_ID_LENGTH + " at most)"));
      } else {
        Integer other = ids.putIfAbsent(id, index);
        if (other != null) {
          errors.add(new FieldError(p + "id", "rule ids must be unique: rules[" + other + "] has id '" + id + "' too"));
        }
      }
    }
    String kind = requiredEnum(item, "kind", p + "kind", k -> KINDS.contains(k) ? Optional.of(k) : Optional.empty(),
        KINDS);
    if (kind == null) {
      requiredInteger(item, "points", p + "points", -MAX_POINTS, MAX_POINTS, pointsRule());
      return null;
    }
    Rule rule = kind.equals("behavioral") ? behavioral(item, p, id)
        : fieldRule(item, p, id, FieldRule.Kind.fromWireName(kind).orElseThrow(), target);
    return errors.size() == errorsBefore ? rule : null;
  }

  private Rule fieldRule(Map<?, ?> item, String p, String id, FieldRule.Kind kind, ModelTarget target) {
    rejectUnknown(item, FIELD_RULE_MEMBERS, p);
    if (kind == FieldRule.Kind.DEMOGRAPHIC && target == ModelTarget.ACCOUNT) {
      errors.add(new FieldError(p + "kind", "an account model scores leads that have no contact: use firmographic "
          + "or behavioral rules (or target contact)"));
    }
    String field = null;
    if (item.get("field") == null) {
      errors.add(new FieldError(p + "field", "required: " + fieldList(kind)));
    } else {
      field = requiredText(item, "field", p + "field", 200);
    }
    ValueType type = null;
    if (field != null) {
      type = RuleFields.type(kind, field);
      if (type == null) {
        errors.add(new FieldError(p + "field", unknownField(kind, field)));
      }
    }
    Op op = requiredEnum(item, "op", p + "op", Op::fromWireName, OPS);
    Long points = requiredInteger(item, "points", p + "points", -MAX_POINTS, MAX_POINTS, pointsRule());
    Object value = null;
    if (type != null && op != null) {
      String unsupported = unsupportedOp(type, op, field);
      if (unsupported != null) {
        errors.add(new FieldError(p + "op", unsupported));
      } else {
        value = value(item.get("value"), p + "value", type, op, field);
      }
    }
    if (id == null || type == null || op == null || points == null) {
      return null;
    }
    return new FieldRule(id, kind, field, op, value, Math.toIntExact(points));
  }

  private static String fieldList(FieldRule.Kind kind) {
    return kind == FieldRule.Kind.DEMOGRAPHIC
        ? "demographic rules use one of: " + String.join(", ", RuleFields.DEMOGRAPHIC_NAMES)
            + ", or attributes.<name> for a custom field"
        : "firmographic rules use one of: " + String.join(", ", RuleFields.FIRMOGRAPHIC_NAMES);
  }

  private static String unknownField(FieldRule.Kind kind, String field) {
    if (kind == FieldRule.Kind.DEMOGRAPHIC) {
      if (field.startsWith(RuleFields.ATTRIBUTE_PREFIX)) {
        return "not an attribute name: after 'attributes.', field names start with a letter and use letters, "
            + "digits, '_', '.', '-' (64 at most)";
      }
      return "not a contact field; " + fieldList(kind)
          + (RuleFields.FIRMOGRAPHIC.containsKey(field) ? " (" + field + " of the account: use kind firmographic)" : "");
    }
    return "not an account field; " + fieldList(kind)
        + (RuleFields.DEMOGRAPHIC.containsKey(field) || field.startsWith(RuleFields.ATTRIBUTE_PREFIX)
            ? " (" + field + " of the contact: use kind demographic)" : "");
  }

  /** Why {@code op} cannot be used on a field of {@code type}, or null when it can. */
  private static String unsupportedOp(ValueType type, Op op, String field) {
    boolean numeric = op == Op.GT || op == Op.GTE || op == Op.LT || op == Op.LTE;
    if (numeric && !type.takesNumbers()) {
      return op.wireName() + " compares numbers and " + field + " is text: use eq, neq, contains, in or exists";
    }
    if (op == Op.CONTAINS && !type.takesText()) {
      return "contains looks for text and " + field + " is a number: use eq, neq, in, gt, gte, lt, lte or exists";
    }
    return null;
  }

  /** The comparison value of a field rule, validated for its field's type and op. */
  private Object value(Object raw, String path, ValueType type, Op op, String field) {
    if (op == Op.EXISTS) {
      if (raw != null) {
        errors.add(new FieldError(path, "exists takes no value (it fires when " + field + " has one): leave value "
            + "out"));
      }
      return null;
    }
    boolean text = type.takesText() && op != Op.GT && op != Op.GTE && op != Op.LT && op != Op.LTE;
    boolean number = type.takesNumbers() && op != Op.CONTAINS;
    String expected = expected(text, number, type);
    if (op == Op.IN) {
      String listRule = "a list of 1 to " + MAX_IN_VALUES + " values, each " + expected;
      if (!(raw instanceof List<?> list)) {
        errors.add(new FieldError(path, (raw == null ? "required for in: " : "must be ") + listRule));
        return null;
      }
      if (list.isEmpty() || list.size() > MAX_IN_VALUES) {
        errors.add(new FieldError(path, "must be " + listRule + " (got " + list.size() + ")"));
        return null;
      }
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object value = scalar(list.get(i), path + "[" + i + "]", type, text, number, expected);
        if (value != null) {
          values.add(value);
        }
      }
      return values.size() == list.size() ? List.copyOf(values) : null;
    }
    if (raw == null) {
      errors.add(new FieldError(path, "required for " + op.wireName() + ": " + expected));
      return null;
    }
    return scalar(raw, path, type, text, number, expected);
  }

  private static String expected(boolean text, boolean number, ValueType type) {
    String textRule = "non-empty text (" + MAX_TEXT_VALUE_LENGTH + " characters at most"
        + (type == ValueType.PHONE ? ", with digits: phone numbers are compared by their digits" : "") + ")";
    if (text && number) {
      return textRule + " or " + Numbers.RULE_NUMBER_RULE + " (compared numerically)";
    }
    return text ? textRule : Numbers.RULE_NUMBER_RULE;
  }

  private Object scalar(Object raw, String path, ValueType type, boolean text, boolean number, String expected) {
    if (text && raw instanceof String s) {
      String stripped = s.strip();
      if (stripped.length() <= MAX_TEXT_VALUE_LENGTH && type.normalize(stripped) != null) {
        return stripped;
      }
    } else if (number && raw instanceof Number) {
      BigDecimal value = Numbers.ruleNumber(raw);
      if (value != null) {
        return value;
      }
    }
    errors.add(new FieldError(path, "must be " + expected));
    return null;
  }

  private Rule behavioral(Map<?, ?> item, String p, String id) {
    rejectUnknown(item, BEHAVIORAL_RULE_MEMBERS, p);
    InteractionType interaction = requiredEnum(item, "interaction", p + "interaction",
        name -> Arrays.stream(InteractionType.values()).filter(t -> t.wireName().equals(name)).findFirst(),
        INTERACTIONS);
    BehavioralRule.Frequency frequency = requiredEnum(item, "frequency", p + "frequency",
        BehavioralRule.Frequency::fromWireName, FREQUENCIES);
    Long withinDays = optionalInteger(item, "withinDays", p + "withinDays", 1, MAX_DAYS,
        "an integer from 1 to " + MAX_DAYS + " (days back from now)");
    String contextId = optionalText(item, "contextId", p + "contextId", MAX_CONTEXT_ID_LENGTH);
    Long points = requiredInteger(item, "points", p + "points", -MAX_POINTS, MAX_POINTS, pointsRule());
    Long maxPoints = optionalInteger(item, "maxPoints", p + "maxPoints", -MAX_POINTS, MAX_POINTS,
        "an integer from " + -MAX_POINTS + " to " + MAX_POINTS + " with the same sign as points");
    if (maxPoints != null && frequency != null && frequency != BehavioralRule.Frequency.EACH) {
      errors.add(new FieldError(p + "maxPoints", "only for frequency each (points per occurrence, capped): "
          + frequency.wireName() + " gives its points at most once; leave maxPoints out"));
    } else if (maxPoints != null && points != null) {
      if (points == 0) {
        errors.add(new FieldError(p + "maxPoints", "points is 0, so there is nothing to cap: leave maxPoints out"));
      } else if (Long.signum(maxPoints) != Long.signum(points)) {
        errors.add(new FieldError(p + "maxPoints", "must have the same sign as points (" + points + "): a positive "
            + "cap for positive points, a negative one (a floor) for negative points"));
      }
    }
    Double halfLife = null;
    Object rawHalfLife = item.get("decayHalfLifeDays");
    if (rawHalfLife != null) {
      BigDecimal value = Numbers.decimal(rawHalfLife);
      if (value == null || value.signum() <= 0 || value.compareTo(BigDecimal.valueOf(MAX_DAYS)) > 0) {
        errors.add(new FieldError(p + "decayHalfLifeDays", "must be a number of days, more than 0 and at most "
            + MAX_DAYS + " (after that many days an occurrence counts half)"));
      } else if (frequency == BehavioralRule.Frequency.NONE) {
        errors.add(new FieldError(p + "decayHalfLifeDays", "frequency none scores the absence of interactions, "
            + "which has no age to decay: leave decayHalfLifeDays out"));
      } else {
        halfLife = value.doubleValue();
      }
    }
    if (id == null || interaction == null || frequency == null || points == null) {
      return null;
    }
    return new BehavioralRule(id, interaction, frequency, withinDays == null ? null : Math.toIntExact(withinDays),
        contextId, Math.toIntExact(points), maxPoints == null ? null : Math.toIntExact(maxPoints), halfLife);
  }

  private static String pointsRule() {
    return "an integer from " + -MAX_POINTS + " to " + MAX_POINTS + " (negative points subtract)";
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Readers

  private void rejectUnknown(Map<?, ?> body, Collection<String> allowed, String prefix) {
    for (Object key : body.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        errors.add(new FieldError(prefix + key, "unknown field; allowed: " + String.join(", ", allowed)));
      }
    }
  }

  private String requiredText(Map<?, ?> body, String member, String path, int maxLength) {
    Object value = body.get(member);
    if (value == null) {
      errors.add(new FieldError(path, "required: non-empty text (" + maxLength + " characters at most)"));
      return null;
    }
    return text(value, path, maxLength);
  }

  private String optionalText(Map<?, ?> body, String member, String path, int maxLength) {
    Object value = body.get(member);
    return value == null ? null : text(value, path, maxLength);
  }

  private String text(Object value, String path, int maxLength) {
    if (!(value instanceof String text) || text.isBlank()) {
      errors.add(new FieldError(path, "must be non-empty text (" + maxLength + " characters at most)"));
      return null;
    }
    String stripped = text.strip();
    if (stripped.length() > maxLength) {
      errors.add(new FieldError(path, "longer than " + maxLength + " characters"));
      return null;
    }
    return stripped;
  }

  private <E> E requiredEnum(Map<?, ?> body, String member, String path, Function<String, Optional<E>> lookup,
      List<String> allowed) {
    Object value = body.get(member);
    Optional<E> parsed = value instanceof String s ? lookup.apply(s) : Optional.empty();
    if (parsed.isEmpty()) {
      errors.add(new FieldError(path, (value == null ? "required, one of: " : "must be one of: ")
          + String.join(", ", allowed)));
    }
    return parsed.orElse(null);
  }

  private Long requiredInteger(Map<?, ?> body, String member, String path, long min, long max, String rule) {
    Object value = body.get(member);
    if (value == null) {
      errors.add(new FieldError(path, "required: " + rule));
      return null;
    }
    return integer(value, path, min, max, rule);
  }

  private Long optionalInteger(Map<?, ?> body, String member, String path, long min, long max, String rule) {
    Object value = body.get(member);
    return value == null ? null : integer(value, path, min, max, rule);
  }

  private Long integer(Object value, String path, long min, long max, String rule) {
    Long parsed = Numbers.integer(value, min, max);
    if (parsed == null) {
      errors.add(new FieldError(path, "must be " + rule));
    }
    return parsed;
  }

  private static <E> List<String> wireNames(E[] values, Function<E, String> wireName) {
    return Arrays.stream(values).map(wireName).toList();
  }
}
