package io.leadcycle.runtime;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Tells a function that works through a table of its own that there is something to do, so that the
 * work is done within seconds rather than at the next scheduled run: threshold notification (new outbox
 * events), score recalculation (contacts marked for rescoring) and segment evaluation (contacts marked for segments). Writers call it after their
 * transaction has committed (the nudged function must see the rows) and only when they wrote something.
 *
 * <p>A nudge is a hint, never the only way work gets done: the schedule still runs each function every
 * minute, so a lost nudge only delays. That is why {@link #send} never throws.
 *
 * <p>Nudges are folded per {@linkplain #slot time slot} (one second): every nudge of a slot is one
 * message (SQS's deduplication id on the FIFO queue; an execution environment that has sent its slot's
 * nudge sends no second one). So that no writer of a slot is missed, the message says when its slot ends
 * ({@value #SLOT_ENDS}), and the nudged function runs once more after that moment if its first run
 * started before it.
 */
public interface Nudge {

  /** What a nudge wakes, with the variable naming its queue (unset: no nudges) and its FIFO message group. */
  enum Target {
    /** Threshold notification: outbox events to deliver. */
    NOTIFICATION("NOTIFICATION_NUDGE_QUEUE_URL", "leadcycle-notification-nudge", "threshold notification"),
    /** Score recalculation: contacts marked for rescoring, or a full rescoring to continue. */
    SCORING("SCORING_NUDGE_QUEUE_URL", "leadcycle-scoring-nudge", "score recalculation"),
    /** Segment evaluation: contacts marked for segments, or a segment to evaluate fully. */
    SEGMENTS("SEGMENT_NUDGE_QUEUE_URL", "leadcycle-segment-nudge", "segment evaluation");

    private final String queueUrlVariable;
    private final String messageGroup;
    private final String function;

    Target(String queueUrlVariable, String messageGroup, String function) {
      this.queueUrlVariable = queueUrlVariable;
      this.messageGroup = messageGroup;
      this.function = function;
    }

    public String queueUrlVariable() {
      return queueUrlVariable;
    }

    public String messageGroup() {
      return messageGroup;
    }

    /** The nudged function, in words (for the logs). */
    public String function() {
      return function;
    }
  }

  /** The body member that says when the message's slot ends (an ISO-8601 instant). */
  String SLOT_ENDS = "slotEnds";

  /** No nudges (tests, and hosts without the queue). */
  Nudge NONE = new Nudge() {
    @Override
    public void send(String reason) {
    }

    @Override
    public String toString() {
      return "Nudge.NONE";
    }
  };

  /** Sends one nudge in the target's own message group; {@code reason} says which writer (for the logs). Never throws. */
  void send(String reason);

  /**
   * Sends one nudge in message group {@code group} of the target's FIFO queue (groups run in parallel, one
   * run at a time each: {@link RescoringGroups}), deduplicated per group and slot. A nudge without groups
   * (none, a test's) sends it as {@link #send(String)} does. Never throws.
   */
  default void send(String reason, String group) {
    send(reason);
  }

  /** Builds what the first send would build (the SQS sender), without calling AWS: for SnapStart's snapshot. */
  default void prime() {
  }

  /** The slot of {@code at}: its epoch second, which is also the FIFO deduplication id in the target's own group. */
  static long slot(Instant at) {
    return at.getEpochSecond();
  }

  /**
   * The FIFO deduplication id of a nudge in {@code group} and {@code slot}: the slot in the target's own group
   * ({@code ownGroup}), else the group and the slot ({@code rescoring-2:1733512345}), since SQS deduplicates
   * across the whole queue: the nudges of one slot in N groups must be N messages.
   */
  static String deduplicationId(String group, String ownGroup, long slot) {
    return group.equals(ownGroup) ? Long.toString(slot) : group + ":" + slot;
  }

  /** The message of a nudge sent in {@code slot}: the writer, and when the slot ends. */
  static JsonObject body(String reason, long slot) {
    return new JsonObject().put("reason", reason == null ? "unnamed" : reason)
        .put(SLOT_ENDS, Instant.ofEpochSecond(slot + 1).toString());
  }

  /**
   * When the slot of a nudge's message ends, as its body says; null for a body that does not say (an older
   * writer, a message sent by hand): then there is no later writer to wait for.
   */
  static Instant slotEnds(String body) {
    if (body == null) {
      return null;
    }
    try {
      String ends = new JsonObject(body).getString(SLOT_ENDS);
      return ends == null ? null : Instant.parse(ends);
    } catch (RuntimeException e) {
      return null; // the body is a hint only; what it says does not matter otherwise
    }
  }
}
