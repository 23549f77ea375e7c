package io.leadcycle.linkedin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ledger of LinkedIn form responses: one row per response URN, whatever delivered it (webhook or
 * poll), with what intake created or matched. Outcomes that created nothing ({@code skipped_test_lead},
 * {@code ignored_partial_match}, {@code unmapped}) may be decided again when the response is seen again;
 * {@code created}, {@code matched} and {@code deleted} are final.
 */
public final class LinkedInResponseStore {

  /** What the ledger knows of one response. */
  public record Entry(String responseUrn, String formUrn, String outcome, UUID contactId, boolean contactCreated,
      UUID leadId, boolean leadCreated, UUID interactionId, JsonObject response) {

    public boolean isFinal() {
      return outcome.equals("created") || outcome.equals("matched") || outcome.equals("deleted")
          || outcome.equals("erased");
    }
  }

  /**
   * Claims the response for intake: true when this transaction now owns it (new, or seen before without
   * anything written); false when a committed row already has a final outcome. A concurrent claim of the
   * same response waits on the primary key until the first transaction ends.
   */
  public Future<Boolean> claim(SqlClient client, String responseUrn, String formUrn, Instant submittedAt) {
    return client.preparedQuery("""
            INSERT INTO linkedin_responses (response_urn, form_urn, submitted_at, outcome)
            VALUES ($1, $2, $3, 'processing')
            ON CONFLICT (response_urn) DO UPDATE SET outcome = 'processing', form_urn = excluded.form_urn,
              submitted_at = excluded.submitted_at
              WHERE linkedin_responses.outcome IN ('skipped_test_lead', 'ignored_partial_match', 'unmapped')
            RETURNING response_urn""")
        .execute(Tuple.of(responseUrn, formUrn, at(submittedAt)))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * The intake answer stored for the response (what a replay answers); for a response deleted before it
   * was taken in, an answer that names nothing.
   */
  public Future<JsonObject> response(SqlClient client, String responseUrn) {
    return client.preparedQuery("""
            SELECT coalesce(response, jsonb_build_object('submissionId', response_urn, 'contact', NULL, 'lead', NULL,
                                                         'interactionId', NULL, 'replayed', true)) AS response
              FROM linkedin_responses WHERE response_urn = $1""")
        .execute(Tuple.of(responseUrn))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getJsonObject("response"));
  }

  /** Stores what intake did with a claimed response. */
  public Future<Void> complete(SqlClient client, String responseUrn, boolean created, UUID contactId,
      boolean contactCreated, UUID leadId, boolean leadCreated, UUID interactionId, JsonObject response,
      JsonObject received, String summary) {
    return client.preparedQuery("""
            UPDATE linkedin_responses SET outcome = $2, contact_id = $3, contact_created = $4, lead_id = $5,
                   lead_created = $6, interaction_id = $7, response = $8, received = $9, summary = $10,
                   processed_at = now()
             WHERE response_urn = $1""")
        .execute(Tuple.tuple().addString(responseUrn).addString(created ? "created" : "matched").addUUID(contactId)
            .addBoolean(contactCreated).addUUID(leadId).addBoolean(leadCreated).addUUID(interactionId)
            .addValue(response).addValue(received).addString(summary))
        .mapEmpty();
  }

  /**
   * Records a response that intake does not take ({@code outcome}: skipped_test_lead,
   * ignored_partial_match, unmapped). True when this changed the ledger (first sighting, or a different
   * revisable outcome than before); a response with a final outcome is left as it is.
   */
  public Future<Boolean> recordPassedOver(SqlClient client, String responseUrn, String formUrn, Instant submittedAt,
      String outcome, String summary) {
    return client.preparedQuery("""
            INSERT INTO linkedin_responses (response_urn, form_urn, submitted_at, outcome, summary)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (response_urn) DO UPDATE SET outcome = excluded.outcome, summary = excluded.summary,
              form_urn = excluded.form_urn, submitted_at = excluded.submitted_at, processed_at = now()
              WHERE linkedin_responses.outcome IN ('skipped_test_lead', 'ignored_partial_match', 'unmapped')
                AND linkedin_responses.outcome <> excluded.outcome
            RETURNING response_urn""")
        .execute(Tuple.of(responseUrn, formUrn, at(submittedAt), outcome, summary))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The ledger's entry for the response, or null. */
  public Future<Entry> find(SqlClient client, String responseUrn) {
    return client.preparedQuery(SELECT + " WHERE response_urn = $1").execute(Tuple.of(responseUrn))
        .map(rows -> rows.size() == 0 ? null : toEntry(rows.iterator().next()));
  }

  /** As {@link #find}, the row locked until the transaction ends (DELETED). */
  public Future<Entry> lock(SqlClient client, String responseUrn) {
    return client.preparedQuery(SELECT + " WHERE response_urn = $1 FOR UPDATE").execute(Tuple.of(responseUrn))
        .map(rows -> rows.size() == 0 ? null : toEntry(rows.iterator().next()));
  }

  private static final String SELECT = """
      SELECT response_urn, form_urn, outcome, contact_id, contact_created, lead_id, lead_created, interaction_id,
             response
        FROM linkedin_responses""";

  private static Entry toEntry(Row row) {
    return new Entry(row.getString("response_urn"), row.getString("form_urn"), row.getString("outcome"),
        row.getUUID("contact_id"), row.getBoolean("contact_created"), row.getUUID("lead_id"),
        row.getBoolean("lead_created"), row.getUUID("interaction_id"), row.getJsonObject("response"));
  }

  /**
   * Makes the response a tombstone: outcome {@code deleted}, the answers and the intake answer gone (the
   * ids stay, so support can tell what was removed); inserted when the ledger never saw the response, so
   * that a later poll does not take it in. True when it was not deleted before.
   */
  public Future<Boolean> markDeleted(SqlClient client, String responseUrn, String summary) {
    return client.preparedQuery("""
            INSERT INTO linkedin_responses (response_urn, outcome, summary) VALUES ($1, 'deleted', $2)
            ON CONFLICT (response_urn) DO UPDATE SET outcome = 'deleted', response = NULL, received = NULL,
              summary = excluded.summary, processed_at = now()
              WHERE linkedin_responses.outcome <> 'deleted'
            RETURNING response_urn""")
        .execute(Tuple.of(responseUrn, summary))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * A tombstone for a response the ledger has no committed row of; false when a row exists after all (a
   * concurrent claim committed while this waited for it), which is then left as it is.
   */
  public Future<Boolean> insertTombstone(SqlClient client, String responseUrn, String summary) {
    return client.preparedQuery("""
            INSERT INTO linkedin_responses (response_urn, outcome, summary) VALUES ($1, 'deleted', $2)
            ON CONFLICT (response_urn) DO NOTHING
            RETURNING response_urn""")
        .execute(Tuple.of(responseUrn, summary))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Whether a response other than {@code responseUrn} refers to the lead (or, with contact true, the contact). */
  public Future<Boolean> referredToByOthers(SqlClient client, String responseUrn, UUID id, boolean contact) {
    String column = contact ? "contact_id" : "lead_id";
    return client.preparedQuery("SELECT EXISTS (SELECT 1 FROM linkedin_responses WHERE " + column
            + " = $1 AND response_urn <> $2 AND outcome IN ('created', 'matched')) AS referred")
        .execute(Tuple.of(id, responseUrn))
        .map(rows -> rows.iterator().next().getBoolean("referred"));
  }

  /** How many responses reached each outcome since {@code since}. */
  public Future<Map<String, Long>> counts(SqlClient client, Instant since) {
    return client.preparedQuery("""
            SELECT outcome, count(*) AS n FROM linkedin_responses WHERE processed_at >= $1 GROUP BY outcome""")
        .execute(Tuple.of(at(since)))
        .map(rows -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          rows.forEach(row -> counts.put(row.getString("outcome"), row.getLong("n")));
          return counts;
        });
  }

  private static java.time.OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
