package io.leadcycle.functions.scorerecalculation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.runtime.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Score recalculation on a schedule (every minute in AWS, every second on the local server): rescores
 * the leads whose facts changed and continues the full rescorings of models that went live, for at
 * most {@code RESCORING_RUN_SECONDS} (50) so one run ends well inside the Lambda timeout; the next run
 * continues where it stopped.
 */
public final class ScoreRecalculationHandler extends ScheduledFunction {

  static final int DEFAULT_RUN_SECONDS = 50;

  private final Clock clock;
  private final Duration budget;

  /** The constructor Lambda calls: the database and the run budget come from the environment. */
  public ScoreRecalculationHandler() {
    this.clock = Clock.systemUTC();
    this.budget = budget(System.getenv());
  }

  ScoreRecalculationHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    super(database);
    this.clock = clock;
    this.budget = budget(env);
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    return new RecalculationService(database(), clock).run(budget).toJson().getMap();
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
