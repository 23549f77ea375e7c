package io.leadcycle.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.platform.DeadLetters;
import java.util.Map;

/** The local server's dead-letter queues: the dead-letter list of the local queue a message came from. */
final class LocalDeadLetters implements DeadLetters {

  private final Map<String, LocalQueue> queuesByArn;

  LocalDeadLetters(Map<String, LocalQueue> queuesByArn) {
    this.queuesByArn = Map.copyOf(queuesByArn);
  }

  @Override
  public boolean park(SQSMessage message, String reason) {
    LocalQueue queue = queuesByArn.get(message.getEventSourceArn());
    if (queue == null) {
      return false;
    }
    queue.park(message, reason);
    return true;
  }
}
