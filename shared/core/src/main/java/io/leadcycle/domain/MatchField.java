package io.leadcycle.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The fixed, documented set of fields a matching strategy may use. Requests name them by their wire
 * name; nothing else can reach a query.
 */
public enum MatchField {
  EMAIL("email", Normalize::email),
  FIRST_NAME("firstName", Normalize::text),
  LAST_NAME("lastName", Normalize::text),
  PHONE("phone", Normalize::phone),
  COMPANY_NAME("companyName", Normalize::text),
  /** The id of the lead's marketing context (the form, event, LinkedIn form ...). Leads only. */
  MARKETING_CONTEXT_ID("marketingContextId", Normalize::identifier);

  private final String wireName;
  private final UnaryOperator<String> normalizer;

  MatchField(String wireName, UnaryOperator<String> normalizer) {
    this.wireName = wireName;
    this.normalizer = normalizer;
  }

  public String wireName() {
    return wireName;
  }

  public String normalize(String value) {
    return normalizer.apply(value);
  }

  /** Whether a strategy for {@code entity} may use this field. */
  public boolean allowedFor(StrategyEntity entity) {
    return this != MARKETING_CONTEXT_ID || entity == StrategyEntity.LEAD;
  }

  public static Optional<MatchField> fromWireName(String name) {
    return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
  }
}
