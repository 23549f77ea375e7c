package io.leadcycle.functions.scorerecalculation;

import io.leadcycle.postgres.Database;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.RescoringGroups;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One budgeted pass of score recalculation, as both triggers run it (the schedule and the scoring nudge):
 * rescores what was marked and continues full rescorings until nothing is left or the budget is spent,
 * counts it, and nudges threshold notification when it wrote lead events (they are committed by then).
 *
 * <p>A pass whose budget ran out with work left nudges score recalculation itself, so that in AWS the next
 * invocation continues within seconds rather than at the next scheduled minute ({@link RescoringGroups}):
 * <ul>
 *   <li>nudged in a rescoring's group ({@code rescoring-k}): group k again, so each of the N runs keeps
 *       going until no part is left;</li>
 *   <li>otherwise (the schedule, a writer's nudge) with a full rescoring under way (it scored some of one,
 *       or split one into parts): every rescoring group, so N runs take the parts at once;</li>
 *   <li>otherwise (marks left): the writers' group.</li>
 * </ul>
 * A pass that split a rescoring into parts nudges every group too (a publish already did, unless its nudges
 * were lost or the rescoring was started by the schedule). A pass with nothing left nudges nobody, except
 * segment evaluation after any pass that rescored marked contacts (docs/segments.md, "Marks and nudges").
 */
final class RescoringPass {

  private final Supplier<Database> database;
  private final Clock clock;
  private final Supplier<Nudge> notificationNudge;
  private final Supplier<Nudge> scoringNudge;
  private final RescoringGroups groups;

  private final Supplier<Nudge> segmentNudge;

  /** As below, nudging segment evaluation through its queue when configured ({@code SEGMENT_NUDGE_QUEUE_URL}). */
  RescoringPass(Supplier<Database> database, Clock clock, Supplier<Nudge> notificationNudge,
      Supplier<Nudge> scoringNudge, RescoringGroups groups) {
    this(database, clock, notificationNudge, scoringNudge, groups, io.leadcycle.aws.AwsResources.SEGMENT_NUDGE);
  }

  RescoringPass(Supplier<Database> database, Clock clock, Supplier<Nudge> notificationNudge,
      Supplier<Nudge> scoringNudge, RescoringGroups groups, Supplier<Nudge> segmentNudge) {
    this.segmentNudge = segmentNudge;
    this.database = database;
    this.clock = clock;
    this.notificationNudge = notificationNudge;
    this.scoringNudge = scoringNudge;
    this.groups = groups;
  }

  /** A pass; {@code group}: the message group of the nudge that started it (null: the schedule). */
  JsonObject run(Duration left, Metrics metrics, String group) {
    RunSummary run = new RecalculationService(database.get(), clock).run(left);
    if (announced(run)) {
      notificationNudge.get().send("score-recalculation");
    }
    if (run.contactsRescored() > 0) {
      // Marked contacts are marked for segments too, and rescored ones again: segment evaluation runs after the
      // scores it may test are written (every writer that marks nudges score recalculation, so this is theirs).
      segmentNudge.get().send("score-recalculation");
    }
    continueWith(run, group);
    metrics.count(Metric.LEADS_SCORED, run.leadsScored());
    metrics.count(Metric.LEADS_BECAME_SALES_READY, run.salesReady());
    JsonObject summary = run.toJson();
    return group == null ? summary : summary.put("group", group);
  }

  private void continueWith(RunSummary run, String group) {
    if (!run.more()) {
      return;
    }
    boolean rescoring = run.fullRescoringLeads() > 0 || run.rescoringsSplit() > 0;
    if (run.rescoringsSplit() > 0 || rescoring && !RescoringGroups.isRescoringGroup(group)) {
      groups.nudgeEach(scoringNudge.get(), "score-recalculation: rescoring parts left");
    }
    if (RescoringGroups.isRescoringGroup(group)) {
      scoringNudge.get().send("score-recalculation: work left", group); // folded when the fan-out above sent it
    } else if (!rescoring) {
      scoringNudge.get().send("score-recalculation: work left");
    }
  }

  /** Whether a run wrote outbox events: first scored (stage change), sales-ready, grade changes (score changed). */
  static boolean announced(RunSummary run) {
    return run.firstScored() + run.salesReady() + run.gradeChanges() > 0;
  }
}
