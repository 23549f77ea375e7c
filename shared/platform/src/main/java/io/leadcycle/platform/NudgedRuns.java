package io.leadcycle.platform;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.runtime.Nudge;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * How a nudged function (threshold notification's, score recalculation's) turns a batch of nudges into
 * runs of its work: one run for the batch, at once, plus one after the end of a message's slot when the
 * last run started before it. Nudges are folded per second ({@link Nudge}): a writer that committed late
 * in a slot may have been folded into a message whose run had already looked, and only a run that starts
 * after the slot's end (and a small margin for the clocks) is sure to see its rows. The runs of a batch
 * share one budget and add up their summaries into the invocation's log line ({@code passes}: how many).
 *
 * <p>When a run fails, every message of the batch fails with it: thrown again for each, never as a
 * client error (the message is not at fault), so SQS delivers them again and the redrive policy ends
 * them in the dead-letter queue after a few receives.
 *
 * <p>Call {@link #process} from {@link SqsFunction#process}; one instance per handler (it keeps the batch).
 */
public final class NudgedRuns {

  /** Writers' and the function's clocks may differ a little; a run this much after the slot's end covers it. */
  public static final Duration CLOCK_MARGIN = Duration.ofMillis(200);

  /** The longest wait for a slot to end: one slot and the margin (a body naming a later time is not waited for). */
  public static final Duration MAX_WAIT = Duration.ofSeconds(1).plus(CLOCK_MARGIN);

  private final Clock clock;
  private final Duration budget;
  private final String work;

  /**
   * The batch this thread is processing (identity: one Invocation per batch), its deadline, and its runs.
   * Per thread: in Lambda one batch at a time, but the local server hands one handler the batches of
   * several FIFO message groups at once (a full rescoring's groups run in parallel, as they do in AWS).
   */
  private final ThreadLocal<Batch> current = new ThreadLocal<>();

  private static final class Batch {
    final Invocation invocation;
    final Instant deadline;
    Instant lastRunStarted;
    final JsonObject total = new JsonObject();
    RuntimeException outcome;

    Batch(Invocation invocation, Instant deadline) {
      this.invocation = invocation;
      this.deadline = deadline;
    }
  }

  /** {@code work} names the work in a failure's message ("dispatcher run", "rescoring pass"). */
  public NudgedRuns(Clock clock, Duration budget, String work) {
    this.clock = clock;
    this.budget = budget;
    this.work = work;
  }

  /** Runs {@code run} (given what is left of the batch's budget) as this message needs; throws the batch's failure. */
  public void process(SQSMessage message, Invocation invocation, Function<Duration, JsonObject> run) {
    Batch batch = current.get();
    if (batch == null || batch.invocation != invocation) {
      batch = new Batch(invocation, clock.instant().plus(budget));
      current.set(batch);
    }
    if (batch.outcome == null) {
      try {
        if (batch.lastRunStarted == null) {
          run(batch, run);
        }
        Instant ends = Nudge.slotEnds(message.getBody());
        Instant covered = ends == null ? null : ends.plus(CLOCK_MARGIN);
        if (covered != null && batch.lastRunStarted.isBefore(covered)) {
          waitUntil(covered);
          run(batch, run);
        }
      } catch (RuntimeException | Error e) {
        batch.outcome = e instanceof RuntimeException failed && !Failure.of(e).kind().isClientError() ? failed
            : new IllegalStateException(work + " failed", e);
      }
    }
    if (batch.outcome != null) {
      throw batch.outcome;
    }
  }

  private void run(Batch batch, Function<Duration, JsonObject> run) {
    batch.lastRunStarted = clock.instant();
    Duration left = Duration.between(batch.lastRunStarted, batch.deadline);
    if (left.isNegative() || left.isZero()) {
      return; // the budget is spent: the schedule (or the next nudge) continues
    }
    JsonObject total = batch.total;
    run.apply(left).forEach(member -> total.put(member.getKey(), add(total.getValue(member.getKey()), member.getValue())));
    total.put("passes", add(total.getValue("passes"), 1));
    total.forEach(member -> batch.invocation.put(member.getKey(), member.getValue()));
  }

  private void waitUntil(Instant at) {
    Duration wait = Duration.between(clock.instant(), at);
    if (wait.compareTo(MAX_WAIT) > 0) {
      wait = MAX_WAIT;
    }
    if (wait.isNegative() || wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the nudge's slot to end", e);
    }
  }

  private static Object add(Object earlier, Object later) {
    if (earlier == null) {
      return later;
    }
    return earlier instanceof Number a && later instanceof Number b ? (Object) (a.longValue() + b.longValue()) : later;
  }
}
