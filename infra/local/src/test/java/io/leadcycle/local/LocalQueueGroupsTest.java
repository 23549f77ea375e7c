package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local queue delivers FIFO groups as Lambda's event source does: a batch holds one group's messages
 * (with their MessageGroupId), a group has one batch in flight at a time, and different groups' batches
 * run at once, which is what lets a full rescoring's N groups be N parallel runs on the local server too.
 */
class LocalQueueGroupsTest {

  /** Holds every batch until released; records each message as group/body and its batch. */
  static final class Holding extends SqsFunction {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger running = new AtomicInteger();
    final List<String> processed = new CopyOnWriteArrayList<>();
    final Map<Invocation, List<String>> batches = new ConcurrentHashMap<>();

    Holding() {
      super(() -> DeadLetters.NONE);
    }

    @Override
    protected void process(SQSMessage message, Invocation invocation) {
      String seen = message.getAttributes().get("MessageGroupId") + "/" + message.getBody();
      batches.computeIfAbsent(invocation, i -> new CopyOnWriteArrayList<>()).add(seen);
      running.incrementAndGet();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        running.decrementAndGet();
      }
      processed.add(seen);
    }
  }

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Holding function = new Holding();
  private final LocalQueue queue = new LocalQueue("scoring-nudge", function, 3, Duration.ofMillis(50));

  @AfterEach
  void stop() {
    function.release.countDown();
    threads.shutdownNow();
  }

  @Test
  void groupsRunAtOnceAndEachGroupOneBatchAtATime() {
    queue.send("a1", Map.of(), "rescoring-1");
    queue.send("b1", Map.of(), "rescoring-2");
    queue.send("a2", Map.of(), "rescoring-1");

    assertThat(queue.deliverBatch(threads::execute)).isTrue();
    assertThat(queue.deliverBatch(threads::execute)).isTrue();
    // A batch's messages are processed one after another: each group's first is held now.
    Waiting.until("both groups' batches running at once", () -> function.running.get() == 2);

    queue.send("a3", Map.of(), "rescoring-1");
    assertThat(queue.deliverBatch(threads::execute)).as("group 1 has a batch in flight: its next message waits").isFalse();
    queue.send("c1", Map.of(), "leadcycle-scoring-nudge");
    assertThat(queue.deliverBatch(threads::execute)).as("another group does not wait").isTrue();
    Waiting.until("the third group running too", () -> function.running.get() == 3);

    function.release.countDown();
    Waiting.until("the first batches done", () -> function.processed.size() == 4);
    assertThat(function.batches.values()).as("a batch holds one group's messages, in order").containsExactlyInAnyOrder(
        List.of("rescoring-1/a1", "rescoring-1/a2"), List.of("rescoring-2/b1"), List.of("leadcycle-scoring-nudge/c1"));
    Waiting.until("group 1's next batch delivered", () -> queue.deliverBatch(threads::execute));
    Waiting.until("group 1's next batch done", () -> function.processed.contains("rescoring-1/a3"));
    assertThat(queue.status().getInteger("waiting")).isZero();
  }

  @Test
  void messagesWithoutAGroupAreDeliveredOnTheCallersThreadAsBefore() {
    function.release.countDown();
    queue.send("plain-1", Map.of());
    queue.send("plain-2", Map.of());

    assertThat(queue.deliverBatch(command -> {
      throw new AssertionError("an ungrouped batch is not handed to the group threads");
    })).isTrue();

    assertThat(function.processed).containsExactly("null/plain-1", "null/plain-2");
  }
}
