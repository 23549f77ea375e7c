package io.leadcycle.functions.segmentevaluation;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.NudgedRuns;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.runtime.Nudge;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Segment evaluation on demand: score recalculation nudges the FIFO queue {@code SegmentNudgeQueue} after it
 * rescored marked contacts (every writer that marks a contact nudges score recalculation; segments are evaluated
 * after the scores they may test), lead management after a lead changed, a segment pass with work left; this
 * function runs the same budgeted pass as the schedule at once, for at most {@code SEGMENT_RUN_SECONDS} (20).
 *
 * <p>One pass per batch, plus one after a message's slot has ended when the last pass started before it
 * ({@link NudgedRuns}). When a pass fails every message of the batch fails with it, SQS delivers them again, and
 * after three receives the redrive policy moves them to the dead-letter queue; the schedule goes on meanwhile.
 */
public final class SegmentNudgeHandler extends SqsFunction {

  static final int DEFAULT_RUN_SECONDS = 20;

  private final SegmentPass pass;
  private final NudgedRuns runs;

  /** The constructor Lambda calls: the database and the budget come from the environment. */
  public SegmentNudgeHandler() {
    this(System.getenv());
  }

  /** As Lambda's, with {@code env} for the environment (the local server's). */
  public SegmentNudgeHandler(Map<String, String> env) {
    super(AwsResources.DEAD_LETTERS);
    Clock clock = Clock.systemUTC();
    this.pass = new SegmentPass(SharedDatabase.warmingUp(), clock, AwsResources.NOTIFICATION_NUDGE,
        AwsResources.SEGMENT_NUDGE);
    this.runs = new NudgedRuns(clock, budget(env), "segment evaluation pass");
  }

  SegmentNudgeHandler(Supplier<Database> database, DeadLetters deadLetters, Clock clock, Map<String, String> env,
      Nudge notificationNudge, Nudge segmentNudge) {
    super(() -> deadLetters);
    this.pass = new SegmentPass(database, clock, () -> notificationNudge, () -> segmentNudge);
    this.runs = new NudgedRuns(clock, budget(env), "segment evaluation pass");
  }

  @Override
  protected void process(SQSMessage message, Invocation invocation) {
    runs.process(message, invocation, pass::run);
  }

  /** {@code SEGMENT_RUN_SECONDS}: a whole number of seconds from 1 to 840 (20 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "SEGMENT_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }
}
