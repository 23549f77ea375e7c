package io.leadcycle.local;

import io.leadcycle.platform.SqsFunction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The queue-triggered functions' queues, one {@link LocalQueue} each (by function name), and their
 * dead-letter lists, where functions park the messages they refuse.
 */
final class LocalQueues {

  /** How often each queue delivers what is visible. */
  private static final long DELIVERY_MILLIS = 100;

  private final Map<String, LocalQueue> queues;
  private final LocalDeadLetters deadLetters;

  private LocalQueues(Map<String, LocalQueue> queues) {
    this.queues = queues;
    Map<String, LocalQueue> byArn = new LinkedHashMap<>();
    queues.values().forEach(queue -> byArn.put(queue.arn(), queue));
    this.deadLetters = new LocalDeadLetters(byArn);
  }

  /** A queue for each queue-triggered function, redelivering as the environment says. */
  static LocalQueues create(LocalFunctions functions, Map<String, String> env) {
    Map<String, LocalQueue> queues = new LinkedHashMap<>();
    for (LocalFunctions.Hosted function : functions.all()) {
      if (function.handler() instanceof SqsFunction queued) {
        queues.put(function.name(), new LocalQueue(function.name(), queued,
            LocalSettings.positive(env, "LEADCYCLE_QUEUE_MAX_RECEIVES", 3),
            Duration.ofMillis(LocalSettings.positive(env, "LEADCYCLE_QUEUE_RETRY_MILLIS", 1000))));
      }
    }
    return new LocalQueues(queues);
  }

  /**
   * Each queue drains what is visible, every {@value #DELIVERY_MILLIS} ms or every
   * {@code LEADCYCLE_QUEUE_DELIVERY_MILLIS} (a benchmark holds the nudged functions back with a long one);
   * FIFO groups' batches run on {@code threads}, one per group at a time.
   */
  void deliverOn(LocalTimers timers, Executor threads, Map<String, String> env) {
    long millis = LocalSettings.positive(env, "LEADCYCLE_QUEUE_DELIVERY_MILLIS", (int) DELIVERY_MILLIS);
    for (LocalQueue queue : queues.values()) {
      timers.every(queue.name(), millis, () -> {
        while (queue.deliverBatch(threads)) {
          // drain what is visible now
        }
      });
    }
  }

  /** The queue of that function, else null. */
  LocalQueue of(String function) {
    return queues.get(function);
  }

  List<String> names() {
    return List.copyOf(queues.keySet());
  }

  LocalDeadLetters deadLetters() {
    return deadLetters;
  }
}
