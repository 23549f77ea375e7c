package io.leadcycle.scoring;

import io.leadcycle.domain.InteractionType;

/**
 * Points for what a contact did: interactions of one type, optionally in one context, optionally
 * within the last {@code withinDays} days. {@code each}: points per occurrence, capped at
 * {@code maxPoints}; {@code at_least_once}: points once; {@code none}: points when there is none.
 * With {@code decayHalfLifeDays} an occurrence counts {@code points × 0.5^(age/halfLife)}.
 */
public record BehavioralRule(String id, InteractionType interaction, Frequency frequency, Integer withinDays,
    String contextId, int points, Integer maxPoints, Double decayHalfLifeDays) implements Rule {

  public enum Frequency {
    EACH("each"),
    AT_LEAST_ONCE("at_least_once"),
    NONE("none");

    private final String wireName;

    Frequency(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static java.util.Optional<Frequency> fromWireName(String name) {
      return java.util.Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
    }
  }
}
