package io.leadcycle.functions.linkedinsync;

import io.leadcycle.runtime.Lazy;
import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.linkedin.LinkedInApi;
import io.leadcycle.linkedin.LinkedInSettings;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.linkedin.LinkedInSync;
import io.leadcycle.runtime.Nudge;
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
  /** Responses taken in mark their contacts; scoring is nudged once they committed (docs/scoring.md). */
  private Supplier<Nudge> scoringNudge;
  private final Duration budget;
  private final LinkedInApi.Backoff backoff;
  private final Lazy<LinkedInApi> api = Lazy.of(this::newApi);

  /** The constructor Lambda calls: settings from the environment; the database and secrets on first use. */
  public LinkedInPollHandler() {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.scoringNudge = AwsResources.SCORING_NUDGE;
    this.settings = LinkedInSettings.fromEnvironment(System.getenv());
    this.budget = BudgetedRun.budget(System.getenv(), "LINKEDIN_POLL_RUN_SECONDS", DEFAULT_RUN_SECONDS);
    this.backoff = LinkedInApi.Backoff.DEFAULT;
  }

  LinkedInPollHandler(Supplier<Database> database, Clock clock, LinkedInSettings settings, Duration budget,
      LinkedInApi.Backoff backoff) {
    this.database = database;
    this.clock = clock;
    this.scoringNudge = () -> Nudge.NONE;
    this.settings = settings;
    this.budget = budget;
    this.backoff = backoff;
  }

  /** Nudges {@code nudge} where Lambda would nudge {@code SCORING_NUDGE_QUEUE_URL}'s queue (tests). */
  LinkedInPollHandler nudgingScoring(Nudge nudge) {
    this.scoringNudge = () -> nudge;
    return this;
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    return new LinkedInSync(database(), settings, this::api, clock, scoringNudge.get()).poll(budget, invocation.metrics()).toJson()
        .getMap();
  }

  private LinkedInApi api() {
    return api.get();
  }

  /** Built on first use: it needs the database, which the constructor only names. */
  private LinkedInApi newApi() {
    return new LinkedInApi(database().vertx(), settings, backoff);
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
