package io.leadcycle.functions.segmentevaluation;

import io.leadcycle.postgres.Database;
import io.leadcycle.segmentation.SegmentEvaluation;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One budgeted pass of segment evaluation, as both triggers run it (the schedule and the segment nudge):
 * the marked contacts in every dynamic segment, then pending and stale segments fully. A pass that wrote joins
 * or leaves nudges threshold notification (it delivers them as webhooks; committed by then); one whose budget
 * ran out with work left nudges segment evaluation, so the next invocation goes on within seconds.
 */
final class SegmentPass {

  private final Supplier<Database> database;
  private final Clock clock;
  private final Supplier<io.leadcycle.runtime.Nudge> notificationNudge;
  private final Supplier<io.leadcycle.runtime.Nudge> segmentNudge;

  SegmentPass(Supplier<Database> database, Clock clock, Supplier<io.leadcycle.runtime.Nudge> notificationNudge,
      Supplier<io.leadcycle.runtime.Nudge> segmentNudge) {
    this.database = database;
    this.clock = clock;
    this.notificationNudge = notificationNudge;
    this.segmentNudge = segmentNudge;
  }

  JsonObject run(Duration left) {
    SegmentEvaluation.RunSummary run = new SegmentEvaluation(database.get(), clock).run(left);
    if (run.announced()) {
      notificationNudge.get().send("segment-evaluation");
    }
    if (run.more()) {
      segmentNudge.get().send("segment-evaluation: work left");
    }
    return run.toJson();
  }
}
