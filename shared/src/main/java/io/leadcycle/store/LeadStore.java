package io.leadcycle.store;

import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.NewLead;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Leads: one expression of interest of a contact (or account) in one marketing context. */
public final class LeadStore {

  /** An open lead found by a lead strategy, locked for the rest of the transaction. */
  public record MatchedLead(UUID id, Map<String, String> submittedFields) {
  }

  /**
   * The oldest open lead of {@code contactId} whose marketing context and contact fields equal the key.
   * Leads of other contacts never match: one person's submission must not update another's lead.
   */
  public Future<MatchedLead> findOpenMatch(SqlClient client, UUID contactId, MatchKey key) {
    String sql = "SELECT l.id, l.submitted_fields FROM leads l JOIN contacts c ON c.id = l.contact_id"
        + " WHERE l.status = 'open' AND l.contact_id = $1 AND " + MatchColumns.where(key, "c", "l", 2)
        + " ORDER BY l.created_at, l.id LIMIT 1 FOR UPDATE OF l";
    return client.preparedQuery(sql).execute(MatchColumns.values(Tuple.of(contactId), key))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new MatchedLead(row.getUUID("id"), Rows.stringMap(row.getJsonObject("submitted_fields")));
        });
  }

  public Future<UUID> insert(SqlClient client, NewLead lead) {
    String sql = """
        INSERT INTO leads (topic, contact_id, account_id, context_kind, context_id, context_name, submitted_fields)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        RETURNING id""";
    return client.preparedQuery(sql)
        .execute(Tuple.tuple()
            .addString(lead.topic()).addUUID(lead.contactId()).addUUID(lead.accountId())
            .addString(lead.contextKind()).addString(lead.contextId()).addString(lead.contextName())
            .addValue(Rows.json(lead.submittedFields())))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  public Future<Void> updateSubmittedFields(SqlClient client, UUID id, Map<String, String> submittedFields) {
    return client.preparedQuery(
            "UPDATE leads SET submitted_fields = $1, updated_at = now(), version = version + 1 WHERE id = $2")
        .execute(Tuple.of(Rows.json(submittedFields), id))
        .mapEmpty();
  }

  public Future<List<UUID>> openLeadIds(SqlClient client, UUID contactId) {
    return client.preparedQuery("SELECT id FROM leads WHERE contact_id = $1 AND status = 'open' ORDER BY created_at, id")
        .execute(Tuple.of(contactId))
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getUUID("id")));
          return ids;
        });
  }
}
