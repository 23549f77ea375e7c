package io.leadcycle.store;

import io.leadcycle.domain.Activity;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.UUID;

/** The calls, notes and emails logged on leads, each with its timeline entry. */
public final class ActivityStore {

  /**
   * Writes the activity and its timeline entry (field {@code activity}, to its kind, for the reason of its
   * outcome or else its kind), in one statement; returns it as stored.
   */
  public Future<Activity.Logged> log(SqlClient client, UUID leadId, Activity activity, UUID actorUserId, String actor) {
    String kind = activity.kind().wireName();
    String outcome = activity.outcome() == null ? null : activity.outcome().wireName();
    return client.preparedQuery("""
            WITH a AS (
              INSERT INTO lead_activities (lead_id, kind, outcome, note, follow_up_at, actor_user_id, actor_name)
              VALUES ($1, $2, $3, $4, $5, $6, $7)
              RETURNING id, created_at),
            t AS (
              INSERT INTO lead_timeline (lead_id, field, from_value, to_value, actor, reason, activity_id, at)
              SELECT $1, 'activity', NULL, $2, $7, coalesce($3, $2), a.id, a.created_at FROM a)
            SELECT id, created_at FROM a""")
        .execute(Tuple.tuple().addUUID(leadId).addString(kind).addString(outcome).addString(activity.note())
            .addOffsetDateTime(activity.followUpAt() == null ? null : activity.followUpAt().atOffset(ZoneOffset.UTC))
            .addUUID(actorUserId).addString(actor))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Activity.Logged(row.getUUID("id"), leadId, activity.kind(), activity.outcome(), activity.note(),
              activity.followUpAt(), actorUserId, actor, Rows.instant(row, "created_at"));
        });
  }
}
