package io.leadcycle.functions.scorerecalculation;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.platform.Failure;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.runtime.Nudge;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Score recalculation on demand: the writers that mark contacts for rescoring (intake, interactions,
 * imports, journeys' create-lead tile, lead management, LinkedIn, a model going live) send a message to
 * the FIFO queue {@code ScoringNudgeQueue} after their transaction commits, and this function runs the
 * same budgeted pass as the scheduled run at once, for at most {@code RESCORING_RUN_SECONDS} (20), so a
 * submission is scored, and a sales-ready lead announced, within a second or two instead of at the next
 * minute. The pass nudges threshold notification when it wrote lead events.
 *
 * <p>One pass per batch, plus one per slot not yet covered: nudges are folded per second (one message
 * per slot), so a writer that marked late in a slot may have been folded into a message whose pass had
 * already looked. The message says when its slot ends ({@link Nudge#slotEnds}); when the batch's last
 * pass started before that moment (and a small margin for clocks), it waits for it and passes again.
 *
 * <p>When a pass fails, every message of the batch fails with it (reported, never parked: the body is
 * not at fault), SQS delivers them again, and after three receives the redrive policy moves them to the
 * dead-letter queue. The per-minute schedule keeps scoring meanwhile.
 */
public final class ScoringNudgeHandler extends SqsFunction {

  static final int DEFAULT_RUN_SECONDS = 20;

  /** Writers' and this function's clocks may differ a little; a pass this much after the slot's end covers it. */
  static final Duration CLOCK_MARGIN = Duration.ofMillis(200);

  /** The longest wait for a slot to end: one slot and the margin (a body naming a later time is not waited for). */
  static final Duration MAX_WAIT = Duration.ofSeconds(1).plus(CLOCK_MARGIN);

  private final Clock clock;
  private final Duration budget;
  private final RescoringPass pass;

  /** The batch being processed (identity: one Invocation per batch), its deadline, and its passes. */
  private Invocation batch;
  private Instant deadline;
  private Instant lastPassStarted;
  private Map<String, Object> total;
  private RuntimeException outcome;

  /** The constructor Lambda calls: the database and the budget come from the environment. */
  public ScoringNudgeHandler() {
    super(AwsResources.DEAD_LETTERS);
    this.clock = Clock.systemUTC();
    this.budget = budget(System.getenv());
    this.pass = new RescoringPass(SharedDatabase.warmingUp(), clock, AwsResources.NOTIFICATION_NUDGE);
  }

  ScoringNudgeHandler(Supplier<Database> database, DeadLetters deadLetters, Clock clock, Map<String, String> env,
      Nudge notificationNudge) {
    super(() -> deadLetters);
    this.clock = clock;
    this.budget = budget(env);
    this.pass = new RescoringPass(database, clock, () -> notificationNudge);
  }

  @Override
  protected synchronized void process(SQSMessage message, Invocation invocation) {
    if (invocation != batch) {
      batch = invocation;
      deadline = clock.instant().plus(budget);
      lastPassStarted = null;
      total = new LinkedHashMap<>();
      outcome = null;
    }
    if (outcome == null) {
      try {
        if (lastPassStarted == null) {
          pass(invocation);
        }
        Instant covered = covered(message);
        if (covered != null && lastPassStarted.isBefore(covered)) {
          waitUntil(covered);
          pass(invocation);
        }
      } catch (RuntimeException | Error e) {
        // Never a client error: the message is not at fault, so it must be retried, not parked.
        outcome = e instanceof RuntimeException failed && !Failure.of(e).kind().isClientError() ? failed
            : new IllegalStateException("score recalculation pass failed", e);
      }
    }
    if (outcome != null) {
      throw outcome;
    }
  }

  /** One pass with what is left of the batch's budget; its summary added to the batch's. */
  private void pass(Invocation invocation) {
    lastPassStarted = clock.instant();
    Duration left = Duration.between(lastPassStarted, deadline);
    if (left.isNegative() || left.isZero()) {
      return; // the budget is spent: the schedule (or the next nudge) continues
    }
    JsonObject run = pass.run(left, invocation.metrics());
    run.getMap().forEach((name, value) -> total.merge(name, value, ScoringNudgeHandler::add));
    total.merge("passes", 1, ScoringNudgeHandler::add);
    total.forEach(invocation::put);
  }

  /** When a pass must have started to see every writer folded into {@code message}; null: any pass does. */
  private static Instant covered(SQSMessage message) {
    Instant ends = Nudge.slotEnds(message.getBody());
    return ends == null ? null : ends.plus(CLOCK_MARGIN);
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
    return earlier instanceof Number a && later instanceof Number b ? (Object) (a.longValue() + b.longValue()) : later;
  }

  /** {@code RESCORING_RUN_SECONDS}: a whole number of seconds from 1 to 840 (20 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "RESCORING_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }
}
