package io.leadcycle.functions.scorerecalculation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.notifications.Nudge;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.LeadcycleRuntime;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.leadcycle.runtime.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = keepPolling(env);
    this.nudge = LeadcycleRuntime::nudge;
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    this(database, clock, env, Nudge.NONE);
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env, Nudge nudge) {
    super(database);
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = keepPolling(env);
    this.nudge = () -> nudge;
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    RecalculationService service = new RecalculationService(database(), clock);
    Instant deadline = clock.instant().plus(budget);
    Map<String, Object> total = new LinkedHashMap<>(nudgeIfAnnounced(service.run(budget)).toJson().getMap());
    while (keepPolling && clock.instant().plusSeconds(1).isBefore(deadline)) {
      sleepOneSecond();
      Map<String, Object> more = nudgeIfAnnounced(service.run(Duration.between(clock.instant(), deadline)))
          .toJson().getMap();
      more.forEach((name, value) -> total.merge(name, value, ScoreRecalculationHandler::add));
    }
    total.put("polled", keepPolling);
    return total;
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

  /** Counts add up; a flag keeps its latest value. */
  private static Object add(Object earlier, Object later) {
    return earlier instanceof Number a && later instanceof Number b ? (Object) (a.longValue() + b.longValue()) : later;
  }

  private static void sleepOneSecond() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for new marks", e);
    }
  }

  /** {@code RESCORING_KEEP_POLLING}: {@code true} or {@code false} (the default). */
  static boolean keepPolling(Map<String, String> env) {
    String raw = env.getOrDefault("RESCORING_KEEP_POLLING", "false").strip();
    if (!raw.equals("true") && !raw.equals("false") && !raw.isEmpty()) {
      throw new IllegalStateException("RESCORING_KEEP_POLLING must be true or false (got \"" + raw + "\").");
    }
    return raw.equals("true");
  }

  /** {@code RESCORING_RUN_SECONDS}: a whole number of seconds from 1 to 840 (Lambda's 15 minutes, less a margin). */
  static Duration budget(Map<String, String> env) {
    String raw = env.get("RESCORING_RUN_SECONDS");
    if (raw == null || raw.isBlank()) {
      return Duration.ofSeconds(DEFAULT_RUN_SECONDS);
    }
    try {
      int seconds = Integer.parseInt(raw.strip());
      if (seconds >= 1 && seconds <= 840) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException("RESCORING_RUN_SECONDS must be a whole number of seconds from 1 to 840 (got \""
        + raw + "\").");
  }
}
