package io.leadcycle.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Small readers for request bodies that record what is wrong instead of throwing at the first error. */
public final class Fields {

  private Fields() {
  }

  public static String requiredText(Map<String, ?> body, String field, int maxLength, List<FieldError> errors) {
    Object value = body.get(field);
    if (value == null) {
      errors.add(new FieldError(field, "required"));
      return null;
    }
    return text(field, value, maxLength, errors);
  }

  public static String optionalText(Map<String, ?> body, String field, int maxLength, List<FieldError> errors) {
    Object value = body.get(field);
    return value == null ? null : text(field, value, maxLength, errors);
  }

  private static String text(String field, Object value, int maxLength, List<FieldError> errors) {
    if (!(value instanceof String text) || text.isBlank()) {
      errors.add(new FieldError(field, "must be a non-empty string"));
      return null;
    }
    if (text.length() > maxLength) {
      errors.add(new FieldError(field, "longer than " + maxLength + " characters"));
      return null;
    }
    return text.strip();
  }

  public static <E> E requiredEnum(Map<String, ?> body, String field, Function<String, Optional<E>> lookup,
      List<String> allowed, List<FieldError> errors) {
    Object value = body.get(field);
    Optional<E> parsed = value instanceof String s ? lookup.apply(s) : Optional.empty();
    if (parsed.isEmpty()) {
      errors.add(new FieldError(field, (value == null ? "required, one of: " : "must be one of: ")
          + String.join(", ", allowed)));
    }
    return parsed.orElse(null);
  }

  public static boolean optionalBoolean(Map<String, ?> body, String field, boolean defaultValue, List<FieldError> errors) {
    Object value = body.get(field);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    errors.add(new FieldError(field, "must be true or false"));
    return defaultValue;
  }

  /** A UUID given as a string; null when absent (or JSON null). */
  public static java.util.UUID optionalUuid(Map<String, ?> body, String field, List<FieldError> errors) {
    Object value = body.get(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      try {
        return java.util.UUID.fromString(text.strip());
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    errors.add(new FieldError(field, "must be an id (a UUID)"));
    return null;
  }

  /** Names of {@code body} that are not in {@code allowed}: each is an error (a typo must not pass silently). */
  public static void rejectUnknown(Map<String, ?> body, java.util.Collection<String> allowed, String prefix,
      List<FieldError> errors) {
    for (String key : body.keySet()) {
      if (!allowed.contains(key)) {
        errors.add(new FieldError(prefix + key, "unknown field; allowed: " + String.join(", ", allowed)));
      }
    }
  }
}
