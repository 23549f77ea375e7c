package io.leadcycle.store;

import io.leadcycle.domain.DeliveryLogEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The delivery log the management API shows: a subscriber's deliveries, newest first, each with its
 * attempts (two queries per page, whatever its size), and redelivery by hand. Claiming and recording
 * deliveries belongs to the delivery side's store.
 */
public final class DeliveryLogStore {

  /** One page of deliveries: {@code more} when older ones follow the last one. */
  public record Page(List<DeliveryLogEntry> items, boolean more) {

    public DeliveryLogEntry last() {
      return items.get(items.size() - 1);
    }
  }

  /** A delivery's status as redelivery needs it. */
  public record State(UUID id, String status) {
  }

  /**
   * Up to {@code limit} deliveries of the subscriber, newest first (then by id, as the index
   * {@code deliveries_of_subscriber} orders them), after the position (created, id) (null: from the
   * newest), only those in {@code status} unless it is null.
   */
  public Future<Page> page(SqlClient client, UUID subscriberId, String status, Instant afterCreated, UUID afterId,
      int limit) {
    String sql = """
        SELECT d.id, d.outbox_id, o.type, d.status, d.next_attempt_at, d.delivered_at, d.created_at
          FROM deliveries d JOIN outbox o ON o.id = d.outbox_id
         WHERE d.subscriber_id = $1 AND ($2::text IS NULL OR d.status = $2)"""
        + (afterId == null ? "" : " AND (d.created_at < $4 OR d.created_at = $4 AND d.id > $5)")
        + " ORDER BY d.created_at DESC, d.id LIMIT $3";
    Tuple parameters = Tuple.of(subscriberId, status, limit + 1);
    if (afterId != null) {
      parameters.addOffsetDateTime(afterCreated.atOffset(ZoneOffset.UTC)).addUUID(afterId);
    }
    return client.preparedQuery(sql).execute(parameters).compose(rows -> {
      List<Row> found = new ArrayList<>();
      rows.forEach(found::add);
      boolean more = found.size() > limit;
      List<Row> page = more ? found.subList(0, limit) : found;
      UUID[] ids = page.stream().map(row -> row.getUUID("id")).toArray(UUID[]::new);
      return attempts(client, ids).map(attempts -> {
        List<DeliveryLogEntry> items = new ArrayList<>();
        for (Row row : page) {
          UUID id = row.getUUID("id");
          String rowStatus = row.getString("status");
          items.add(new DeliveryLogEntry(id, row.getUUID("outbox_id"), row.getString("type"), rowStatus,
              DeliveryLogEntry.PENDING.equals(rowStatus) ? Rows.instant(row, "next_attempt_at") : null,
              Rows.instant(row, "delivered_at"), Rows.instant(row, "created_at"),
              attempts.getOrDefault(id, List.of())));
        }
        return new Page(items, more);
      });
    });
  }

  /** The attempts at each of the deliveries, oldest first, in one query. */
  private Future<Map<UUID, List<DeliveryLogEntry.Attempt>>> attempts(SqlClient client, UUID[] deliveryIds) {
    if (deliveryIds.length == 0) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery("""
            SELECT delivery_id, at, http_status, error, duration_ms FROM delivery_attempts
             WHERE delivery_id = ANY($1) ORDER BY delivery_id, id""")
        .execute(Tuple.of(deliveryIds))
        .map(rows -> {
          Map<UUID, List<DeliveryLogEntry.Attempt>> byDelivery = new HashMap<>();
          rows.forEach(row -> byDelivery.computeIfAbsent(row.getUUID("delivery_id"), id -> new ArrayList<>())
              .add(new DeliveryLogEntry.Attempt(Rows.instant(row, "at"), row.getInteger("http_status"),
                  row.getString("error"), row.getInteger("duration_ms"))));
          return byDelivery;
        });
  }

  /** The delivery {@code id} of the subscriber, its row locked for the rest of the transaction; or null. */
  public Future<State> lock(SqlClient client, UUID subscriberId, UUID id) {
    return client.preparedQuery("SELECT id, status FROM deliveries WHERE id = $1 AND subscriber_id = $2 FOR UPDATE")
        .execute(Tuple.of(id, subscriberId))
        .map(rows -> rows.size() == 0 ? null
            : new State(rows.iterator().next().getUUID("id"), rows.iterator().next().getString("status")));
  }

  /**
   * Sends a delivered or failed delivery again: pending, due now, a fresh retry schedule
   * ({@code attempts} counts from 0 again; the attempts so far stay in {@code delivery_attempts}).
   */
  public Future<Void> redeliver(SqlClient client, UUID id) {
    return client.preparedQuery("""
            UPDATE deliveries
               SET status = 'pending', next_attempt_at = now(), attempts = 0, claimed_until = NULL,
                   delivered_at = NULL
             WHERE id = $1""")
        .execute(Tuple.from(Arrays.asList(id)))
        .mapEmpty();
  }
}
