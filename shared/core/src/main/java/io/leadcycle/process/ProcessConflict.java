package io.leadcycle.process;

import java.util.List;

/**
 * An action that does not fit the lead's current state; the message says why (answered as 409). A stage that
 * cannot be completed yet also names the fields still missing ({@code missingFields} in the problem body).
 */
public class ProcessConflict extends io.leadcycle.domain.Conflict {

  public ProcessConflict(String message) {
    super(message);
  }

  public ProcessConflict(String message, List<String> missingFields) {
    super(message, missingFields);
  }
}
