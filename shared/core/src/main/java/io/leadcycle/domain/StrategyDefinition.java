package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A new matching strategy as a user defines it ({@code POST /v1/matching-strategies}), validated. */
public record StrategyDefinition(String name, StrategyEntity entity, List<MatchField> fields) {

  public static StrategyDefinition parse(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, List.of("name", "entity", "fields"), "", errors);
    String name = Fields.requiredText(body, "name", Submission.MAX_TEXT_LENGTH, errors);
    StrategyEntity entity = Fields.requiredEnum(body, "entity", StrategyEntity::fromWireName,
        List.of("contact", "lead"), errors);
    Set<MatchField> fields = new LinkedHashSet<>();
    Object raw = body.get("fields");
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      errors.add(new FieldError("fields", "required: a non-empty list of field names"));
    } else {
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        String path = "fields[" + i + "]";
        MatchField field = item instanceof String s ? MatchField.fromWireName(s).orElse(null) : null;
        if (field == null || (entity != null && !field.allowedFor(entity))) {
          errors.add(new FieldError(path, "allowed: " + allowedNames(entity)));
        } else if (!fields.add(field)) {
          errors.add(new FieldError(path, "named twice"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new StrategyDefinition(name, entity, List.copyOf(fields));
  }

  private static String allowedNames(StrategyEntity entity) {
    List<String> names = new ArrayList<>();
    for (MatchField field : MatchField.values()) {
      if (entity == null || field.allowedFor(entity)) {
        names.add(field.wireName());
      }
    }
    return String.join(", ", names);
  }
}
