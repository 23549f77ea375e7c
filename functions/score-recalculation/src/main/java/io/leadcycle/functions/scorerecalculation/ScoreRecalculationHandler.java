package io.leadcycle.functions.scorerecalculation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.rescoring.RecalculationService;
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
 */
public final class ScoreRecalculationHandler extends ScheduledFunction {

  static final int DEFAULT_RUN_SECONDS = 50;

  private final Clock clock;
  private final Duration budget;
  private final boolean keepPolling;

  /** The constructor Lambda calls: the database and the run budget come from the environment. */
  public ScoreRecalculationHandler() {
    this(Clock.systemUTC(), System.getenv());
  }

  private ScoreRecalculationHandler(Clock clock, Map<String, String> env) {
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = keepPolling(env);
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    super(database);
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = keepPolling(env);
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    RecalculationService service = new RecalculationService(database(), clock);
    Instant deadline = clock.instant().plus(budget);
    Map<String, Object> total = new LinkedHashMap<>(service.run(budget).toJson().getMap());
    while (keepPolling && clock.instant().plusSeconds(1).isBefore(deadline)) {
      sleepOneSecond();
      Map<String, Object> more = service.run(Duration.between(clock.instant(), deadline)).toJson().getMap();
      more.forEach((name, value) -> total.merge(name, value, ScoreRecalculationHandler::add));
    }
    total.put("polled", keepPolling);
    return total;
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
