package io.leadcycle.process;

import java.util.Arrays;
import java.util.Optional;

/**
 * A process definition's life, as a scoring model's: a draft is edited in place, a live one is what leads can
 * run on (editing it publishes a new version), a retired one takes no new leads.
 */
public enum ProcessStatus {
  DRAFT("draft"),
  LIVE("live"),
  RETIRED("retired");

  private final String wireName;

  ProcessStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ProcessStatus> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}
