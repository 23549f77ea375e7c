package io.leadcycle.intake;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.ConsentSource;
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

  /** Where consent sent with the submission under {@code key} came from, for the contact's consent history. */
  ConsentSource consentSource(String key);

  /**
   * The receipts of one marketing page or event: its submission log. A key is bound to the request
   * that used it first ({@code requestHash}, see {@link RequestHash}): the same key with another
   * request is a {@link Conflict}, not a replay. A null hash (a caller that does not hash) and a
   * receipt stored without one are not compared.
   */
  static IntakeLedger receipts(String formId, String requestHash) {
    IntakeReceiptStore receipts = new IntakeReceiptStore();
    return new IntakeLedger() {
      @Override
      public Future<Boolean> claim(SqlConnection conn, String key) {
        return receipts.claim(conn, formId, key, requestHash);
      }

      @Override
      public Future<JsonObject> response(SqlConnection conn, String key) {
        return receipts.receipt(conn, formId, key).map(receipt -> {
          if (receipt == null) {
            return null;
          }
          if (requestHash != null && receipt.requestHash() != null && !receipt.requestHash().equals(requestHash)) {
            throw new Conflict("The idempotency key " + key + " (the submissionId, else the webhook-id) was "
                + "already used for a different submission to form " + formId + ": send a new submissionId for a "
                + "new submission, or exactly the same body to repeat one.");
          }
          return receipt.response();
        });
      }

      @Override
      public String interactionSourceKey(String key) {
        return "form:" + formId + ":" + key;
      }

      @Override
      public ConsentSource consentSource(String key) {
        return ConsentSource.form(formId, key, IntakeService.ACTOR);
      }

      @Override
      public Future<Void> complete(SqlConnection conn, String key, IntakeResult result, JsonObject received,
          String outcome) {
        return receipts.complete(conn, formId, key, result.createdSomething(), result.encodedJson(), received,
            outcome);
      }
    };
  }
}
