package io.leadcycle.functions.scorerecalculation;

import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.Metric;
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
 * <p>With {@code RESCORING_KEEP_POLLING=true} a run does not end when it runs out of work: it looks
 * for new marks every second until its budget is spent. In AWS, where a schedule fires at most once a
 * minute, that brings the time from a submission to its score down to a second or two, at the price
 * of a function that is always running.
 *
 * <p>A run that wrote lead events (first scored, sales-ready, grade changes) nudges threshold
 * notification once its transactions have committed ({@code NOTIFICATION_NUDGE_QUEUE_URL}; without it
 * the schedule delivers them).
 */
public final class ScoreRecalculationHandler extends ScheduledFunction {

  private final Supplier<Database> database;

  static final int DEFAULT_RUN_SECONDS = 50;

  private final Clock clock;
  private final Duration budget;
  private final boolean keepPolling;
  private final Supplier<Nudge> nudge;

  /** The constructor Lambda calls: the database and the run budget come from the environment. */
  public ScoreRecalculationHandler() {
    this(Clock.systemUTC(), System.getenv());
  }

  private ScoreRecalculationHandler(Clock clock, Map<String, String> env) {
    this.database = SharedDatabase.warmingUp();
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = BudgetedRun.flag(env, "RESCORING_KEEP_POLLING");
    this.nudge = AwsResources.NUDGE;
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    this(database, clock, env, Nudge.NONE);
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env, Nudge nudge) {
    this.database = database;
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = BudgetedRun.flag(env, "RESCORING_KEEP_POLLING");
    this.nudge = () -> nudge;
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    RecalculationService service = new RecalculationService(database(), clock);
    return BudgetedRun.run(clock, budget, keepPolling, left -> {
      RunSummary run = nudgeIfAnnounced(service.run(left));
      invocation.metrics().count(Metric.LEADS_SCORED, run.leadsScored());
      invocation.metrics().count(Metric.LEADS_BECAME_SALES_READY, run.salesReady());
      return run.toJson();
    });
  }

  /** Nudges threshold notification when the run wrote outbox events; {@code run} has committed them. */
  private RunSummary nudgeIfAnnounced(RunSummary run) {
    if (announced(run)) {
      nudge.get().send("score-recalculation");
    }
    return run;
  }

  /** Whether a run wrote outbox events: first scored (stage change), sales-ready, grade changes (score changed). */
  static boolean announced(RunSummary run) {
    return run.firstScored() + run.salesReady() + run.gradeChanges() > 0;
  }

  /** {@code RESCORING_RUN_SECONDS}: a whole number of seconds from 1 to 840 (50 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "RESCORING_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }

  /** {@code RESCORING_KEEP_POLLING}: {@code true} or {@code false} (the default). */
  static boolean keepPolling(Map<String, String> env) {
    return BudgetedRun.flag(env, "RESCORING_KEEP_POLLING");
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
