package io.leadcycle.functions.scorerecalculation;

import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.RescoringGroups;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.leadcycle.postgres.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Score recalculation on a schedule (every minute in AWS, every second on the local server): rescores
 * the leads whose facts changed and continues the full rescorings of models that went live, for at
 * most {@code RESCORING_RUN_SECONDS} (50) so one run ends well inside the Lambda timeout; the next run
 * continues where it stopped.
 *
 * <p>The writers that mark contacts nudge score recalculation through its own queue
 * ({@link ScoringNudgeHandler}), so scores arrive within a second or two; this schedule is the safety
 * net that picks up what a lost nudge left, and continues long full rescorings.
 *
 * <p>With {@code RESCORING_KEEP_POLLING=true} a run does not end when it runs out of work: it looks
 * for new marks every second until its budget is spent, at the price of a function that is always
 * running. With the scoring nudge it is no longer needed for fast scores; it remains an option.
 *
 * <p>A run that wrote lead events (first scored, sales-ready, grade changes) nudges threshold
 * notification once its transactions have committed ({@code NOTIFICATION_NUDGE_QUEUE_URL}; without it
 * the schedule delivers them).
 */
public final class ScoreRecalculationHandler extends ScheduledFunction {

  static final int DEFAULT_RUN_SECONDS = 50;

  private final Clock clock;
  private final Duration budget;
  private final boolean keepPolling;
  private final RescoringPass pass;

  /** The constructor Lambda calls: the database and the run budget come from the environment. */
  public ScoreRecalculationHandler() {
    this(System.getenv());
  }

  /** As Lambda's, with {@code env} for the environment (the local server's). */
  public ScoreRecalculationHandler(Map<String, String> env) {
    this(SharedDatabase.warmingUp(), Clock.systemUTC(), env, AwsResources.NOTIFICATION_NUDGE, AwsResources.SCORING_NUDGE);
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    this(database, clock, env, Nudge.NONE);
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env, Nudge nudge) {
    this(database, clock, env, () -> nudge, () -> Nudge.NONE);
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env, Nudge notificationNudge,
      Nudge scoringNudge) {
    this(database, clock, env, () -> notificationNudge, () -> scoringNudge);
  }

  private ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env,
      Supplier<Nudge> notificationNudge, Supplier<Nudge> scoringNudge) {
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = keepPolling(env);
    this.pass = new RescoringPass(database, clock, notificationNudge, scoringNudge, RescoringGroups.fromEnvironment(env));
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    return BudgetedRun.run(clock, budget, keepPolling, left -> pass.run(left, invocation.metrics(), null));
  }

  /** Whether a run wrote outbox events: first scored (stage change), sales-ready, grade changes (score changed). */
  static boolean announced(RunSummary run) {
    return RescoringPass.announced(run);
  }

  /** {@code RESCORING_RUN_SECONDS}: a whole number of seconds from 1 to 840 (50 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "RESCORING_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }

  /** {@code RESCORING_KEEP_POLLING}: {@code true} or {@code false} (the default). */
  static boolean keepPolling(Map<String, String> env) {
    return BudgetedRun.flag(env, "RESCORING_KEEP_POLLING");
  }
}
