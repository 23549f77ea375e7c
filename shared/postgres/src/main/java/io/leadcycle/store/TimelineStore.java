package io.leadcycle.store;

import io.leadcycle.domain.Activity;
import io.leadcycle.domain.TimelineEntry;
import io.leadcycle.process.Change;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Each lead's timeline: every stage, flag, owner, status and link change, and every activity, oldest first. */
public final class TimelineStore {

  public Future<Void> append(SqlClient client, UUID leadId, List<Change> changes, String actor, String reason) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (Change change : changes) {
      batch.add(Tuple.of(leadId, change.field(), change.from(), change.to(), actor, reason));
    }
    return client.preparedQuery(
            "INSERT INTO lead_timeline (lead_id, field, from_value, to_value, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)")
        .executeBatch(batch)
        .mapEmpty();
  }

  /**
   * The same changes on the timeline of every open lead of the contact, in one statement (a contact's
   * consent: the person's, shown on each lead followed up with them). No open lead, no entry.
   */
  public Future<Void> appendToOpenLeadsOf(SqlClient client, UUID contactId, List<Change> changes, String actor,
      String reason) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO lead_timeline (lead_id, field, from_value, to_value, actor, reason)
            SELECT l.id, c.field, c.from_value, c.to_value, $5, $6
              FROM leads l
             CROSS JOIN unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS c (field, from_value, to_value, n)
             WHERE l.contact_id = $1 AND l.status = 'open'
             ORDER BY l.created_at, l.id, c.n""")
        .execute(Tuple.tuple()
            .addUUID(contactId)
            .addArrayOfString(changes.stream().map(Change::field).toArray(String[]::new))
            .addArrayOfString(changes.stream().map(Change::from).toArray(String[]::new))
            .addArrayOfString(changes.stream().map(Change::to).toArray(String[]::new))
            .addString(actor)
            .addString(reason))
        .mapEmpty();
  }

  /** One lead's changes, by one actor for one reason: a timeline entry each. */
  public record Entries(UUID leadId, List<Change> changes, String actor, String reason) {
  }

  /** Appends the entries of several leads in one statement. */
  public Future<Void> appendAll(SqlClient client, List<Entries> entries) {
    List<UUID> leadIds = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    List<String> froms = new ArrayList<>();
    List<String> tos = new ArrayList<>();
    List<String> actors = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Entries e : entries) {
      for (Change change : e.changes()) {
        leadIds.add(e.leadId());
        fields.add(change.field());
        froms.add(change.from());
        tos.add(change.to());
        actors.add(e.actor());
        reasons.add(e.reason());
      }
    }
    if (leadIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO lead_timeline (lead_id, field, from_value, to_value, actor, reason)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])""")
        .execute(Tuple.tuple()
            .addArrayOfUUID(leadIds.toArray(UUID[]::new))
            .addArrayOfString(fields.toArray(String[]::new))
            .addArrayOfString(froms.toArray(String[]::new))
            .addArrayOfString(tos.toArray(String[]::new))
            .addArrayOfString(actors.toArray(String[]::new))
            .addArrayOfString(reasons.toArray(String[]::new)))
        .mapEmpty();
  }

  /** One lead's timeline, oldest first; an activity's entry with the activity. */
  public Future<List<TimelineEntry>> list(SqlClient client, UUID leadId) {
    return client.preparedQuery("""
            SELECT t.field, t.from_value, t.to_value, t.at, t.actor, t.reason, a.id AS a_id, a.kind, a.outcome, a.note,
                   a.follow_up_at, a.actor_user_id, a.actor_name, a.created_at
              FROM lead_timeline t LEFT JOIN lead_activities a ON a.id = t.activity_id
             WHERE t.lead_id = $1 ORDER BY t.id""")
        .execute(Tuple.of(leadId))
        .map(rows -> {
          List<TimelineEntry> entries = new ArrayList<>();
          rows.forEach(row -> entries.add(new TimelineEntry(row.getString("field"), row.getString("from_value"),
              row.getString("to_value"), Rows.instant(row, "at"), row.getString("actor"), row.getString("reason"),
              row.getUUID("a_id") == null ? null : new Activity.Logged(row.getUUID("a_id"), leadId,
                  Activity.Kind.fromWireName(row.getString("kind")).orElseThrow(), LeadStore.outcome(row.getString("outcome")),
                  row.getString("note"), Rows.instant(row, "follow_up_at"), row.getUUID("actor_user_id"),
                  row.getString("actor_name"), Rows.instant(row, "created_at")))));
          return entries;
        });
  }
}
