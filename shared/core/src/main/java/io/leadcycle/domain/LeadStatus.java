package io.leadcycle.domain;

import java.util.Arrays;
import java.util.Optional;

/** Whether a lead is still being worked on, became an opportunity, or was closed as not worth it. */
public enum LeadStatus {
  OPEN("open"),
  CONVERTED("converted"),
  DISQUALIFIED("disqualified");

  private final String wireName;

  LeadStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<LeadStatus> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}
