package io.leadcycle.linkedin;

import io.leadcycle.store.Rows;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The LinkedIn poll's one state row: watermark, last poll, last error, since when counts count. */
public final class LinkedInSyncStateStore {

  /** The state as stored. */
  public record State(Instant watermark, Instant lastPollStartedAt, Instant lastPollFinishedAt, String lastPollOutcome,
      Integer lastPollResponses, Instant lastSuccessfulPollAt, String lastError, Instant lastErrorAt,
      Instant countsSince) {
  }

  public Future<State> get(SqlClient client) {
    return client.query("""
            SELECT watermark, last_poll_started_at, last_poll_finished_at, last_poll_outcome, last_poll_responses,
                   last_successful_poll_at, last_error, last_error_at, counts_since
              FROM linkedin_sync_state""")
        .execute()
        .map(rows -> toState(rows.iterator().next()));
  }

  /**
   * Takes the poll lease until {@code until}, unless another poll holds it; answers the state as the poll
   * starts, or null when another poll is running.
   */
  public Future<State> startPoll(SqlClient client, Instant now, Instant until) {
    return client.preparedQuery("""
            UPDATE linkedin_sync_state SET poll_lease_until = $2, last_poll_started_at = $1
             WHERE poll_lease_until IS NULL OR poll_lease_until < $1
            RETURNING watermark, last_poll_started_at, last_poll_finished_at, last_poll_outcome, last_poll_responses,
                      last_successful_poll_at, last_error, last_error_at, counts_since""")
        .execute(Tuple.of(at(now), at(until)))
        .map(rows -> rows.size() == 0 ? null : toState(rows.iterator().next()));
  }

  /**
   * A poll that started at {@code watermark} read everything up to it: it moves there, and the error is
   * cleared; unless the sync status was reset while the poll ran (its start is no longer the last poll's),
   * which leaves the watermark cleared, so that the next poll reads the last 365 days as the reset asked.
   */
  public Future<Void> pollCompleted(SqlClient client, Instant finishedAt, Instant watermark, int responses) {
    return client.preparedQuery("""
            UPDATE linkedin_sync_state
               SET watermark = CASE WHEN last_poll_started_at = $2 THEN $2 ELSE watermark END,
                   last_poll_finished_at = $1, last_poll_outcome = 'completed',
                   last_poll_responses = $3, last_successful_poll_at = $1, last_error = NULL, last_error_at = NULL,
                   poll_lease_until = NULL""")
        .execute(Tuple.of(at(finishedAt), at(watermark), responses))
        .mapEmpty();
  }

  /** A poll stopped early: the watermark stays, so the next poll starts where this one did. */
  public Future<Void> pollFailed(SqlClient client, Instant finishedAt, int responses, String error) {
    return client.preparedQuery("""
            UPDATE linkedin_sync_state SET last_poll_finished_at = $1, last_poll_outcome = 'failed',
                   last_poll_responses = $2, last_error = $3, last_error_at = $1, poll_lease_until = NULL""")
        .execute(Tuple.of(at(finishedAt), responses, error))
        .mapEmpty();
  }

  /** An error outside a poll (a webhook could not fetch its lead). */
  public Future<Void> recordError(SqlClient client, Instant at, String error) {
    return client.preparedQuery("UPDATE linkedin_sync_state SET last_error = $2, last_error_at = $1")
        .execute(Tuple.of(at(at), error))
        .mapEmpty();
  }

  /**
   * Starts over: no watermark (the next poll reads the last 365 days again; the ledger keeps every
   * response from being taken twice), no last poll or error, counts from now. A running poll keeps its lease.
   */
  public Future<Void> reset(SqlClient client) {
    // The database's clock, as the ledger's processed_at that the counts compare with.
    return client.query("""
            UPDATE linkedin_sync_state SET watermark = NULL, last_poll_started_at = NULL, last_poll_finished_at = NULL,
                   last_poll_outcome = NULL, last_poll_responses = NULL, last_successful_poll_at = NULL,
                   last_error = NULL, last_error_at = NULL, counts_since = now()""")
        .execute()
        .mapEmpty();
  }

  private static State toState(Row row) {
    return new State(Rows.instant(row, "watermark"), Rows.instant(row, "last_poll_started_at"),
        Rows.instant(row, "last_poll_finished_at"), row.getString("last_poll_outcome"),
        row.getInteger("last_poll_responses"), Rows.instant(row, "last_successful_poll_at"),
        row.getString("last_error"), Rows.instant(row, "last_error_at"), Rows.instant(row, "counts_since"));
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
