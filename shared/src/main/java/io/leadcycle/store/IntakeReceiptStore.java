package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The idempotency record of intake. A transaction first claims (form, submission key); a concurrent
 * claim of the same key waits on the unique index until the first transaction ends, then sees the
 * stored response, so racing replays also return the first result.
 */
public final class IntakeReceiptStore {

  /** True when this transaction now owns the key; false when a committed receipt already has it. */
  public Future<Boolean> claim(SqlClient client, String formId, String submissionKey) {
    return client.preparedQuery("""
            INSERT INTO intake_receipts (form_id, submission_key) VALUES ($1, $2)
            ON CONFLICT (form_id, submission_key) DO NOTHING""")
        .execute(Tuple.of(formId, submissionKey))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<JsonObject> response(SqlClient client, String formId, String submissionKey) {
    return client.preparedQuery("SELECT response FROM intake_receipts WHERE form_id = $1 AND submission_key = $2")
        .execute(Tuple.of(formId, submissionKey))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getJsonObject("response"));
  }

  /**
   * Stores what the submission did, for replays to answer with. {@code status} is kept for support
   * queries: 201 when the submission created a contact or lead, else 200 (what an HTTP source answered).
   */
  public Future<Void> complete(SqlClient client, String formId, String submissionKey, boolean createdSomething,
      JsonObject response) {
    return client.preparedQuery(
            "UPDATE intake_receipts SET status = $3, response = $4 WHERE form_id = $1 AND submission_key = $2")
        .execute(Tuple.of(formId, submissionKey, createdSomething ? 201 : 200, response))
        .mapEmpty();
  }
}
