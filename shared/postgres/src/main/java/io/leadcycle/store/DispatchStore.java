package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
 * The threshold notification's queue: outbox events fanned out into one delivery per (event,
 * subscriber), deliveries claimed with a lease, attempts and outcomes recorded. Every claim skips rows
 * another runner holds ({@code SKIP LOCKED}), so several runners share the work.
 */
public final class DispatchStore {

  /** What one fan-out batch did: events marked fanned out, deliveries created. */
  public record FanOut(int events, int deliveries) {
  }

  /**
   * A delivery claimed for sending, with what sending it needs. {@code secrets}: current first, then the
   * previous one while it is valid. {@code payload}: the event's payload as written (null if it is not
   * a JSON object).
   */
  public record Claimed(UUID deliveryId, UUID outboxId, String type, UUID leadId, Instant occurredAt,
      JsonObject payload, UUID subscriberId, String url, List<String> secrets, int attempts) {
  }

  /**
   * One attempt's record and the delivery's new state: {@code status} pending (with
   * {@code nextAttemptAt}), delivered or failed; {@code disableSubscriber} non-null disables the
   * subscriber with that reason.
   */
  public record Outcome(UUID deliveryId, UUID subscriberId, Instant at, Integer httpStatus, String error,
      int durationMs, String status, Instant nextAttemptAt, String disableSubscriber) {
  }

  /**
   * Fans out the oldest events not yet fanned out (at most {@code limit}, locked, skipping those another
   * runner holds): one delivery per enabled subscriber of the event's type or of {@code *}, then marks
   * the events fanned out. One statement.
   */
  public Future<FanOut> fanOut(SqlClient client, int limit, Instant now) {
    return client.preparedQuery("""
            WITH batch AS (
              SELECT id, type FROM outbox WHERE fanned_out_at IS NULL
               ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
            ), created AS (
              INSERT INTO deliveries (outbox_id, subscriber_id, next_attempt_at, created_at)
              SELECT b.id, s.id, $2, $2 FROM batch b
                JOIN subscribers s ON NOT s.disabled AND (b.type = ANY (s.events) OR '*' = ANY (s.events))
              ON CONFLICT (outbox_id, subscriber_id) DO NOTHING
              RETURNING 1
            ), marked AS (
              UPDATE outbox o SET fanned_out_at = $2 FROM batch WHERE o.id = batch.id RETURNING 1
            )
            SELECT (SELECT count(*) FROM marked) AS events, (SELECT count(*) FROM created) AS deliveries""")
        .execute(Tuple.of(limit, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new FanOut(row.getLong("events").intValue(), row.getLong("deliveries").intValue());
        });
  }

  /**
   * Claims up to {@code limit} due deliveries of enabled subscribers (pending, due, not leased or
   * lease expired), oldest due first, leasing them until {@code leaseUntil}. A runner that dies
   * while sending leaves the lease to expire; the delivery is then sent again (same webhook-id).
   */
  public Future<List<Claimed>> claim(SqlClient client, int limit, Instant now, Instant leaseUntil) {
    return client.preparedQuery("""
            WITH due AS (
              SELECT d.id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
               WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                 AND (d.claimed_until IS NULL OR d.claimed_until <= $1) AND NOT s.disabled
               ORDER BY d.next_attempt_at, d.id LIMIT $2
               FOR UPDATE OF d SKIP LOCKED
            ), claimed AS (
              UPDATE deliveries d SET claimed_until = $3 FROM due WHERE d.id = due.id
              RETURNING d.id, d.outbox_id, d.subscriber_id, d.attempts
            )
            SELECT c.id, c.outbox_id, c.subscriber_id, c.attempts, o.type, o.lead_id, o.created_at, o.payload,
                   s.url, s.secret, s.previous_secret, s.previous_secret_expires_at
              FROM claimed c JOIN outbox o ON o.id = c.outbox_id JOIN subscribers s ON s.id = c.subscriber_id""")
        .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), limit, leaseUntil.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          List<Claimed> claimed = new ArrayList<>();
          for (Row row : rows) {
            List<String> secrets = new ArrayList<>();
            secrets.add(row.getString("secret"));
            Instant previousExpires = Rows.instant(row, "previous_secret_expires_at");
            if (row.getString("previous_secret") != null && previousExpires != null && previousExpires.isAfter(now)) {
              secrets.add(row.getString("previous_secret"));
            }
            claimed.add(new Claimed(row.getUUID("id"), row.getUUID("outbox_id"), row.getString("type"),
                row.getUUID("lead_id"), Rows.instant(row, "created_at"),
                row.getValue("payload") instanceof JsonObject payload ? payload : null, row.getUUID("subscriber_id"),
                row.getString("url"), List.copyOf(secrets), row.getInteger("attempts")));
          }
          return claimed;
        });
  }

  /**
   * Records an attempt and the delivery's new state, ends its lease and, for a 410, disables the
   * subscriber: one statement. A delivery no longer pending (changed by hand meanwhile) keeps its state.
   */
  public Future<Void> record(SqlClient client, Outcome outcome) {
    return client.preparedQuery("""
            WITH attempt AS (
              INSERT INTO delivery_attempts (delivery_id, at, http_status, error, duration_ms)
              VALUES ($1, $2, $3, $4, $5)
            ), delivery AS (
              UPDATE deliveries SET attempts = attempts + 1, status = $6,
                     next_attempt_at = coalesce($7, next_attempt_at), claimed_until = NULL,
                     last_status = $3, last_error = $4,
                     delivered_at = CASE WHEN $6 = 'delivered' THEN $2 ELSE delivered_at END
               WHERE id = $1 AND status = 'pending'
            ), subscriber AS (
              UPDATE subscribers SET disabled = true, disabled_reason = $9, updated_at = $2
               WHERE id = $8 AND $9::text IS NOT NULL AND NOT disabled
            )
            SELECT 1""")
        .execute(Tuple.tuple().addUUID(outcome.deliveryId()).addOffsetDateTime(outcome.at().atOffset(ZoneOffset.UTC))
            .addInteger(outcome.httpStatus()).addString(outcome.error()).addInteger(outcome.durationMs())
            .addString(outcome.status())
            .addOffsetDateTime(outcome.nextAttemptAt() == null ? null : outcome.nextAttemptAt().atOffset(ZoneOffset.UTC))
            .addUUID(outcome.subscriberId()).addString(outcome.disableSubscriber()))
        .mapEmpty();
  }

  /**
   * Records many attempts and their deliveries' new states at once, as {@link #record} does for one: one
   * statement, so one commit for a batch of outcomes. A delivery deleted meanwhile (its subscriber or lead
   * deleted) is skipped rather than failing the batch: its rows are locked first, and only those found get
   * an attempt. At most one outcome per delivery. Returns how many deliveries were found.
   */
  public Future<Integer> recordAll(SqlClient client, List<Outcome> outcomes) {
    int n = outcomes.size();
    UUID[] deliveries = new UUID[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    Integer[] httpStatus = new Integer[n];
    String[] error = new String[n];
    Integer[] duration = new Integer[n];
    String[] status = new String[n];
    OffsetDateTime[] next = new OffsetDateTime[n];
    UUID[] subscribers = new UUID[n];
    String[] disable = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      deliveries[i] = o.deliveryId();
      at[i] = o.at().atOffset(ZoneOffset.UTC);
      httpStatus[i] = o.httpStatus();
      error[i] = o.error();
      duration[i] = o.durationMs();
      status[i] = o.status();
      next[i] = o.nextAttemptAt() == null ? null : o.nextAttemptAt().atOffset(ZoneOffset.UTC);
      subscribers[i] = o.subscriberId();
      disable[i] = o.disableSubscriber();
    }
    return client.preparedQuery("""
            WITH outcome AS (
              SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::text[], $5::int[], $6::text[],
                                   $7::timestamptz[], $8::uuid[], $9::text[])
                AS o (delivery_id, at, http_status, error, duration_ms, status, next_attempt_at, subscriber_id,
                      disable_reason)
            ), found AS (
              SELECT d.id FROM deliveries d WHERE d.id IN (SELECT delivery_id FROM outcome) ORDER BY d.id FOR UPDATE
            ), attempt AS (
              INSERT INTO delivery_attempts (delivery_id, at, http_status, error, duration_ms)
              SELECT o.delivery_id, o.at, o.http_status, o.error, o.duration_ms
                FROM outcome o JOIN found f ON f.id = o.delivery_id ORDER BY o.at
            ), delivery AS (
              UPDATE deliveries d SET attempts = d.attempts + 1, status = o.status,
                     next_attempt_at = coalesce(o.next_attempt_at, d.next_attempt_at), claimed_until = NULL,
                     last_status = o.http_status, last_error = o.error,
                     delivered_at = CASE WHEN o.status = 'delivered' THEN o.at ELSE d.delivered_at END
                FROM outcome o JOIN found f ON f.id = o.delivery_id
               WHERE d.id = o.delivery_id AND d.status = 'pending'
            ), subscriber AS (
              UPDATE subscribers s SET disabled = true, disabled_reason = g.disable_reason, updated_at = g.at
                FROM (SELECT DISTINCT ON (subscriber_id) subscriber_id, disable_reason, at FROM outcome
                       WHERE disable_reason IS NOT NULL ORDER BY subscriber_id, at) g
               WHERE s.id = g.subscriber_id AND NOT s.disabled
            )
            SELECT count(*) FROM found""")
        .execute(Tuple.of(deliveries, at, httpStatus, error, duration, status, next, subscribers, disable))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /**
   * Ends the lease of claimed deliveries that were not sent (a run that reached its budget with some
   * still queued), so that the next run takes them at once instead of after the lease. Only a lease
   * still ours ({@code leaseUntil}, as claimed) is ended.
   */
  public Future<Integer> release(SqlClient client, List<UUID> deliveryIds, Instant leaseUntil) {
    return client.preparedQuery("""
            UPDATE deliveries SET claimed_until = NULL
             WHERE id = ANY ($1) AND status = 'pending' AND claimed_until = $2""")
        .execute(Tuple.of(deliveryIds.toArray(UUID[]::new), leaseUntil.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount());
  }

  /**
   * Deletes up to {@code limit} outbox events older than {@code cutoff} that are done with: fanned out,
   * and every delivery final (delivered or failed) or none at all (no subscriber). Their deliveries and
   * attempts go with them (cascade).
   */
  public Future<Integer> deleteFinishedEventsBefore(SqlClient client, Instant cutoff, int limit) {
    return client.preparedQuery("""
            DELETE FROM outbox WHERE id IN (
              SELECT o.id FROM outbox o
               WHERE o.created_at < $1 AND o.fanned_out_at IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.outbox_id = o.id AND d.status = 'pending')
               ORDER BY o.created_at, o.id LIMIT $2
               FOR UPDATE SKIP LOCKED)""")
        .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), limit))
        .map(rows -> rows.rowCount());
  }
}
