package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox: events written in the same transaction as the change they announce, so
 * subscribers hear of every change that committed and of nothing that did not.
 */
public final class OutboxStore {

  public Future<Void> add(SqlClient client, List<String> types, UUID leadId, JsonObject payload) {
    if (types.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    types.forEach(type -> batch.add(Tuple.of(type, leadId, payload)));
    return client.preparedQuery("INSERT INTO outbox (type, lead_id, payload) VALUES ($1, $2, $3)")
        .executeBatch(batch)
        .mapEmpty();
  }

  /** One event to write: its type, the lead, the payload. */
  public record Event(String type, UUID leadId, JsonObject payload) {
  }

  /** Writes several events in one statement, in list order (their ids and times follow it). */
  public Future<Void> addAll(SqlClient client, List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO outbox (type, lead_id, payload)
            SELECT type, lead_id, payload::jsonb FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY
                   AS e(type, lead_id, payload, n) ORDER BY n""")
        .execute(Tuple.tuple()
            .addArrayOfString(events.stream().map(Event::type).toArray(String[]::new))
            .addArrayOfUUID(events.stream().map(Event::leadId).toArray(UUID[]::new))
            .addArrayOfString(events.stream().map(e -> e.payload().encode()).toArray(String[]::new)))
        .mapEmpty();
  }
}
