package io.leadcycle.process;

import io.leadcycle.domain.Conflict;

/** An action that does not fit the lead's current state; the message says why (answered as 409). */
public class ProcessConflict extends io.leadcycle.domain.Conflict {

  public ProcessConflict(String message) {
    super(message);
  }
}
