package io.leadcycle.store;

import io.leadcycle.domain.TileEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The leads journey tiles created, one per (journey, tile, contact) or (journey, tile, account): the
 * primary key of {@code journey_tile_leads} is what makes a tile event idempotent.
 */
public final class JourneyTileStore {

  /** What claiming a tile's key found: the lead to create now, or the one an earlier delivery created. */
  public record Claim(boolean claimed, UUID leadId) {
  }

  /**
   * Claims the key for {@code leadId}, to be inserted in the same transaction. When the key is taken,
   * answers the lead it belongs to (null if that lead was deleted since); when another transaction holds
   * it uncommitted, waits for that one to end first (the unique index does), so a parallel duplicate
   * finds the claim instead of making a second lead.
   */
  public Future<Claim> claim(SqlClient client, TileEvent event, UUID targetId, UUID leadId) {
    return client.preparedQuery("""
            INSERT INTO journey_tile_leads (journey_id, tile_id, created_for, target_id, lead_id, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (journey_id, tile_id, created_for, target_id) DO NOTHING""")
        .execute(Tuple.of(event.journeyId(), event.tileId(), event.createFor().wireName(), targetId, leadId,
            event.occurredAt().atOffset(ZoneOffset.UTC)))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(new Claim(true, leadId))
            : client.preparedQuery("""
                    SELECT lead_id FROM journey_tile_leads
                    WHERE journey_id = $1 AND tile_id = $2 AND created_for = $3 AND target_id = $4""")
                .execute(Tuple.of(event.journeyId(), event.tileId(), event.createFor().wireName(), targetId))
                .map(found -> new Claim(false, found.size() == 0 ? null : found.iterator().next().getUUID("lead_id"))));
  }
}
