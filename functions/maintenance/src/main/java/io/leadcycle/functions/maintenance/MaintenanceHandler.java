package io.leadcycle.functions.maintenance;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.runtime.Database;
import io.leadcycle.store.IntakeReceiptStore;
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
 */
public final class MaintenanceHandler extends ScheduledFunction {

  /** Rows one statement deletes: short transactions, so intake never waits long on them. */
  static final int BATCH = 5_000;
  /** Batches one run deletes at most; a backlog is worked off over the following runs. */
  static final int MAX_BATCHES = 200;

  private final Clock clock;
  private final Duration retention;
  private final IntakeReceiptStore receipts = new IntakeReceiptStore();

  /** The constructor Lambda calls: the database and the retention come from the environment. */
  public MaintenanceHandler() {
    this.clock = Clock.systemUTC();
    this.retention = SubmissionRetention.fromEnvironment(System.getenv());
  }

  MaintenanceHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    super(database);
    this.clock = clock;
    this.retention = SubmissionRetention.fromEnvironment(env);
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    Instant cutoff = clock.instant().minus(retention);
    int deleted = 0;
    int batches = 0;
    int last;
    do {
      last = database().inTransaction(conn -> receipts.deleteReceivedBefore(conn, cutoff, BATCH)).await();
      deleted += last;
      batches++;
    } while (last == BATCH && batches < MAX_BATCHES);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("submissionsDeleted", deleted);
    summary.put("retentionDays", retention.toDays());
    summary.put("deletedBefore", cutoff.toString());
    summary.put("more", last == BATCH);
    return summary;
  }
}
