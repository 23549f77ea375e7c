package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tombstones of erased people (docs/privacy.md): the erasures with their counts, the keyed hashes of the
 * erased emails and phones, and the submission and webhook ids seen before each erasure. Hashes travel as
 * hex text and are compared as bytea by primary key.
 */
public final class TombstoneStore {

  private static final HexFormat HEX = HexFormat.of();

  /** What a submission meets: the erasure that saw its id, the erasure its email or phone hashes to; each or null. */
  public record Found(UUID replayOf, UUID erasedAs) {

    public static final Found NOTHING = new Found(null, null);
  }

  /** One erasure as listed: no personal data. */
  public record Erasure(UUID id, List<UUID> contactIds, Instant erasedAt, String reason, String actor,
      JsonObject counts, int refusedCount, Instant lastRefusedAt, Instant recreatedAt) {
  }

  public static String[] hex(List<byte[]> hashes) {
    return hashes.stream().map(HEX::formatHex).toArray(String[]::new);
  }

  /**
   * One statement, two primary-key lookups: whether {@code sourceKey} was seen before an erasure and whether
   * one of {@code hashes} is a tombstone's. Intake sends it with its claim, lock and match (pipelined), so it
   * costs no round trip of its own; it runs after the lock, so it sees an erasure that committed before.
   */
  public Future<Found> check(SqlClient client, List<byte[]> hashes, String sourceKey) {
    return client.preparedQuery("""
            SELECT (SELECT erasure_id FROM erasure_keys WHERE source_key = $2) AS replay_of,
                   (SELECT erasure_id FROM erasure_hashes
                     WHERE hash = ANY (SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h) LIMIT 1) AS erased_as""")
        .execute(Tuple.tuple().addArrayOfString(hex(hashes)).addString(sourceKey))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Found(row.getUUID("replay_of"), row.getUUID("erased_as"));
        });
  }

  /** The erasure each of {@code hashes} (hex) belongs to, by hash; those of no tombstone are left out. */
  public Future<Map<String, UUID>> matchAll(SqlClient client, String[] hashes) {
    if (hashes.length == 0) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery("""
            SELECT encode(hash, 'hex') AS hash, erasure_id FROM erasure_hashes
             WHERE hash = ANY (SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)""")
        .execute(Tuple.tuple().addArrayOfString(hashes))
        .map(rows -> {
          Map<String, UUID> found = new HashMap<>();
          rows.forEach(row -> found.put(row.getString("hash"), row.getUUID("erasure_id")));
          return found;
        });
  }

  /** Counts {@code refused} more replays or re-imports refused by the erasure. */
  public Future<Void> refused(SqlClient client, UUID erasureId, int refused) {
    return client.preparedQuery("""
            UPDATE erasures SET refused_count = refused_count + $2, last_refused_at = now() WHERE id = $1""")
        .execute(Tuple.of(erasureId, refused))
        .mapEmpty();
  }

  /**
   * The person came back with a fresh consent and was created again: all the erasure's hashes (email and
   * phone) stop refusing (their later submissions and imports need no consent each), the ids seen before the
   * erasure still refuse replays.
   */
  public Future<Void> recreated(SqlClient client, UUID erasureId) {
    return client.preparedQuery("""
            WITH gone AS (
              DELETE FROM erasure_hashes WHERE erasure_id = $1
            )
            UPDATE erasures SET recreated_at = now() WHERE id = $1""")
        .execute(Tuple.of(erasureId))
        .mapEmpty();
  }

  /** Stores a tombstone: the erasure, its hashes (a hash already a tombstone's moves to this one) and ids. */
  public Future<Instant> insert(SqlClient client, UUID id, List<UUID> contactIds, String reason, String actor,
      JsonObject counts, List<byte[]> hashes, List<String> sourceKeys) {
    return client.preparedQuery("""
            WITH erasure AS (
              INSERT INTO erasures (id, contact_ids, reason, actor, counts) VALUES ($1, $2, $3, $4, $5)
              RETURNING erased_at
            ), hashes AS (
              INSERT INTO erasure_hashes (hash, erasure_id)
              SELECT DISTINCT decode(h, 'hex'), $1 FROM unnest($6::text[]) AS h
              ON CONFLICT (hash) DO UPDATE SET erasure_id = excluded.erasure_id
            ), keys AS (
              INSERT INTO erasure_keys (source_key, erasure_id)
              SELECT DISTINCT k, $1 FROM unnest($7::text[]) AS k
              ON CONFLICT (source_key) DO UPDATE SET erasure_id = excluded.erasure_id
            )
            SELECT erased_at FROM erasure""")
        .execute(Tuple.tuple().addUUID(id).addArrayOfUUID(contactIds.toArray(UUID[]::new)).addString(reason)
            .addString(actor).addValue(counts).addArrayOfString(hex(hashes))
            .addArrayOfString(sourceKeys.toArray(String[]::new)))
        .map(rows -> Rows.instant(rows.iterator().next(), "erased_at"));
  }

  /** Up to {@code limit} erasures, newest first, after the position ({@code afterAt}, {@code afterId}) of the previous page's last. */
  public Future<List<Erasure>> list(SqlClient client, Instant afterAt, UUID afterId, int limit) {
    String sql = "SELECT id, contact_ids, erased_at, reason, actor, counts, refused_count, last_refused_at, recreated_at"
        + " FROM erasures" + (afterId == null ? "" : " WHERE (erased_at, id) < ($2, $3)")
        + " ORDER BY erased_at DESC, id DESC LIMIT $1";
    Tuple params = Tuple.tuple().addInteger(limit);
    if (afterId != null) {
      params.addOffsetDateTime(afterAt.atOffset(ZoneOffset.UTC)).addUUID(afterId);
    }
    return client.preparedQuery(sql).execute(params).map(rows -> {
      List<Erasure> found = new ArrayList<>();
      for (Row row : rows) {
        found.add(new Erasure(row.getUUID("id"), List.of(row.getArrayOfUUIDs("contact_ids")),
            Rows.instant(row, "erased_at"), row.getString("reason"), row.getString("actor"),
            row.getJsonObject("counts"), row.getInteger("refused_count"), Rows.instant(row, "last_refused_at"),
            Rows.instant(row, "recreated_at")));
      }
      return found;
    });
  }
}
