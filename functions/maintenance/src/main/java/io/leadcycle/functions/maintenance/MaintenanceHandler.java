package io.leadcycle.functions.maintenance;

import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.intake.RetentionService;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.postgres.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Scheduled maintenance (daily in AWS): deletes form submissions older than their retention
 * ({@code SUBMISSION_RETENTION_DAYS}, 90 by default). Submissions are personal data; a replay of a
 * submission older than that is no longer recognized, so the retention is also the idempotency window.
 * The answers LinkedIn responses carried (the LinkedIn ledger's {@code received}) are cleared after the same
 * period; the ledger entry stays as the response's idempotency record (docs/privacy.md).
 *
 * <p>It also deletes lead events (outbox rows) older than {@code OUTBOX_RETENTION_DAYS} (30 by
 * default) that are done with: fanned out, with every delivery delivered or failed, or with no
 * subscriber at all; their deliveries and delivery attempts go with them. An event with a delivery
 * still pending is kept until that delivery ends.
 */
public final class MaintenanceHandler extends ScheduledFunction {

  private final Supplier<Database> database;

  /** Rows one statement deletes: short transactions, so intake never waits long on them. */
  static final int BATCH = 5_000;
  /** Batches one run deletes at most; a backlog is worked off over the following runs. */
  static final int MAX_BATCHES = 200;
  /** Events one statement deletes (each takes its deliveries and attempts with it). */
  static final int EVENT_BATCH = 1_000;
  static final int DEFAULT_OUTBOX_DAYS = 30;

  private final Clock clock;
  private final Duration retention;
  private final Duration outboxRetention;

  /** The constructor Lambda calls: the database and the retention come from the environment. */
  public MaintenanceHandler() {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.retention = SubmissionRetention.fromEnvironment(System.getenv());
    this.outboxRetention = SubmissionRetention.days(System.getenv(), "OUTBOX_RETENTION_DAYS", DEFAULT_OUTBOX_DAYS);
  }

  MaintenanceHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    this.database = database;
    this.clock = clock;
    this.retention = SubmissionRetention.fromEnvironment(env);
    this.outboxRetention = SubmissionRetention.days(env, "OUTBOX_RETENTION_DAYS", DEFAULT_OUTBOX_DAYS);
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    RetentionService retentionService = new RetentionService(database());
    Instant cutoff = clock.instant().minus(retention);
    RetentionService.Deleted submissions = retentionService.deleteSubmissionsBefore(cutoff, BATCH, MAX_BATCHES);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("submissionsDeleted", submissions.rows());
    // LinkedIn's submission log (the answers in its response ledger) follows the same retention.
    RetentionService.Deleted linkedInAnswers = retentionService.clearLinkedInAnswersBefore(cutoff, BATCH, MAX_BATCHES);
    summary.put("linkedinAnswersCleared", linkedInAnswers.rows());
    summary.put("retentionDays", retention.toDays());
    summary.put("deletedBefore", cutoff.toString());
    Instant eventCutoff = clock.instant().minus(outboxRetention);
    RetentionService.Deleted events = retentionService.deleteFinishedEventsBefore(eventCutoff, EVENT_BATCH,
        MAX_BATCHES);
    summary.put("eventsDeleted", events.rows());
    summary.put("outboxRetentionDays", outboxRetention.toDays());
    summary.put("more", submissions.more() || linkedInAnswers.more() || events.more());
    return summary;
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
