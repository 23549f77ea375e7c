package io.leadcycle.runtime;

import java.util.Map;

/**
 * Tells threshold notification that there is something to send, so that a new outbox event reaches
 * its subscribers within seconds rather than at the next scheduled run. Writers call it after their
 * transaction has committed (the nudged function must see the rows) and only when it wrote events.
 *
 * <p>A nudge is a hint, never the only way an event leaves: the schedule still runs the dispatcher
 * every minute, so a lost nudge only delays. That is why {@link #send} never throws.
 */
public interface Nudge {

  /** Where the nudges go: {@value #QUEUE_URL_VARIABLE}; unset means none are sent. */
  String QUEUE_URL_VARIABLE = "NOTIFICATION_NUDGE_QUEUE_URL";

  /** No nudges (the local server, whose 1 s timer is enough; tests). */
  Nudge NONE = new Nudge() {
    @Override
    public void send(String reason) {
    }

    @Override
    public String toString() {
      return "Nudge.NONE";
    }
  };

  /** Sends one nudge; {@code reason} says which writer (for the logs). Never throws. */
  void send(String reason);

  /** Builds what the first send would build (an SDK client), without calling AWS: for SnapStart's snapshot. */
  default void prime() {
  }
}
