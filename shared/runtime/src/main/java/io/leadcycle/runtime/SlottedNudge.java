package io.leadcycle.runtime;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every queue-backed {@link Nudge} shares: one message per {@linkplain Nudge#slot slot} and message
 * group from this execution environment (a second nudge of the slot is dropped here, as SQS's deduplication would drop it,
 * so a busy writer pays for at most one send a second), the body that says when the slot ends, and a
 * failed send logged and swallowed (the schedule does the work instead; the next nudge tries again).
 */
public abstract class SlottedNudge implements Nudge {

  private final Target target;
  private final Clock clock;
  /** Per message group, the last slot whose message was sent (none yet: absent). */
  private final Map<String, Long> sentSlots = new ConcurrentHashMap<>();

  protected SlottedNudge(Target target, Clock clock) {
    this.target = Objects.requireNonNull(target, "target");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public final Target target() {
    return target;
  }

  @Override
  public final void send(String reason) {
    send(reason, target.messageGroup());
  }

  @Override
  public final void send(String reason, String group) {
    Objects.requireNonNull(group, "group");
    long slot = Nudge.slot(clock.instant());
    Long sent = sentSlots.get(group);
    if (sent != null && sent == slot) {
      return;
    }
    try {
      deliver(group, Nudge.deduplicationId(group, target.messageGroup(), slot), Nudge.body(reason, slot).encode());
      sentSlots.put(group, slot);
    } catch (RuntimeException e) {
      JsonLog.warn(null, "could not nudge " + target.function() + "; the schedule will do it instead",
          new JsonObject().put("to", toString()).put("group", group).put("reason", reason)
              .put("error", e.getClass().getName() + ": " + e.getMessage()));
    }
  }

  /**
   * Sends one message: its FIFO message {@code group} and {@code deduplicationId} (the group's slot), and the
   * body. May throw.
   */
  protected abstract void deliver(String group, String deduplicationId, String body);
}
