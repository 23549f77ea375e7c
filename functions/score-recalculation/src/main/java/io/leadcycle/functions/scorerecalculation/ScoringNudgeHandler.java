package io.leadcycle.functions.scorerecalculation;

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
import io.leadcycle.runtime.RescoringGroups;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Score recalculation on demand: the writers that mark contacts for rescoring (intake, interactions,
 * imports, journeys' create-lead tile, lead management, LinkedIn sync, a model going live) send a message to
 * the FIFO queue {@code ScoringNudgeQueue} after their transaction commits, and this function runs the
 * same budgeted pass as the scheduled run at once, for at most {@code RESCORING_RUN_SECONDS} (20), so a
 * submission is scored, and a sales-ready lead announced, within a second or two instead of at the next
 * minute. The pass nudges threshold notification when it wrote lead events.
 *
 * <p>A full rescoring runs in N message groups at once ({@link RescoringGroups}, {@code RESCORING_PARALLELISM}):
 * a pass nudged in group {@code rescoring-k} that ends with work left nudges group k again. The template's
 * batch size is 1, because SQS may put several groups' messages in one batch, which would be one run.
 *
 * <p>One pass per batch, plus one after a message's slot has ended when the last pass started before it
 * ({@link NudgedRuns}: a writer folded into the message late in its slot is seen). When a pass fails,
 * every message of the batch fails with it (reported, never parked), SQS delivers them again, and after
 * three receives the redrive policy moves them to the dead-letter queue. The per-minute schedule keeps
 * scoring meanwhile.
 */
public final class ScoringNudgeHandler extends SqsFunction {

  static final int DEFAULT_RUN_SECONDS = 20;

  private final RescoringPass pass;
  private final NudgedRuns runs;

  /** The constructor Lambda calls: the database and the budget come from the environment. */
  public ScoringNudgeHandler() {
    this(System.getenv());
  }

  /** As Lambda's, with {@code env} for the environment (the local server's). */
  public ScoringNudgeHandler(Map<String, String> env) {
    super(AwsResources.DEAD_LETTERS);
    Clock clock = Clock.systemUTC();
    this.pass = new RescoringPass(SharedDatabase.warmingUp(), clock, AwsResources.NOTIFICATION_NUDGE,
        AwsResources.SCORING_NUDGE, RescoringGroups.fromEnvironment(env));
    this.runs = new NudgedRuns(clock, budget(env), "score recalculation pass");
  }

  ScoringNudgeHandler(Supplier<Database> database, DeadLetters deadLetters, Clock clock, Map<String, String> env,
      Nudge notificationNudge) {
    this(database, deadLetters, clock, env, notificationNudge, Nudge.NONE);
  }

  ScoringNudgeHandler(Supplier<Database> database, DeadLetters deadLetters, Clock clock, Map<String, String> env,
      Nudge notificationNudge, Nudge scoringNudge) {
    super(() -> deadLetters);
    this.pass = new RescoringPass(database, clock, () -> notificationNudge, () -> scoringNudge,
        RescoringGroups.fromEnvironment(env));
    this.runs = new NudgedRuns(clock, budget(env), "score recalculation pass");
  }

  @Override
  protected void process(SQSMessage message, Invocation invocation) {
    runs.process(message, invocation, left -> pass.run(left, invocation.metrics(), group(message)));
  }

  /** The message's FIFO group (Lambda's {@code MessageGroupId} attribute): a rescoring's group continues in it. */
  static String group(SQSMessage message) {
    return message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
  }

  /** {@code RESCORING_RUN_SECONDS}: a whole number of seconds from 1 to 840 (20 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "RESCORING_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }
}
