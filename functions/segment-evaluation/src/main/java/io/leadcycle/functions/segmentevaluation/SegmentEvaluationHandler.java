package io.leadcycle.functions.segmentevaluation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.runtime.Nudge;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Segment evaluation on a schedule (every minute in AWS, every second on the local server): first the contacts whose
 * facts changed since the last run (a contact waiting to join a journey goes first), then new and changed segments
 * fully, and segments last evaluated fully an hour ago again (time passing moves "within N days"), for at most
 * {@code SEGMENT_RUN_SECONDS} (50).
 *
 * <p>Writers nudge it through its own queue ({@link SegmentNudgeHandler}) so a contact joins within seconds; this
 * schedule is the safety net that picks up what a lost nudge left. A run that wrote joins or leaves nudges
 * threshold notification ({@code NOTIFICATION_NUDGE_QUEUE_URL}), which delivers them as signed webhooks.
 */
public final class SegmentEvaluationHandler extends ScheduledFunction {

  static final int DEFAULT_RUN_SECONDS = 50;

  private final Clock clock;
  private final Duration budget;
  private final SegmentPass pass;

  /** The constructor Lambda calls: the database and the run budget come from the environment. */
  public SegmentEvaluationHandler() {
    this(System.getenv());
  }

  /** As Lambda's, with {@code env} for the environment (the local server's). */
  public SegmentEvaluationHandler(Map<String, String> env) {
    this(SharedDatabase.warmingUp(), Clock.systemUTC(), env, AwsResources.NOTIFICATION_NUDGE, AwsResources.SEGMENT_NUDGE);
  }

  SegmentEvaluationHandler(Supplier<Database> database, Clock clock, Map<String, String> env, Nudge notificationNudge,
      Nudge segmentNudge) {
    this(database, clock, env, () -> notificationNudge, () -> segmentNudge);
  }

  private SegmentEvaluationHandler(Supplier<Database> database, Clock clock, Map<String, String> env,
      Supplier<Nudge> notificationNudge, Supplier<Nudge> segmentNudge) {
    this.clock = clock;
    this.budget = budget(env);
    this.pass = new SegmentPass(database, clock, notificationNudge, segmentNudge);
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    return BudgetedRun.run(clock, budget, false, pass::run);
  }

  /** {@code SEGMENT_RUN_SECONDS}: a whole number of seconds from 1 to 840 (50 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "SEGMENT_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }
}
