package io.leadcycle.scoring;

import java.time.Duration;
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
    Instant windowStart = rule.withinDays() == null ? null : now.minus(Duration.ofDays(rule.withinDays()));
    int occurrences = 0;
    double weightSum = 0;
    double newestWeight = 0;
    for (InteractionFact fact : interactions) {
      if (fact.type() != rule.interaction()
          || (rule.contextId() != null && !rule.contextId().equals(fact.contextId()))
          || (windowStart != null && fact.occurredAt().isBefore(windowStart))) {
        continue;
      }
      double weight = weight(rule.decayHalfLifeDays(), fact.occurredAt(), now);
      occurrences++;
      weightSum += weight;
      newestWeight = Math.max(newestWeight, weight);
    }
    return occurrences == 0 ? NONE : new BehaviorFacts(occurrences, weightSum, newestWeight);
  }

  /**
   * The age of an interaction in days, fractional ({@code seconds / 86400}); an interaction dated after
   * {@code now} has age 0.
   */
  public static double ageDays(Instant occurredAt, Instant now) {
    Duration age = Duration.between(occurredAt, now);
    if (age.isNegative()) {
      return 0;
    }
    return (age.getSeconds() + age.getNano() / 1e9) / 86_400d;
  }

  /** An interaction's weight: {@code 0.5^(ageDays / halfLifeDays)} with decay, 1 without ({@code halfLifeDays} null). */
  public static double weight(Double halfLifeDays, Instant occurredAt, Instant now) {
    return halfLifeDays == null ? 1 : Math.pow(0.5, ageDays(occurredAt, now) / halfLifeDays);
  }
}
