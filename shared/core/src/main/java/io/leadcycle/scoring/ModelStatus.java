package io.leadcycle.scoring;

import java.util.Arrays;
import java.util.Optional;

/** A model's life: a draft is edited, a live model scores, a retired one no longer does (its scores stay). */
public enum ModelStatus {
  DRAFT("draft"),
  LIVE("live"),
  RETIRED("retired");

  private final String wireName;

  ModelStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ModelStatus> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}
