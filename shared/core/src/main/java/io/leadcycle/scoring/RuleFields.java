package io.leadcycle.scoring;

import io.leadcycle.domain.ContactFields;
import io.leadcycle.domain.Normalize;
import java.util.List;
import java.util.Map;

/**
 * The fields a field rule may name, and what each holds: how its values are normalized before they
 * are compared, and which ops and values it takes. Demographic rules read the contact (its standard
 * fields and {@code attributes.<name>}), firmographic rules the account.
 */
final class RuleFields {

  /** What a field holds, which decides how it is compared. */
  enum ValueType {
    /** Text compared trimmed, whitespace collapsed, case-folded ({@link Normalize#text}). */
    TEXT,
    /** An email address: trimmed, lower-cased ({@link Normalize#email}). */
    EMAIL,
    /** A phone number: its digits only ({@link Normalize#phone}). */
    PHONE,
    /** A web domain: lower-cased, without {@code www.} or a trailing dot ({@link Normalize#domain}). */
    DOMAIN,
    /** A number ({@code employeeCount}, {@code annualRevenue}): numeric comparisons only. */
    NUMBER,
    /** A contact attribute: text, compared as a number when the rule's value is a number. */
    ATTRIBUTE;

    boolean takesText() {
      return this != NUMBER;
    }

    boolean takesNumbers() {
      return this == NUMBER || this == ATTRIBUTE;
    }

    /** The value as compared, or null when nothing is left (a missing value). */
    String normalize(String value) {
      return switch (this) {
        case EMAIL -> Normalize.email(value);
        case PHONE -> Normalize.phone(value);
        case DOMAIN -> Normalize.domain(value);
        case NUMBER -> value == null || value.isBlank() ? null : value.strip();
        case TEXT, ATTRIBUTE -> Normalize.text(value);
      };
    }
  }

  static final String ATTRIBUTE_PREFIX = "attributes.";

  static final Map<String, ValueType> DEMOGRAPHIC = orderedMap(
      "email", ValueType.EMAIL, "firstName", ValueType.TEXT, "lastName", ValueType.TEXT, "phone", ValueType.PHONE,
      "companyName", ValueType.TEXT, "jobTitle", ValueType.TEXT, "country", ValueType.TEXT);

  static final Map<String, ValueType> FIRMOGRAPHIC = orderedMap(
      "name", ValueType.TEXT, "domain", ValueType.DOMAIN, "industry", ValueType.TEXT,
      "employeeCount", ValueType.NUMBER, "annualRevenue", ValueType.NUMBER, "country", ValueType.TEXT);

  static final List<String> DEMOGRAPHIC_NAMES = List.copyOf(DEMOGRAPHIC.keySet());
  static final List<String> FIRMOGRAPHIC_NAMES = List.copyOf(FIRMOGRAPHIC.keySet());

  private RuleFields() {
  }

  /** The type of {@code field} for a rule of {@code kind}; null when a rule of that kind cannot name it. */
  static ValueType type(FieldRule.Kind kind, String field) {
    if (kind == FieldRule.Kind.DEMOGRAPHIC) {
      if (field.startsWith(ATTRIBUTE_PREFIX)) {
        return ContactFields.isAttributeName(field.substring(ATTRIBUTE_PREFIX.length())) ? ValueType.ATTRIBUTE : null;
      }
      return DEMOGRAPHIC.get(field);
    }
    return FIRMOGRAPHIC.get(field);
  }

  private static Map<String, ValueType> orderedMap(Object... keysAndValues) {
    java.util.LinkedHashMap<String, ValueType> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (ValueType) keysAndValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
