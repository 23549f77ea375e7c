package io.leadcycle.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Small readers for request bodies that record what is wrong instead of throwing at the first error.
 * {@link #text} is the one rule for a text member of any request (domain inputs, scoring models, the
 * actor): what it accepts and the words it uses when it does not. Text that cannot be stored as it was
 * sent (the NUL character, a lone UTF-16 surrogate: {@link #textFault}) is refused once for every string of
 * every request, before any parser reads it ({@code HttpRequest}, with {@link #checkStrings}); a batch whose
 * items are judged alone runs {@link #checkStrings} on each item itself, so a bad item is rejected alone.
 */
public final class Fields {

  /** PostgreSQL cannot store the NUL character in text: the words for a value that holds one. */
  public static final String NO_NUL = "must not contain the NUL character";

  /**
   * Half of a UTF-16 surrogate pair without its other half (JSON's {@code "\ud800"}) is no character:
   * it cannot be stored or sent on as UTF-8. The words for a value that holds one.
   */
  public static final String NO_LONE_SURROGATE = "must be valid Unicode text: it contains a lone surrogate "
      + "(an unpaired \\uD800-\\uDFFF escape)";

  private Fields() {
  }

  public static String requiredText(Map<String, ?> body, String field, int maxLength, List<FieldError> errors) {
    return requiredText(body, field, field, maxLength, errors);
  }

  public static String optionalText(Map<String, ?> body, String field, int maxLength, List<FieldError> errors) {
    return optionalText(body, field, field, maxLength, errors);
  }

  /** Member {@code member} of {@code body} by {@link #text}'s rule; absent (or JSON null) is an error too. */
  public static String requiredText(Map<?, ?> body, String member, String path, int maxLength,
      List<FieldError> errors) {
    Object value = body.get(member);
    if (value == null) {
      errors.add(new FieldError(path, "required"));
      return null;
    }
    return text(path, value, maxLength, errors);
  }

  /** Member {@code member} of {@code body} by {@link #text}'s rule; null when absent (or JSON null). */
  public static String optionalText(Map<?, ?> body, String member, String path, int maxLength,
      List<FieldError> errors) {
    Object value = body.get(member);
    return value == null ? null : text(path, value, maxLength, errors);
  }

  /**
   * The one rule for text a request sends: a string, not blank, and at most {@code maxLength} characters
   * once the whitespace around it is stripped (which is what is stored, so what is counted). Answers the
   * stripped text; otherwise adds an error for {@code path} and answers null.
   */
  public static String text(String path, Object value, int maxLength, List<FieldError> errors) {
    if (!(value instanceof String text) || text.isBlank()) {
      errors.add(new FieldError(path, "must be " + textRule(maxLength)));
      return null;
    }
    String fault = textFault(text);
    if (fault != null) {
      errors.add(new FieldError(path, fault));
      return null;
    }
    String stripped = text.strip();
    if (stripped.length() > maxLength) {
      errors.add(new FieldError(path, "longer than " + maxLength + " characters"));
      return null;
    }
    return stripped;
  }

  /**
   * What makes a string unstorable, in the rule's words ({@link #NO_NUL}, {@link #NO_LONE_SURROGATE}), or
   * null when it is fine. Every string of a request passes here, member names too.
   */
  public static String textFault(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        return NO_NUL;
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++; // a pair: one character outside the BMP
      } else if (Character.isSurrogate(c)) {
        return NO_LONE_SURROGATE;
      }
    }
    return null;
  }

  /**
   * Records a {@link #textFault} for every string in {@code value} — a string, or maps (names and values)
   * and lists, all the way down — under its path ({@code interactions[2].context.name}; {@code path} is
   * the path of {@code value} itself, "" for a whole body). Answers whether all were fine.
   */
  public static boolean checkStrings(String path, Object value, List<FieldError> errors) {
    int before = errors.size();
    if (value instanceof String text) {
      String fault = textFault(text);
      if (fault != null) {
        errors.add(new FieldError(path.isEmpty() ? "body" : path, fault));
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, member) -> {
        String name = String.valueOf(key);
        String printable = escapeFaults(name); // the path is answered: it must be sendable itself
        String memberPath = path.isEmpty() ? printable : path + "." + printable;
        String fault = textFault(name);
        if (fault != null) {
          errors.add(new FieldError(memberPath, "(the member's name) " + fault));
        }
        checkStrings(memberPath, member, errors);
      });
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        checkStrings(path + "[" + i + "]", list.get(i), errors);
      }
    }
    return errors.size() == before;
  }

  /** {@code text} with each NUL and lone surrogate written as its JSON escape ({@code \\u0000}). */
  private static String escapeFaults(String text) {
    if (textFault(text) == null) {
      return text;
    }
    StringBuilder escaped = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        escaped.append(c).append(text.charAt(++i));
      } else if (c == '\0' || Character.isSurrogate(c)) {
        escaped.append(String.format("\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /** Whether {@code value} passes {@link #text}'s rule, for a caller that only wants to know. */
  public static boolean isText(Object value, int maxLength) {
    return text("", value, maxLength, new java.util.ArrayList<>()) != null;
  }

  private static String textRule(int maxLength) {
    return "a non-empty string of up to " + maxLength + " characters";
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
