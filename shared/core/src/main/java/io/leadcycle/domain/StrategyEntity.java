package io.leadcycle.domain;

import java.util.Arrays;
import java.util.Optional;

/** What a matching strategy finds: an existing contact or an existing open lead. */
public enum StrategyEntity {
  CONTACT("contact"),
  LEAD("lead");

  private final String wireName;

  StrategyEntity(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<StrategyEntity> fromWireName(String name) {
    return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
  }
}
