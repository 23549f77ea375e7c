package io.leadcycle.domain;

import java.util.List;

/**
 * The fields that decide whether an incoming contact or lead already exists: all of them must be
 * equal (after normalization). {@code default-contact} matches on email, {@code default-lead} on
 * email and marketing context.
 */
public record MatchingStrategy(String id, String name, StrategyEntity entity, List<MatchField> fields) {

  public static final String DEFAULT_CONTACT = "default-contact";
  public static final String DEFAULT_LEAD = "default-lead";

  public MatchingStrategy {
    fields = List.copyOf(fields);
  }
}
