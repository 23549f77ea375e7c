package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The normalized values of one strategy's fields for one submission: what a match query compares
 * and what the transaction locks so that concurrent submissions of the same person serialize.
 */
public record MatchKey(StrategyEntity entity, List<MatchField> fields, List<String> values) {

  public MatchKey {
    fields = List.copyOf(fields);
    values = List.copyOf(values);
  }

  /**
   * Builds the key of {@code strategy} for {@code contact} within {@code marketingContextId}; empty
   * when a field the strategy needs has no value.
   */
  public static Optional<MatchKey> of(MatchingStrategy strategy, ContactDetails contact, String marketingContextId) {
    List<String> values = new ArrayList<>();
    for (MatchField field : strategy.fields()) {
      String raw = field == MatchField.MARKETING_CONTEXT_ID ? marketingContextId : contact.get(field);
      String normalized = field.normalize(raw);
      if (normalized == null) {
        return Optional.empty();
      }
      values.add(normalized);
    }
    return Optional.of(new MatchKey(strategy.entity(), strategy.fields(), values));
  }

  /**
   * The advisory-lock name. It names fields, not the strategy id, so two strategies with the same
   * definition of "the same person" also share the lock.
   */
  public String lockName() {
    // Fields in a fixed order: [email, phone] and [phone, email] are the same definition.
    java.util.TreeMap<MatchField, String> byField = new java.util.TreeMap<>();
    for (int i = 0; i < fields.size(); i++) {
      byField.put(fields.get(i), values.get(i));
    }
    StringBuilder name = new StringBuilder(entity.wireName());
    byField.forEach((field, value) -> name.append('\u001f').append(field.wireName()).append('=').append(value));
    return name.toString();
  }
}
