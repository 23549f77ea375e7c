package io.leadcycle.intake;

import io.leadcycle.store.IntakeReceiptStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Where intake keeps what each submission did, under its idempotency key: a form's receipts (its
 * submission log) for marketing pages and events, the LinkedIn response ledger for Lead Gen forms. The
 * intake transaction claims the key first and completes it last, so a replay finds the first answer.
 */
public interface IntakeLedger {

  /** True when this transaction now owns {@code key}; false when a committed entry already has it. */
  Future<Boolean> claim(SqlConnection conn, String key);

  /** The first answer stored under {@code key}, or null. */
  Future<JsonObject> response(SqlConnection conn, String key);

  /**
   * Stores what the submission did ({@code result}), what it carried ({@code received}) and the outcome in
   * words, in the claiming transaction.
   */
  Future<Void> complete(SqlConnection conn, String key, IntakeResult result, JsonObject received, String outcome);

  /** The unique source key of the interaction the submission under {@code key} records. */
  String interactionSourceKey(String key);

  /** The receipts of one marketing page or event: its submission log. */
  static IntakeLedger receipts(String formId) {
    IntakeReceiptStore receipts = new IntakeReceiptStore();
    return new IntakeLedger() {
      @Override
      public Future<Boolean> claim(SqlConnection conn, String key) {
        return receipts.claim(conn, formId, key);
      }

      @Override
      public Future<JsonObject> response(SqlConnection conn, String key) {
        return receipts.response(conn, formId, key);
      }

      @Override
      public String interactionSourceKey(String key) {
        return "form:" + formId + ":" + key;
      }

      @Override
      public Future<Void> complete(SqlConnection conn, String key, IntakeResult result, JsonObject received,
          String outcome) {
        return receipts.complete(conn, formId, key, result.createdSomething(), result.toJson(), received, outcome);
      }
    };
  }
}
