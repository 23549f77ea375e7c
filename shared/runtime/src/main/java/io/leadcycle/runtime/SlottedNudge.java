package io.leadcycle.runtime;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Objects;

/**
 * What every queue-backed {@link Nudge} shares: one message per {@linkplain Nudge#slot slot} from this
 * execution environment (a second nudge of the slot is dropped here, as SQS's deduplication would drop it,
 * so a busy writer pays for at most one send a second), the body that says when the slot ends, and a
 * failed send logged and swallowed (the schedule does the work instead; the next nudge tries again).
 */
public abstract class SlottedNudge implements Nudge {

  private final Target target;
  private final Clock clock;
  /** The last slot whose message was sent (Long.MIN_VALUE: none yet). */
  private volatile long sentSlot = Long.MIN_VALUE;

  protected SlottedNudge(Target target, Clock clock) {
    this.target = Objects.requireNonNull(target, "target");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public final Target target() {
    return target;
  }

  @Override
  public final void send(String reason) {
    long slot = Nudge.slot(clock.instant());
    if (slot == sentSlot) {
      return;
    }
    try {
      deliver(Long.toString(slot), Nudge.body(reason, slot).encode());
      sentSlot = slot;
    } catch (RuntimeException e) {
      JsonLog.warn(null, "could not nudge " + target.function() + "; the schedule will do it instead",
          new JsonObject().put("to", toString()).put("reason", reason)
              .put("error", e.getClass().getName() + ": " + e.getMessage()));
    }
  }

  /** Sends one message: {@code deduplicationId} (the slot) for a FIFO queue, and the body. May throw. */
  protected abstract void deliver(String deduplicationId, String body);
}
