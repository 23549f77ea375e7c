package io.leadcycle.segments;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.segments.SegmentDefinition.Condition;
import io.leadcycle.segments.SegmentDefinition.Group;
import io.leadcycle.segments.SegmentDefinition.Node;
import io.leadcycle.segments.SegmentDefinition.Related;
import io.leadcycle.segments.SegmentField.Op;
import io.leadcycle.segments.SegmentField.Subject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads a segment ({@code {name, kind, requiresConsent?, definition?}}) and its definition tree, collecting one
 * error per fault, each naming its path ({@code definition.all[1].any[0].field}), so a marketer sees every
 * mistake of a long definition at once. docs/segments.md describes the language.
 */
public final class SegmentParser {

  static final List<String> SEGMENT_MEMBERS = List.of("name", "kind", "requiresConsent", "definition");
  static final List<String> DRAFT_MEMBERS = List.of("requiresConsent", "definition");
  static final List<String> CONDITION_MEMBERS = List.of("field", "op", "value", "model");
  static final List<String> RELATED_MEMBERS = List.of("where", "atLeast");
  static final List<String> KINDS = List.of("dynamic", "static");

  public static final int MAX_NAME_LENGTH = 200;
  public static final int MAX_KEY_LENGTH = 100;
  public static final int MAX_VALUE_LENGTH = 500;
  public static final int MAX_IN_VALUES = 200;
  /** Nesting of groups, the definition's own group counting as 1. */
  public static final int MAX_DEPTH = 5;
  /** Conditions in the whole definition, those in {@code where} lists included. */
  public static final int MAX_CONDITIONS = 100;
  public static final int MAX_DAYS = 3650;
  public static final int MAX_AT_LEAST = 1000;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_KEY_LENGTH + "}");

  private final List<FieldError> errors = new ArrayList<>();
  private final Map<String, UUID> models = new LinkedHashMap<>();
  private int conditions;

  private SegmentParser() {
  }

  /** A segment to create or replace; 400 with every fault found. */
  public static SegmentInput segment(Map<String, ?> body) {
    if (body == null) {
      throw InvalidInput.ofBody("Send a segment: a JSON object with " + String.join(", ", SEGMENT_MEMBERS) + ".");
    }
    SegmentParser parser = new SegmentParser();
    parser.rejectUnknown(body, SEGMENT_MEMBERS, "");
    String name = Fields.requiredText(body, "name", MAX_NAME_LENGTH, parser.errors);
    SegmentInput.Kind kind = null;
    Object rawKind = body.get("kind");
    if (rawKind == null) {
      parser.errors.add(new FieldError("kind", "required: one of " + String.join(", ", KINDS)));
    } else if (!(rawKind instanceof String text) || (kind = SegmentInput.Kind.fromWireName(text)) == null) {
      parser.errors.add(new FieldError("kind", "one of " + String.join(", ", KINDS)));
    }
    String consent = parser.consent(body);
    if (kind == SegmentInput.Kind.STATIC && consent != null) {
      // Members are added by hand and never re-checked: a gate could not keep anyone out, or put them out later.
      parser.errors.add(new FieldError("requiresConsent", "only a dynamic segment requires a consent (its evaluation "
          + "keeps out, and later removes, contacts without it); a static segment's members are chosen by hand"));
    }
    Group definition = null;
    Map<String, Object> definitionBody = null;
    Object rawDefinition = body.get("definition");
    if (kind == SegmentInput.Kind.STATIC && rawDefinition != null) {
      parser.errors.add(new FieldError("definition", "a static segment has no definition: its members are added "
          + "and removed by id (POST /v1/segments/{id}/members)"));
    } else if (kind == SegmentInput.Kind.DYNAMIC || rawDefinition != null) {
      // Checked even when the kind is wrong: every fault of the body is reported at once.
      definition = parser.root(rawDefinition);
      definitionBody = plainCopy(rawDefinition);
    }
    parser.throwIfAny();
    return new SegmentInput(name, kind, consent, definition, definitionBody, parser.models);
  }

  /** A draft to preview: {@code {definition, requiresConsent?}}. */
  public static SegmentInput.Draft draft(Map<String, ?> body) {
    if (body == null) {
      throw InvalidInput.ofBody("Send a draft: a JSON object with definition and, if wanted, requiresConsent.");
    }
    SegmentParser parser = new SegmentParser();
    parser.rejectUnknown(body, DRAFT_MEMBERS, "");
    String consent = parser.consent(body);
    Group definition = parser.root(body.get("definition"));
    parser.throwIfAny();
    return new SegmentInput.Draft(consent, definition, parser.models);
  }

  /** How many contacts one call adds to a static segment. */
  public static final int MAX_MEMBERS_PER_CALL = 1000;

  /** {@code {"contactIds": [...]}}: the contacts to add to a static segment, each a full UUID. */
  public static List<UUID> contactIds(Map<String, ?> body) {
    if (body == null) {
      throw InvalidInput.ofBody("Send {\"contactIds\": [\"<contact id>\", ...]}.");
    }
    SegmentParser parser = new SegmentParser();
    parser.rejectUnknown(body, List.of("contactIds"), "");
    List<UUID> ids = new ArrayList<>();
    if (!(body.get("contactIds") instanceof List<?> list) || list.isEmpty() || list.size() > MAX_MEMBERS_PER_CALL) {
      parser.errors.add(new FieldError("contactIds", "a list of 1 to " + MAX_MEMBERS_PER_CALL + " contact ids"));
    } else {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof String text && text.length() == 36) {
          try {
            ids.add(UUID.fromString(text));
            continue;
          } catch (IllegalArgumentException e) {
            // reported below
          }
        }
        parser.errors.add(new FieldError("contactIds[" + i + "]", "a contact id (a UUID)"));
      }
    }
    parser.throwIfAny();
    return ids;
  }

  /** A stored definition read back (it was validated when written). */
  public static Group definition(Map<String, ?> stored) {
    SegmentParser parser = new SegmentParser();
    Group group = parser.root(stored);
    parser.throwIfAny();
    return group;
  }

  private String consent(Map<String, ?> body) {
    Object raw = body.get("requiresConsent");
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String text) || !KEY.matcher(text).matches()) {
      errors.add(new FieldError("requiresConsent", "a consent purpose such as \"marketing\": letters, digits, _ or -, "
          + "at most " + MAX_KEY_LENGTH + " characters"));
      return null;
    }
    return text;
  }

  private Group root(Object raw) {
    if (raw == null) {
      errors.add(new FieldError("definition", "required for a dynamic segment: {\"all\": [...]} or {\"any\": [...]}"));
      return null;
    }
    if (!(raw instanceof Map<?, ?> map) || !(map.containsKey("all") || map.containsKey("any"))) {
      errors.add(new FieldError("definition", "a group: {\"all\": [...]} or {\"any\": [...]}"));
      return null;
    }
    return group(map, "definition", 1);
  }

  private Group group(Map<?, ?> map, String path, int depth) {
    boolean all = map.containsKey("all");
    if (all && map.containsKey("any")) {
      errors.add(new FieldError(path, "a group is either all or any, not both: nest one in the other"));
      return null;
    }
    String member = all ? "all" : "any";
    rejectUnknown(map, List.of(member), path + ".");
    String itemsPath = path + "." + member;
    if (depth > MAX_DEPTH) {
      errors.add(new FieldError(itemsPath, "groups nest at most " + MAX_DEPTH + " deep"));
      return null;
    }
    if (!(map.get(member) instanceof List<?> list) || list.isEmpty()) {
      errors.add(new FieldError(itemsPath, "a list of at least one condition or group"));
      return null;
    }
    List<Node> items = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Node node = node(list.get(i), itemsPath + "[" + i + "]", depth);
      if (node != null) {
        items.add(node);
      }
    }
    return new Group(all, items);
  }

  private Node node(Object raw, String path, int depth) {
    if (!(raw instanceof Map<?, ?> map)) {
      errors.add(new FieldError(path, "a condition {field, op, value}, a group {all|any: [...]} or a condition on "
          + "related records {leads|opportunities|interactions: \"any\"|\"none\", where: [...]}"));
      return null;
    }
    if (map.containsKey("all") || map.containsKey("any")) {
      return group(map, path, depth + 1);
    }
    for (Subject subject : List.of(Subject.LEADS, Subject.OPPORTUNITIES, Subject.INTERACTIONS)) {
      if (map.containsKey(subject.wireName())) {
        return related(subject, map, path);
      }
    }
    if (map.containsKey("field")) {
      return condition(map, path, null);
    }
    errors.add(new FieldError(path, "a condition {field, op, value}, a group {all|any: [...]} or a condition on "
        + "related records {leads|opportunities|interactions: \"any\"|\"none\", where: [...]}"));
    return null;
  }

  private Related related(Subject subject, Map<?, ?> map, String path) {
    List<String> allowed = new ArrayList<>();
    allowed.add(subject.wireName());
    allowed.addAll(RELATED_MEMBERS);
    rejectUnknown(map, allowed, path + ".");
    Object quantifier = map.get(subject.wireName());
    boolean none = "none".equals(quantifier);
    if (!none && !"any".equals(quantifier)) {
      errors.add(new FieldError(path + "." + subject.wireName(), "\"any\" (the contact has such " + subject.wireName()
          + ") or \"none\" (it has none)"));
    }
    int atLeast = 1;
    Object rawAtLeast = map.get("atLeast");
    if (rawAtLeast != null) {
      Long n = wholeNumber(rawAtLeast);
      if (none) {
        errors.add(new FieldError(path + ".atLeast", "only with \"any\": \"none\" means not a single one"));
      } else if (n == null || n < 1 || n > MAX_AT_LEAST) {
        errors.add(new FieldError(path + ".atLeast", "a whole number from 1 to " + MAX_AT_LEAST));
      } else {
        atLeast = n.intValue();
      }
    }
    List<Condition> where = new ArrayList<>();
    Object rawWhere = map.get("where");
    if (rawWhere != null) {
      if (!(rawWhere instanceof List<?> list)) {
        errors.add(new FieldError(path + ".where", "a list of conditions on the " + subject.wireName()
            + " (all must hold), e.g. [{\"field\": \"status\", \"op\": \"equals\", \"value\": \"open\"}]"));
      } else {
        for (int i = 0; i < list.size(); i++) {
          String itemPath = path + ".where[" + i + "]";
          if (list.get(i) instanceof Map<?, ?> item && item.containsKey("field")) {
            Condition condition = condition(item, itemPath, subject);
            if (condition != null) {
              where.add(condition);
            }
          } else {
            errors.add(new FieldError(itemPath, "a condition {field, op, value} on the " + subject.wireName()));
          }
        }
      }
    }
    return new Related(subject, none, atLeast, where);
  }

  /** A field condition; {@code related}: the related records it is about (its field names no subject), else null. */
  private Condition condition(Map<?, ?> map, String path, Subject related) {
    rejectUnknown(map, CONDITION_MEMBERS, path + ".");
    if (++conditions == MAX_CONDITIONS + 1) {
      errors.add(new FieldError(path, "a definition holds at most " + MAX_CONDITIONS + " conditions"));
    }
    Resolved resolved = field(map.get("field"), path + ".field", related);
    UUID model = model(map, path, resolved);
    Object rawOp = map.get("op");
    Op op = rawOp instanceof String text ? Op.fromWireName(text).orElse(null) : null;
    if (resolved == null) {
      if (rawOp == null) {
        errors.add(new FieldError(path + ".op", "required"));
      }
      return null;
    }
    List<Op> ops = resolved.field().type().ops();
    if (op == null || !ops.contains(op)) {
      errors.add(new FieldError(path + ".op", (rawOp == null ? "required: " : "") + "for this field one of "
          + String.join(", ", ops.stream().map(Op::wireName).toList())));
      return null;
    }
    Object value = value(resolved.field(), op, map.containsKey("value"), map.get("value"), path + ".value");
    return value == null ? null : new Condition(resolved.field(), resolved.key(), model, op, value);
  }

  private record Resolved(SegmentField field, String key) {
  }

  private Resolved field(Object raw, String path, Subject related) {
    if (!(raw instanceof String name) || name.isEmpty() || name.length() > MAX_VALUE_LENGTH) {
      errors.add(new FieldError(path, related == null
          ? "a field such as contact.jobTitle, contact.attributes.<key>, contact.consent.<purpose> or "
              + "account.employeeCount"
          : "a field of the " + related.wireName() + ": " + String.join(", ", SegmentField.wireNames(related))));
      return null;
    }
    Subject subject = related;
    String rest = name;
    if (related == null) {
      int dot = name.indexOf('.');
      String prefix = dot < 0 ? name : name.substring(0, dot);
      subject = "contact".equals(prefix) ? Subject.CONTACT : "account".equals(prefix) ? Subject.ACCOUNT : null;
      if (subject == null || dot < 0) {
        errors.add(new FieldError(path, Subject.LEADS.wireName().equals(prefix) || "opportunities".equals(prefix)
            || "interactions".equals(prefix)
            ? "conditions on " + prefix + " go in {\"" + prefix + "\": \"any\"|\"none\", \"where\": [...]}"
            : "a field of the contact (contact.<field>) or of its account (account.<field>)"));
        return null;
      }
      rest = name.substring(dot + 1);
    }
    int dot = rest.indexOf('.');
    String fieldName = dot < 0 ? rest : rest.substring(0, dot);
    SegmentField field = SegmentField.of(subject, fieldName).orElse(null);
    if (field == null || field.keyed() != (dot >= 0)) {
      errors.add(new FieldError(path, "unknown field " + name + "; the " + subject.wireName() + "'s fields: "
          + String.join(", ", SegmentField.wireNames(subject))));
      return null;
    }
    String key = null;
    if (field.keyed()) {
      key = rest.substring(dot + 1);
      if (!KEY.matcher(key).matches()) {
        errors.add(new FieldError(path, "the key after " + fieldName + ". is letters, digits, _ or -, at most "
            + MAX_KEY_LENGTH + " characters"));
        return null;
      }
    }
    return new Resolved(field, key);
  }

  private UUID model(Map<?, ?> map, String path, Resolved resolved) {
    Object raw = map.get("model");
    boolean wanted = resolved != null && resolved.field().perModel();
    if (raw == null) {
      if (wanted) {
        errors.add(new FieldError(path + ".model", "required: the id of the scoring model whose "
            + resolved.field().wireName() + " is meant"));
      }
      return null;
    }
    if (resolved != null && !wanted) {
      errors.add(new FieldError(path + ".model", "only for a lead's score or grade"));
      return null;
    }
    try {
      UUID model = UUID.fromString((String) raw);
      models.put(path + ".model", model);
      return model;
    } catch (RuntimeException e) {
      errors.add(new FieldError(path + ".model", "a scoring model's id (a UUID)"));
      return null;
    }
  }

  /** The value for {@code op} on {@code field}, or null after recording why it does not fit. */
  private Object value(SegmentField field, Op op, boolean present, Object raw, String path) {
    if (op == Op.EXISTS) {
      if (!present) {
        return Boolean.TRUE; // {"op": "exists"} alone: the field has a value
      }
      if (raw instanceof Boolean b) {
        return b;
      }
      errors.add(new FieldError(path, "true (the field has a value) or false (it has none), or leave it out"));
      return null;
    }
    if (raw == null) {
      errors.add(new FieldError(path, "required for " + op.wireName()));
      return null;
    }
    if (op == Op.WITHIN_DAYS) {
      Long days = wholeNumber(raw);
      if (days == null || days < 1 || days > MAX_DAYS) {
        errors.add(new FieldError(path, "a number of days, a whole number from 1 to " + MAX_DAYS));
        return null;
      }
      return days;
    }
    if (op == Op.IN) {
      if (!(raw instanceof List<?> list) || list.isEmpty() || list.size() > MAX_IN_VALUES) {
        errors.add(new FieldError(path, "a list of 1 to " + MAX_IN_VALUES + " values"));
        return null;
      }
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object one = single(field, op, list.get(i), path + "[" + i + "]");
        if (one == null) {
          return null;
        }
        values.add(one);
      }
      return List.copyOf(values);
    }
    return single(field, op, raw, path);
  }

  private Object single(SegmentField field, Op op, Object raw, String path) {
    boolean numeric = op == Op.GT || op == Op.GTE || op == Op.LT || op == Op.LTE
        || field.type() == SegmentField.Type.NUMBER;
    if (field.type() == SegmentField.Type.BOOLEAN) {
      if (raw instanceof Boolean b) {
        return b;
      }
      errors.add(new FieldError(path, "true or false"));
      return null;
    }
    if (numeric) {
      if (raw instanceof Number number && !(raw instanceof Double d && (d.isNaN() || d.isInfinite()))) {
        return new BigDecimal(number.toString());
      }
      errors.add(new FieldError(path, "a number"));
      return null;
    }
    if (field.type() == SegmentField.Type.ID) {
      try {
        return UUID.fromString((String) raw);
      } catch (RuntimeException e) {
        errors.add(new FieldError(path, "an id (a UUID)"));
        return null;
      }
    }
    if (!(raw instanceof String text) || text.isEmpty() || text.length() > MAX_VALUE_LENGTH) {
      errors.add(new FieldError(path, "text of 1 to " + MAX_VALUE_LENGTH + " characters"));
      return null;
    }
    String fault = Fields.textFault(text);
    if (fault != null) {
      errors.add(new FieldError(path, fault));
      return null;
    }
    if (!field.allowed().isEmpty() && !field.allowed().contains(text)) {
      errors.add(new FieldError(path, "one of " + String.join(", ", field.allowed())));
      return null;
    }
    return text;
  }

  private static Long wholeNumber(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (raw instanceof java.math.BigInteger b && b.bitLength() < 63) {
      return b.longValue();
    }
    return null;
  }

  private void rejectUnknown(Map<?, ?> body, Collection<String> allowed, String prefix) {
    for (Object key : body.keySet()) {
      if (!allowed.contains(key)) {
        errors.add(new FieldError(prefix + key, "unknown field; allowed: " + String.join(", ", allowed)));
      }
    }
  }

  private void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plainCopy(Object raw) {
    return raw instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
  }
}
