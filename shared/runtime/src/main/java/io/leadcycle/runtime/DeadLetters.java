package io.leadcycle.runtime;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;

/**
 * Where a queue message goes that can never succeed (malformed, or naming something that does not
 * exist): straight to its queue's dead-letter queue, instead of being received again and again until
 * the redrive policy gives up. In AWS that is an SQS send to {@code DEAD_LETTER_QUEUE_URL}; on the
 * local server, the in-process queue's dead-letter list.
 */
public interface DeadLetters {

  /**
   * Parks {@code message} with the reason it was refused.
   *
   * @return false when it could not be parked (none configured, or the send failed): the caller then
   *     reports the message as failed, so the queue's own redrive policy moves it after a few receives
   */
  boolean park(SQSMessage message, String reason);

  /** Builds what the first park would build (an SDK client), without calling AWS: for SnapStart's snapshot. */
  default void prime() {
  }

  /** No dead-letter queue known: every refused message is left to the queue's redrive policy. */
  DeadLetters NONE = (message, reason) -> false;
}
