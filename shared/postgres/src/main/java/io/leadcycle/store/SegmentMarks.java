package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Marks contacts whose segment facts changed, so segment evaluation re-evaluates only them (V27). The writers
 * that mark for rescoring mark here in the same statement ({@link RescoringMarks}); lead changes scoring does
 * not read (stage, status, owner) and rescored contacts mark here alone. Claimed and cleared as rescoring marks
 * are — a lease in a transaction of its own, cleared unless marked again meanwhile — but in a table of their
 * own, so neither function takes the other's marks.
 */
public final class SegmentMarks {

  /** How long a claim keeps other runs away from a mark; a run that dies frees its marks after it. */
  public static final String LEASE = "5 minutes";

  /** The insert the rescoring marks' statements share (followed by the rows, then {@link #ON_CONFLICT}). */
  static final String INSERT = "INSERT INTO contacts_to_resegment (contact_id)";
  static final String ON_CONFLICT = "ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL";

  /** A claimed mark: the contact and the time it was marked (clearing needs both). */
  public record Claimed(UUID contactId, OffsetDateTime markedAt) {
  }

  /** Marks several contacts (duplicates and nulls allowed), in id order so concurrent batches do not deadlock. */
  public Future<Void> markAll(SqlClient client, List<UUID> contactIds) {
    UUID[] ids = contactIds.stream().filter(java.util.Objects::nonNull).distinct().toArray(UUID[]::new);
    if (ids.length == 0) {
      return Future.succeededFuture();
    }
    return client.preparedQuery(INSERT + " SELECT DISTINCT id FROM unnest($1::uuid[]) AS marked (id) ORDER BY id "
            + ON_CONFLICT)
        .execute(Tuple.of(ids))
        .mapEmpty();
  }

  /**
   * Claims up to {@code limit} marks: those whose lease ran out first, then the free ones, oldest first; marks
   * another run is claiming right now are skipped. Run it in a transaction of its own, committed before evaluating.
   */
  public Future<List<Claimed>> claim(SqlClient client, int limit, Instant now) {
    return client.preparedQuery("UPDATE contacts_to_resegment m SET claimed_until = $2::timestamptz + interval '" + LEASE + "'"
            + " WHERE m.ctid = ANY (ARRAY("
            + "SELECT ctid FROM (SELECT ctid FROM contacts_to_resegment WHERE claimed_until < $2"
            + " ORDER BY claimed_until LIMIT $1 FOR UPDATE SKIP LOCKED) expired"
            + " UNION ALL SELECT ctid FROM (SELECT ctid FROM contacts_to_resegment WHERE claimed_until IS NULL"
            + " ORDER BY marked_at LIMIT $1 FOR UPDATE SKIP LOCKED) free"
            + " LIMIT $1))"
            + " RETURNING m.contact_id, m.marked_at")
        .execute(Tuple.of(limit, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          List<Claimed> claimed = new ArrayList<>();
          for (Row row : rows) {
            claimed.add(new Claimed(row.getUUID("contact_id"), row.getOffsetDateTime("marked_at")));
          }
          return claimed;
        });
  }

  /** Clears the claimed marks that were not marked again since they were claimed. */
  public Future<Void> clear(SqlClient client, List<Claimed> claimed) {
    if (claimed.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            DELETE FROM contacts_to_resegment m
             USING unnest($1::uuid[], $2::timestamptz[]) AS c(contact_id, marked_at)
             WHERE m.contact_id = c.contact_id AND m.marked_at = c.marked_at""")
        .execute(Tuple.tuple()
            .addArrayOfUUID(claimed.stream().map(Claimed::contactId).toArray(UUID[]::new))
            .addArrayOfOffsetDateTime(claimed.stream().map(Claimed::markedAt).toArray(OffsetDateTime[]::new)))
        .mapEmpty();
  }
}
