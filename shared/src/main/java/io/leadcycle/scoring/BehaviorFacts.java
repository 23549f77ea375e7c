package io.leadcycle.scoring;

import java.time.Instant;
import java.util.List;

/**
 * What one behavioral rule sees of a contact's (or an account's) interactions: those of the rule's
 * type and context within its window — how many, their decay weights summed, and the newest one's
 * weight. Without decay every weight is 1. The SQL that gathers these set-based must give exactly
 * what {@link #of} gives (a test holds them together).
 *
 * @param occurrences interactions that count for the rule
 * @param weightSum the sum of their weights {@code 0.5^(ageDays/halfLife)} (= occurrences without decay)
 * @param newestWeight the weight of the newest one (0 when there is none)
 */
public record BehaviorFacts(int occurrences, double weightSum, double newestWeight) {

  public static final BehaviorFacts NONE = new BehaviorFacts(0, 0, 0);

  /** The reference: the facts of {@code rule} over {@code interactions}, as of {@code now}. */
  public static BehaviorFacts of(BehavioralRule rule, List<InteractionFact> interactions, Instant now) {
    throw new UnsupportedOperationException("engine: to be written");
  }
}
