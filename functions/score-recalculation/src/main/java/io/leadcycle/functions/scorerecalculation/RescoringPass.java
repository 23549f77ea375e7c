package io.leadcycle.functions.scorerecalculation;

import io.leadcycle.postgres.Database;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.runtime.Nudge;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One budgeted pass of score recalculation, as both triggers run it (the schedule and the scoring nudge):
 * rescores what was marked and continues full rescorings until nothing is left or the budget is spent,
 * counts it, and nudges threshold notification when it wrote lead events (they are committed by then).
 * A pass whose budget ran out with work left nudges score recalculation itself, so that in AWS the next
 * invocation continues within seconds rather than at the next scheduled minute.
 */
final class RescoringPass {

  private final Supplier<Database> database;
  private final Clock clock;
  private final Supplier<Nudge> notificationNudge;
  private final Supplier<Nudge> scoringNudge;

  RescoringPass(Supplier<Database> database, Clock clock, Supplier<Nudge> notificationNudge,
      Supplier<Nudge> scoringNudge) {
    this.database = database;
    this.clock = clock;
    this.notificationNudge = notificationNudge;
    this.scoringNudge = scoringNudge;
  }

  JsonObject run(Duration left, Metrics metrics) {
    RunSummary run = new RecalculationService(database.get(), clock).run(left);
    if (announced(run)) {
      notificationNudge.get().send("score-recalculation");
    }
    if (run.more()) {
      scoringNudge.get().send("score-recalculation: work left");
    }
    metrics.count(Metric.LEADS_SCORED, run.leadsScored());
    metrics.count(Metric.LEADS_BECAME_SALES_READY, run.salesReady());
    return run.toJson();
  }

  /** Whether a run wrote outbox events: first scored (stage change), sales-ready, grade changes (score changed). */
  static boolean announced(RunSummary run) {
    return run.firstScored() + run.salesReady() + run.gradeChanges() > 0;
  }
}
