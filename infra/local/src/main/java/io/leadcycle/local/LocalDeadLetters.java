package io.leadcycle.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.runtime.DeadLetters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local server's dead-letter queues: the dead-letter list of the local queue a message came from.
 * Messages delivered directly ({@link LocalQueue#deliverDirectly}) are not parked: their sender hears
 * of each refusal in the answer, so the reason is kept for it and the function reports the message.
 */
final class LocalDeadLetters implements DeadLetters {

  /** Message ids delivered directly, and why the function refused each (empty while not refused). */
  private final Map<String, String> direct = new ConcurrentHashMap<>();
  private final Map<String, LocalQueue> queuesByArn;

  LocalDeadLetters(Map<String, LocalQueue> queuesByArn) {
    this.queuesByArn = Map.copyOf(queuesByArn);
  }

  @Override
  public boolean park(SQSMessage message, String reason) {
    if (direct.replace(message.getMessageId(), reason == null ? "refused" : reason) != null) {
      return false;
    }
    LocalQueue queue = queuesByArn.get(message.getEventSourceArn());
    if (queue == null) {
      return false;
    }
    queue.park(message, reason);
    return true;
  }

  void beginDirect(String messageId) {
    direct.put(messageId, "");
  }

  /** Ends a direct delivery: why the function refused the message, or null when it did not. */
  String endDirect(String messageId) {
    String reason = direct.remove(messageId);
    return reason == null || reason.isEmpty() ? null : reason;
  }
}
