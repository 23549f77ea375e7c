package io.leadcycle.local;

import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.SlottedNudge;
import java.time.Clock;
import java.util.Map;

/**
 * A nudge as the local server sends it: a message to the in-process queue of the function the template
 * triggers from the target's queue ({@code SCORING_NUDGE_QUEUE_URL: !Ref ScoringNudgeQueue} → the function
 * with {@code Queue: !GetAtt ScoringNudgeQueue.Arn}), folded per second as SQS's deduplication folds them
 * in AWS ({@link SlottedNudge}), in its FIFO message group (a full rescoring's groups run in parallel, one
 * batch per group at a time, as in AWS), so the local server runs the same path as AWS.
 */
final class LocalNudge extends SlottedNudge {

  private final LocalQueue queue;

  LocalNudge(Target target, LocalQueue queue, Clock clock) {
    super(target, clock);
    this.queue = queue;
  }

  @Override
  protected void deliver(String group, String deduplicationId, String body) {
    queue.send(body, Map.of(), group); // the queue runs each group's batches one at a time, groups at once
  }

  @Override
  public String toString() {
    return "LocalNudge[" + target() + " → " + queue.name() + "]";
  }

  /** The nudge to {@code target} on this server: its queue's function, else none (a server hosting only some functions). */
  static Nudge of(Target target, LocalQueues queues, Map<String, String> consumers) {
    String function = consumers.get(target.queueUrlVariable());
    LocalQueue queue = function == null ? null : queues.of(function);
    return queue == null ? Nudge.NONE : new LocalNudge(target, queue, Clock.systemUTC());
  }
}
