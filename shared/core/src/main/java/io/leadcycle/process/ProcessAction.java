package io.leadcycle.process;

import java.util.Arrays;
import java.util.Optional;

/** What a user (or scoring) does to a lead; the wire names are those of {@code POST /v1/leads/{id}/process}. */
public enum ProcessAction {
  MARK_TELEMARKETING_READY("mark-telemarketing-ready"),
  ACCEPT_TELEMARKETING("accept-telemarketing"),
  READY_FOR_SALES("ready-for-sales"),
  MARK_SALES_READY("mark-sales-ready"),
  ACCEPT_SALES("accept-sales"),
  CONVERT("convert"),
  DISQUALIFY("disqualify"),
  MOVE("move"),
  /** A sales manager makes a user the lead's owner; the process state stays as it is. */
  ASSIGN("assign"),
  /** A sales manager takes the owner off the lead, saying why. */
  UNASSIGN("unassign"),
  /** A model scored the lead for the first time (called by score recalculation, not over HTTP). */
  FIRST_SCORED("first-scored");

  private final String wireName;

  ProcessAction(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether the action says who works the lead rather than moving it through the process. */
  public boolean isAssignment() {
    return this == ASSIGN || this == UNASSIGN;
  }

  /** The actions a client may send; {@link #FIRST_SCORED} is internal. */
  public static Optional<ProcessAction> fromWireName(String name) {
    return Arrays.stream(values()).filter(a -> a != FIRST_SCORED && a.wireName.equals(name)).findFirst();
  }
}
