package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Marks contacts whose facts changed, so score recalculation rescores only what changed. A run claims
 * marks for a while (a lease, in a transaction of its own), scores, then clears the marks it claimed
 * unless they were marked again meanwhile — so no mark is lost and concurrent runs share the work.
 *
 * <p>Every mark statement also marks the contact for segment evaluation ({@link SegmentMarks}), in the same
 * statement: a contact's facts for scoring are facts for segments too, and segments keep marks of their own.
 */
public final class RescoringMarks {

  /** How long a claim keeps other runs away from a mark; a run that dies frees its marks after it. */
  public static final String LEASE = "5 minutes";

  /** A claimed mark: the contact and the time it was marked (clearing needs both). */
  public record Claimed(UUID contactId, OffsetDateTime markedAt) {
  }

  /** Marks a contact (again); a new mark also frees it from a running claim, so it is picked up soon. */
  public Future<Void> mark(SqlClient client, UUID contactId) {
    return client.preparedQuery("""
            WITH segment_facts AS (%s VALUES ($1) %s)
            INSERT INTO contacts_to_rescore (contact_id) VALUES ($1)
            ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL""".formatted(
            SegmentMarks.INSERT, SegmentMarks.ON_CONFLICT))
        .execute(Tuple.of(contactId))
        .mapEmpty();
  }

  /**
   * Marks several contacts in one statement (duplicates allowed). Rows are marked in id order, so two
   * batches that mark some of the same contacts wait for each other instead of deadlocking.
   */
  public Future<Void> markAll(SqlClient client, List<UUID> contactIds) {
    if (contactIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            WITH segment_facts AS (%s SELECT DISTINCT id FROM unnest($1::uuid[]) AS marked (id) ORDER BY id %s)
            INSERT INTO contacts_to_rescore (contact_id)
            SELECT DISTINCT id FROM unnest($1::uuid[]) AS marked (id) ORDER BY id
            ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL""".formatted(
            SegmentMarks.INSERT, SegmentMarks.ON_CONFLICT))
        .execute(Tuple.of(contactIds.toArray(UUID[]::new)))
        .mapEmpty();
  }

  /**
   * Marks what a lead is scored from: its contact, or, for a lead with only an account, every contact
   * of the account (an account-based lead is rescored when any contact of its account is marked).
   */
  public Future<Void> markFactsOf(SqlClient client, UUID contactId, UUID accountId) {
    if (contactId != null) {
      return mark(client, contactId);
    }
    return accountId == null ? Future.succeededFuture() : markAccounts(client, List.of(accountId));
  }

  /** Marks every contact of these accounts (their account leads are scored from them), in id order. */
  public Future<Void> markAccounts(SqlClient client, List<UUID> accountIds) {
    if (accountIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            WITH segment_facts AS (%s SELECT id FROM contacts WHERE account_id = ANY($1) ORDER BY id %s)
            INSERT INTO contacts_to_rescore (contact_id)
            SELECT id FROM contacts WHERE account_id = ANY($1) ORDER BY id
            ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL""".formatted(
            SegmentMarks.INSERT, SegmentMarks.ON_CONFLICT))
        .execute(Tuple.of(accountIds.toArray(UUID[]::new)))
        .mapEmpty();
  }

  /**
   * Claims up to {@code limit} marks: those whose lease ran out (a run that died) first, then the unclaimed
   * ones, oldest first; marks another run is claiming right now are skipped. Run it in a transaction of its
   * own, committed before scoring.
   *
   * <p>Each kind is read from its own partial index (V20), so a claim never walks the marks running batches
   * hold, and the rows are updated by {@code ctid} (a TID scan) instead of joining the ids back to the
   * table. A mark changed between the statement's start and its lock (marked again by intake) is not
   * updated, as its new version is not the statement's to see: it stays free for the next claim.
   */
  public Future<List<Claimed>> claim(SqlClient client, int limit, Instant now) {
    return client.preparedQuery("UPDATE contacts_to_rescore m SET claimed_until = $2::timestamptz + interval '" + LEASE + "'"
            + " WHERE m.ctid = ANY (ARRAY("
            + "SELECT ctid FROM (SELECT ctid FROM contacts_to_rescore WHERE claimed_until < $2"
            + " ORDER BY claimed_until LIMIT $1 FOR UPDATE SKIP LOCKED) expired"
            + " UNION ALL SELECT ctid FROM (SELECT ctid FROM contacts_to_rescore WHERE claimed_until IS NULL"
            + " ORDER BY marked_at LIMIT $1 FOR UPDATE SKIP LOCKED) free"
            + " LIMIT $1))"
            + " RETURNING m.contact_id, m.marked_at")
        .execute(Tuple.of(limit, now.atOffset(java.time.ZoneOffset.UTC)))
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
            DELETE FROM contacts_to_rescore m
             USING unnest($1::uuid[], $2::timestamptz[]) AS c(contact_id, marked_at)
             WHERE m.contact_id = c.contact_id AND m.marked_at = c.marked_at""")
        .execute(Tuple.tuple()
            .addArrayOfUUID(claimed.stream().map(Claimed::contactId).toArray(UUID[]::new))
            .addArrayOfOffsetDateTime(claimed.stream().map(Claimed::markedAt).toArray(OffsetDateTime[]::new)))
        .mapEmpty();
  }
}
