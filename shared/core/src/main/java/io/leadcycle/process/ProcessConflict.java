package io.leadcycle.process;

import java.util.List;

/**
 * An action that does not fit the lead's current state; the message says why (answered as 409). A stage that
 * cannot be completed yet also names the fields still missing ({@code missingFields} in the problem body).
 */
public class ProcessConflict extends io.leadcycle.domain.Conflict {

  private final List<String> missingFields;

  public ProcessConflict(String message) {
    this(message, List.of());
  }

  public ProcessConflict(String message, List<String> missingFields) {
    super(message);
    this.missingFields = List.copyOf(missingFields);
  }

  /** The fields the stage requires to complete that are empty; empty for every other conflict. */
  public List<String> missingFields() {
    return missingFields;
  }
}
