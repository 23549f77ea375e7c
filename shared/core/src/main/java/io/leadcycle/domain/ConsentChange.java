package io.leadcycle.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a contact's consent history: one purpose set to a value by one source at one time. The history is
 * the record; the contact's current consent is what {@link #fold} makes of it.
 *
 * @param seq the entry's place in the history (increasing in the order the changes were made)
 * @param value the value as the source gave it ({@code true}, {@code false}, text, an object...)
 */
public record ConsentChange(long seq, String purpose, Object value, ConsentSource source, Instant at) {

  /** Consent is given only by the value {@code true}, as scoring's {@code minimumConsent} reads it. */
  public boolean granted() {
    return Boolean.TRUE.equals(value);
  }

  /**
   * The current consent a history adds up to: each purpose at the value of its latest entry (sources merge purposes
   * in, none removes one). Empty for an empty history: a contact without consent ({@code null}) or with an empty
   * consent object has no purpose.
   */
  public static Map<String, Object> fold(Collection<ConsentChange> history) {
    Map<String, Object> current = new LinkedHashMap<>();
    List<ConsentChange> inOrder = history.stream().sorted(Comparator.comparingLong(ConsentChange::seq)).toList();
    inOrder.forEach(change -> current.put(change.purpose(), change.value()));
    return current;
  }
}
