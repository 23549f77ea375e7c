package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The intake receipts: the idempotency record of intake and, with what each submission carried and
 * did, the form's submission log. A transaction first claims (form, submission key); a concurrent
 * claim of the same key waits on the unique index until the first transaction ends, then sees the
 * stored response, so racing replays also return the first result.
 */
public final class IntakeReceiptStore {

  /** One entry of a form's submission log. */
  public record LoggedSubmission(String submissionKey, Instant receivedAt, JsonObject received, JsonObject response,
      String outcome) {
  }

  /**
   * A submission's first answer and the hash of the request that got it ({@code requestHash} null: a
   * receipt written before requests were hashed).
   */
  public record Receipt(JsonObject response, String requestHash) {
  }

  /**
   * True when this transaction now owns the key, with the hash of its request; false when a committed
   * receipt already has it.
   */
  public Future<Boolean> claim(SqlClient client, String formId, String submissionKey, String requestHash) {
    return client.preparedQuery("""
            INSERT INTO intake_receipts (form_id, submission_key, request_hash) VALUES ($1, $2, $3)
            ON CONFLICT (form_id, submission_key) DO NOTHING""")
        .execute(Tuple.of(formId, submissionKey, requestHash))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The receipt of the submission {@code submissionKey}, or null when the form has no such submission. */
  public Future<Receipt> receipt(SqlClient client, String formId, String submissionKey) {
    return client.preparedQuery(
            "SELECT response, request_hash FROM intake_receipts WHERE form_id = $1 AND submission_key = $2")
        .execute(Tuple.of(formId, submissionKey))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Receipt(row.getJsonObject("response"), row.getString("request_hash"));
        });
  }

  /**
   * Stores what the submission carried and did: the answer replays get, the submission as received
   * and the outcome in words. {@code status} is kept for support queries: 201 when the submission
   * created a contact or lead, else 200 (what an HTTP source answered). {@code response} is JSON text, the
   * one the HTTP answer sends, so it is encoded once.
   */
  public Future<Void> complete(SqlClient client, String formId, String submissionKey, boolean createdSomething,
      String response, JsonObject received, String outcome) {
    return client.preparedQuery("""
            UPDATE intake_receipts SET status = $3, response = $4::text::jsonb, received = $5, outcome = $6
             WHERE form_id = $1 AND submission_key = $2""")
        .execute(Tuple.of(formId, submissionKey, createdSomething ? 201 : 200, response, received, outcome))
        .mapEmpty();
  }

  /**
   * Up to {@code limit} submissions of the form, newest first, after the position ({@code afterAt},
   * {@code afterKey}) of the previous page's last entry (both null: from the newest).
   */
  public Future<List<LoggedSubmission>> list(SqlClient client, String formId, Instant afterAt, String afterKey,
      int limit) {
    Tuple params = Tuple.tuple().addString(formId).addInteger(limit);
    String sql = "SELECT submission_key, created_at, received, response, outcome FROM intake_receipts"
        + " WHERE form_id = $1 AND response IS NOT NULL";
    if (afterKey != null) {
      params.addOffsetDateTime(afterAt.atOffset(ZoneOffset.UTC)).addString(afterKey);
      sql += " AND (created_at, submission_key) < ($3, $4)";
    }
    sql += " ORDER BY created_at DESC, submission_key DESC LIMIT $2";
    return client.preparedQuery(sql).execute(params).map(rows -> {
      List<LoggedSubmission> page = new ArrayList<>();
      for (Row row : rows) {
        page.add(new LoggedSubmission(row.getString("submission_key"), Rows.instant(row, "created_at"),
            row.getJsonObject("received"), row.getJsonObject("response"), row.getString("outcome")));
      }
      return page;
    });
  }

  /**
   * Deletes submissions received before {@code before}, at most {@code batch} of them (a retention job
   * calls this until it returns less than a batch, so no statement holds locks for long).
   */
  /**
   * Clears the answers (as mapped) of up to {@code batch} LinkedIn responses taken in before {@code before}:
   * the LinkedIn ledger is intake's other submission log, and its answers are kept as long as a form's. The
   * entry stays, without personal data, as the response's idempotency record. Returns how many were cleared.
   */
  public Future<Integer> clearLinkedInAnswersBefore(SqlClient client, Instant before, int batch) {
    return client.preparedQuery("""
            UPDATE linkedin_responses SET received = NULL WHERE response_urn IN (
              SELECT response_urn FROM linkedin_responses WHERE processed_at < $1 AND received IS NOT NULL
               ORDER BY processed_at LIMIT $2 FOR UPDATE SKIP LOCKED)""")
        .execute(Tuple.of(before.atOffset(ZoneOffset.UTC), batch))
        .map(rows -> rows.rowCount());
  }

  public Future<Integer> deleteReceivedBefore(SqlClient client, Instant before, int batch) {
    return client.preparedQuery("""
            DELETE FROM intake_receipts WHERE ctid IN (
              SELECT ctid FROM intake_receipts WHERE created_at < $1 ORDER BY created_at LIMIT $2)""")
        .execute(Tuple.of(before.atOffset(ZoneOffset.UTC), batch))
        .map(rows -> rows.rowCount());
  }
}
