package io.leadcycle.process;

import io.leadcycle.domain.EventTypes;
import io.leadcycle.domain.LeadState;

import java.util.List;

/**
 * The outcome of one action: the state after it, every field that changed (for the timeline), and
 * the events subscribers are told about (for the outbox).
 */
public record Transition(LeadState before, LeadState after, List<Change> changes, List<String> events, String reason) {

  public static final String STAGE_CHANGED = EventTypes.STAGE_CHANGED;
  public static final String SALES_READY = EventTypes.SALES_READY;
  public static final String TELEMARKETING_READY = EventTypes.TELEMARKETING_READY;
  public static final String CONVERTED = EventTypes.CONVERTED;
  public static final String DISQUALIFIED = EventTypes.DISQUALIFIED;

  public Transition {
    changes = List.copyOf(changes);
    events = List.copyOf(events);
  }

  public boolean changedAnything() {
    return !changes.isEmpty();
  }
}
