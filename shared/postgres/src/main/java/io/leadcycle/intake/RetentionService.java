package io.leadcycle.intake;

import io.leadcycle.postgres.Database;
import io.leadcycle.store.DispatchStore;
import io.leadcycle.store.IntakeReceiptStore;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * Deletes what is kept only for a while: form submissions past their retention (personal data, and the
 * window in which a replay is recognized) and lead events the notifications are done with. In batches,
 * one short transaction each, so intake never waits long on a delete. Blocks: call it from a scheduled
 * run, never an event loop.
 */
public final class RetentionService {

  /** What one kind of cleanup deleted, and whether it stopped at {@code maxBatches} with more to delete. */
  public record Deleted(int rows, boolean more) {
  }

  private final Database database;
  private final IntakeReceiptStore receipts = new IntakeReceiptStore();
  private final DispatchStore dispatch = new DispatchStore();

  public RetentionService(Database database) {
    this.database = database;
  }

  /** Deletes submissions received before {@code cutoff}, {@code batch} per transaction, at most {@code maxBatches}. */
  public Deleted deleteSubmissionsBefore(Instant cutoff, int batch, int maxBatches) {
    return inBatches(batch, maxBatches,
        () -> database.inTransaction(conn -> receipts.deleteReceivedBefore(conn, cutoff, batch)).await());
  }

  /**
   * Clears the answers of LinkedIn responses taken in before {@code cutoff} (the submission log's retention,
   * for LinkedIn's log), {@code batch} per transaction, at most {@code maxBatches}.
   */
  public Deleted clearLinkedInAnswersBefore(Instant cutoff, int batch, int maxBatches) {
    return inBatches(batch, maxBatches,
        () -> database.inTransaction(conn -> receipts.clearLinkedInAnswersBefore(conn, cutoff, batch)).await());
  }

  /**
   * Deletes lead events older than {@code cutoff} that are done with (fanned out, every delivery ended, or
   * no subscriber), with their deliveries and attempts; {@code batch} events per transaction.
   */
  public Deleted deleteFinishedEventsBefore(Instant cutoff, int batch, int maxBatches) {
    return inBatches(batch, maxBatches,
        () -> database.inTransaction(conn -> dispatch.deleteFinishedEventsBefore(conn, cutoff, batch)).await());
  }

  /** Runs {@code deleteOneBatch} until it deletes less than a batch or {@code maxBatches} ran. */
  private static Deleted inBatches(int batch, int maxBatches, IntSupplier deleteOneBatch) {
    int deleted = 0;
    int batches = 0;
    int last;
    do {
      last = deleteOneBatch.getAsInt();
      deleted += last;
      batches++;
    } while (last == batch && batches < maxBatches);
    return new Deleted(deleted, last == batch);
  }
}
