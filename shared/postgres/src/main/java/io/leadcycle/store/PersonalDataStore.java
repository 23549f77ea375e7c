package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Everything held about one person, table by table, for their access request (docs/privacy.md, "Access: everything we
 * hold about a person"). Each query takes the contact id alone, so all of them go out at once; each row comes back as
 * a JSON object whose members are the columns' aliases (the documented names), ids and times as text.
 */
public final class PersonalDataStore {

  /**
   * The person's leads: those of the contact, and the open leads without a contact that an only_leads form matched on
   * the same normalized email (the only way such a lead is found: by its own indexed fields).
   */
  private static final String LEADS_OF_PERSON = """
      (SELECT l.id FROM leads l WHERE l.contact_id = $1
       UNION
       SELECT l.id FROM leads l JOIN contacts c ON c.id = $1
        WHERE l.contact_id IS NULL AND l.status = 'open' AND c.email_norm IS NOT NULL AND l.email_norm = c.email_norm)""";

  public Future<JsonObject> contact(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT id, account_id AS "accountId", email, first_name AS "firstName", last_name AS "lastName", phone,
               company_name AS "companyName", job_title AS "jobTitle", country, attributes, consent,
               created_at AS "createdAt", updated_at AS "updatedAt"
          FROM contacts WHERE id = $1""", contactId)
        .map(rows -> rows.isEmpty() ? null : rows.getJsonObject(0));
  }

  /** The account the contact belongs to (company data, shown for context), or null. */
  public Future<JsonObject> account(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT a.id, a.name, a.domain FROM accounts a JOIN contacts c ON c.account_id = a.id WHERE c.id = $1""",
        contactId)
        .map(rows -> rows.isEmpty() ? null : rows.getJsonObject(0));
  }

  public Future<JsonArray> leads(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT id, topic, contact_id AS "contactId", account_id AS "accountId", context_kind AS "contextKind",
               context_id AS "contextId", context_name AS "contextName", context_tile_id AS "contextTileId",
               context_details AS "contextDetails", process_id AS "processId", process_version AS "processVersion",
               stage, status, telemarketing_ready AS "telemarketingReady",
               telemarketing_accepted AS "telemarketingAccepted", sales_ready AS "salesReady",
               sales_accepted AS "salesAccepted", owner_id AS "ownerId",
               disqualification_reason AS "disqualificationReason", submitted_fields AS "submittedFields",
               stage_fields AS "stageFields", score, grade, follow_up_at AS "followUpAt",
               follow_up_user_name AS "followUpUserName", created_at AS "createdAt", updated_at AS "updatedAt"
          FROM leads WHERE id IN""" + LEADS_OF_PERSON + " ORDER BY created_at, id", contactId);
  }

  public Future<JsonArray> timelines(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT lead_id AS "leadId", field, from_value AS "from", to_value AS "to", at, actor, reason
          FROM lead_timeline WHERE lead_id IN""" + LEADS_OF_PERSON + " ORDER BY lead_id, id", contactId);
  }

  public Future<JsonArray> activities(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT lead_id AS "leadId", id, kind, outcome, note, follow_up_at AS "followUpAt",
               actor_user_id AS "actorUserId", actor_name AS "actor", created_at AS "at"
          FROM lead_activities WHERE lead_id IN""" + LEADS_OF_PERSON + " ORDER BY lead_id, created_at, id", contactId);
  }

  public Future<JsonArray> scores(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT s.lead_id AS "leadId", s.model_id AS "modelId", m.name AS "modelName", s.score, s.grade,
               s.sales_ready AS "salesReady", s.explanation, s.scored_at AS "scoredAt"
          FROM lead_scores s JOIN scoring_models m ON m.id = s.model_id
         WHERE s.lead_id IN""" + LEADS_OF_PERSON + " ORDER BY s.lead_id, m.name, m.id", contactId);
  }

  /**
   * The events written about the person: their leads' and, about the contact itself, segment joins and leaves (the
   * outbox keeps them until delivered and expired).
   */
  public Future<JsonArray> events(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT id, lead_id AS "leadId", type, payload, created_at AS "createdAt"
          FROM outbox WHERE contact_id = $1 OR lead_id IN""" + LEADS_OF_PERSON + " ORDER BY created_at, id", contactId);
  }

  /** Every delivery of those events to a subscriber, with how it went. */
  public Future<JsonArray> deliveries(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT d.outbox_id AS "eventId", d.id, d.subscriber_id AS "subscriberId", s.url AS "subscriberUrl", d.status,
               d.attempts, d.last_status AS "lastHttpStatus", d.last_error AS "lastError", d.created_at AS "createdAt",
               d.delivered_at AS "deliveredAt"
          FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
         WHERE d.outbox_id IN (SELECT o.id FROM outbox o WHERE o.contact_id = $1 OR o.lead_id IN""" + LEADS_OF_PERSON + """
        )
         ORDER BY d.created_at, d.id""", contactId);
  }

  public Future<JsonArray> opportunities(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT id, lead_id AS "leadId", topic, owner_id AS "ownerId", status, created_at AS "createdAt"
          FROM opportunities WHERE contact_id = $1 OR lead_id IN""" + LEADS_OF_PERSON + " ORDER BY created_at, id",
        contactId);
  }

  public Future<JsonArray> interactions(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT id, type, occurred_at AS "occurredAt", context_kind AS "contextKind", context_id AS "contextId",
               context_name AS "contextName", context_url AS "contextUrl", source_key AS "sourceKey", payload,
               created_at AS "recordedAt"
          FROM interactions WHERE contact_id = $1 ORDER BY occurred_at, id""", contactId);
  }

  /**
   * The submission-log entries of the person's form submissions, as received: found through the interaction each
   * submission recorded (source key {@code form:<formId>:<submission key>}), so by the receipts' primary key.
   */
  public Future<JsonArray> submissions(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT r.form_id AS "formId", r.submission_key AS "submissionId", r.received, r.outcome,
               r.created_at AS "receivedAt"
          FROM interactions i
          JOIN intake_receipts r ON r.form_id = i.context_id
                                AND r.submission_key = substr(i.source_key, length(i.context_id) + 7)
         WHERE i.contact_id = $1 AND left(i.source_key, length(i.context_id) + 6) = 'form:' || i.context_id || ':'
         ORDER BY r.created_at, r.form_id, r.submission_key""", contactId);
  }

  public Future<JsonArray> linkedInResponses(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT response_urn AS "responseUrn", form_urn AS "formUrn", submitted_at AS "submittedAt", outcome,
               lead_id AS "leadId", received, summary, processed_at AS "processedAt"
          FROM linkedin_responses WHERE contact_id = $1 ORDER BY processed_at, response_urn""", contactId);
  }

  /**
   * Import row errors whose refused cell holds the person's email (compared trimmed, ignoring case) or phone (as
   * written): a refused row created no contact, so its cell values are all that can name them.
   */
  public Future<JsonArray> importErrors(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT e.import_id AS "importId", i.file_name AS "fileName", e.row_number AS "row", e.column_name AS "column",
               e.value, e.reason, i.created_at AS "importedAt"
          FROM contacts c
          JOIN import_errors e ON (c.email IS NOT NULL AND lower(btrim(e.value)) = lower(btrim(c.email)))
                               OR (c.phone IS NOT NULL AND btrim(e.value) = btrim(c.phone))
          JOIN imports i ON i.id = e.import_id
         WHERE c.id = $1
         ORDER BY i.created_at, e.import_id, e.row_number, e.id""", contactId);
  }

  /** The journey tiles the person passed that created (or would have created) a lead for them. */
  public Future<JsonArray> journeyTileClaims(SqlClient client, UUID contactId) {
    return rows(client, """
        SELECT journey_id AS "journeyId", tile_id AS "tileId", created_for AS "createdFor", lead_id AS "leadId",
               occurred_at AS "occurredAt", created_at AS "createdAt"
          FROM journey_tile_leads
         WHERE (created_for = 'contact' AND target_id = $1) OR lead_id IN""" + LEADS_OF_PERSON + """

         ORDER BY occurred_at, journey_id, tile_id""", contactId);
  }

  private static Future<JsonArray> rows(SqlClient client, String sql, UUID contactId) {
    return client.preparedQuery(sql).execute(Tuple.of(contactId)).map(PersonalDataStore::json);
  }

  /** Rows as JSON objects by column alias: ids and times as text (times ISO-8601 UTC), JSON as JSON. */
  private static JsonArray json(RowSet<Row> rows) {
    JsonArray array = new JsonArray();
    for (Row row : rows) {
      JsonObject object = new JsonObject();
      for (int i = 0; i < row.size(); i++) {
        object.put(row.getColumnName(i), value(row.getValue(i)));
      }
      array.add(object);
    }
    return array;
  }

  private static Object value(Object value) {
    if (value == null || value == Tuple.JSON_NULL) {
      return null;
    }
    if (value instanceof UUID id) {
      return id.toString();
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toString();
    }
    return value;
  }
}
