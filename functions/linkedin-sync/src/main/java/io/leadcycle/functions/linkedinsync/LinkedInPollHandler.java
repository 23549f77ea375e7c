package io.leadcycle.functions.linkedinsync;

import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.linkedin.LinkedInApi;
import io.leadcycle.linkedin.LinkedInSettings;
import io.leadcycle.linkedin.LinkedInSync;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.postgres.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The LinkedIn poll on a schedule (every 15 minutes in AWS): reads the Lead Gen form responses of every
 * {@code LINKEDIN_OWNER} since the watermark and takes in what the webhook missed, for at most
 * {@code LINKEDIN_POLL_RUN_SECONDS} (240); see {@link LinkedInSync#poll}.
 */
public final class LinkedInPollHandler extends ScheduledFunction {

  private final Supplier<Database> database;

  static final int DEFAULT_RUN_SECONDS = 240;

  private final Clock clock;
  private final LinkedInSettings settings;
  private final Duration budget;
  private final LinkedInApi.Backoff backoff;
  private LinkedInApi api;

  /** The constructor Lambda calls: settings from the environment; the database and secrets on first use. */
  public LinkedInPollHandler() {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.settings = LinkedInSettings.fromEnvironment(System.getenv());
    this.budget = BudgetedRun.budget(System.getenv(), "LINKEDIN_POLL_RUN_SECONDS", DEFAULT_RUN_SECONDS);
    this.backoff = LinkedInApi.Backoff.DEFAULT;
  }

  LinkedInPollHandler(Supplier<Database> database, Clock clock, LinkedInSettings settings, Duration budget,
      LinkedInApi.Backoff backoff) {
    this.database = database;
    this.clock = clock;
    this.settings = settings;
    this.budget = budget;
    this.backoff = backoff;
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    return new LinkedInSync(database(), settings, this::api, clock).poll(budget, invocation.metrics()).toJson()
        .getMap();
  }

  private synchronized LinkedInApi api() {
    if (api == null) {
      api = new LinkedInApi(database().vertx(), settings, backoff);
    }
    return api;
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
