package io.leadcycle.store;

import io.leadcycle.domain.EventTypes;
import io.leadcycle.segments.Segment;
import io.leadcycle.segments.SegmentInput;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Segments and their stored membership. Every change of membership — a dynamic segment's evaluation, a
 * static segment's members added or removed — is one set-based statement that also writes one outbox
 * event per contact that joined or left ({@code contact.segment_joined} / {@code contact.segment_left},
 * docs/events.md) and keeps the segment's member count, under the segment's row lock
 * ({@link #lock}), so that two changes of one segment never announce the same join twice.
 */
public final class SegmentStore {

  private static final String COLUMNS = """
      id, name, kind, requires_consent, definition, evaluation_status, evaluated_at, member_count, created_at,
      updated_at""";

  /**
   * The event payload of one change (schemaVersion 1, docs/events.md): the segment, the contact as it is, when
   * ({@code $4}, ISO-8601 UTC as Java writes it, whatever the session's time zone).
   */
  private static final String PAYLOAD = """
      jsonb_build_object('schemaVersion', 1,
        'segment', jsonb_build_object('id', $1::uuid, 'name', $3::text),
        'contact', jsonb_build_object('id', c.id, 'email', c.email, 'firstName', c.first_name,
                                      'lastName', c.last_name, 'accountId', c.account_id),
        'at', $4::text)""";

  public record Page(List<Segment> items, boolean more) {
    public Segment last() {
      return items.get(items.size() - 1);
    }
  }

  /** What one change of membership did: contacts that joined, that left, and the members after it. */
  public record Changes(long joined, long left, long members) {
  }

  /** A member as the members list shows it. */
  public record Member(UUID contactId, Instant joinedAt, String email, String firstName, String lastName,
      String companyName, String jobTitle, String country, UUID accountId) {
  }

  public record MemberPage(List<Member> items, boolean more) {
    public Member last() {
      return items.get(items.size() - 1);
    }
  }

  /** A segment a contact is in. */
  public record Membership(UUID id, String name, Instant joinedAt) {
  }

  public Future<Segment> create(SqlClient client, SegmentInput input) {
    return client.preparedQuery("INSERT INTO segments (name, kind, requires_consent, definition, evaluation_status) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING " + COLUMNS)
        .execute(Tuple.of(input.name(), input.kind().wireName(), input.requiresConsent(), definition(input),
            input.kind() == SegmentInput.Kind.DYNAMIC ? Segment.PENDING : Segment.EVALUATED))
        .map(rows -> segment(rows.iterator().next()));
  }

  /**
   * Replaces name, kind, consent and definition. A dynamic segment is pending again until evaluated; a
   * segment made static keeps its members as they are.
   */
  public Future<Segment> replace(SqlClient client, UUID id, SegmentInput input) {
    return client.preparedQuery("UPDATE segments SET name = $2, kind = $3, requires_consent = $4, definition = $5, "
            + "evaluation_status = $6, updated_at = clock_timestamp() WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, input.name(), input.kind().wireName(), input.requiresConsent(), definition(input),
            input.kind() == SegmentInput.Kind.DYNAMIC ? Segment.PENDING : Segment.EVALUATED))
        .map(SegmentStore::firstOrNull);
  }

  public Future<Segment> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM segments WHERE id = $1").execute(Tuple.of(id))
        .map(SegmentStore::firstOrNull);
  }

  /** The segment, its row locked until the transaction ends: membership changes of one segment take turns. */
  public Future<Segment> lock(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM segments WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
        .map(SegmentStore::firstOrNull);
  }

  /** Deletes the segment and its membership (no events: see docs/segments.md, "Deleting a segment"). */
  public Future<Boolean> delete(SqlClient client, UUID id) {
    return client.preparedQuery("DELETE FROM segments WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Segments in creation order, after (afterCreated, afterId) when given. */
  public Future<Page> page(SqlClient client, Instant afterCreated, UUID afterId, int limit) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM segments WHERE $1::timestamptz IS NULL "
            + "OR (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3")
        .execute(Tuple.of(afterCreated == null ? null : afterCreated.atOffset(ZoneOffset.UTC), afterId, limit + 1))
        .map(rows -> {
          List<Segment> items = new ArrayList<>();
          rows.forEach(row -> items.add(segment(row)));
          boolean more = items.size() > limit;
          return new Page(more ? items.subList(0, limit) : items, more);
        });
  }

  /**
   * Makes the segment's members exactly the contacts {@code compiled} selects (its parameters numbered from 5):
   * inserts those that joined, deletes those that left, writes their events and the count, in one statement.
   * The caller holds the segment's lock.
   */
  public Future<Changes> evaluate(SqlClient client, Segment segment, SegmentSql.Compiled compiled, Instant now) {
    Tuple tuple = Tuple.of(segment.id(), now.atOffset(ZoneOffset.UTC), segment.name(), now.toString());
    compiled.parameters().forEach(tuple::addValue);
    return client.preparedQuery("""
            WITH target AS MATERIALIZED (%s),
            joined AS (
              INSERT INTO segment_members (segment_id, contact_id, joined_at)
              SELECT $1, t.id, $2 FROM target t
              ON CONFLICT (segment_id, contact_id) DO NOTHING
              RETURNING contact_id
            ), gone AS (
              DELETE FROM segment_members m
               WHERE m.segment_id = $1 AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = m.contact_id)
              RETURNING contact_id
            ), changes AS (
              SELECT '%s' AS type, contact_id, 1 AS n FROM joined
              UNION ALL
              SELECT '%s', contact_id, 2 FROM gone
            ), events AS (
              INSERT INTO outbox (type, contact_id, payload)
              SELECT ch.type, ch.contact_id, %s
                FROM changes ch JOIN contacts c ON c.id = ch.contact_id
               ORDER BY ch.n, ch.contact_id
            ), counted AS (
              UPDATE segments SET member_count = (SELECT count(*) FROM target), evaluation_status = 'evaluated',
                     evaluated_at = $2
               WHERE id = $1
            )
            SELECT (SELECT count(*) FROM joined) AS joined, (SELECT count(*) FROM gone) AS gone,
                   (SELECT count(*) FROM target) AS members"""
            .formatted(compiled.sql(), EventTypes.SEGMENT_JOINED, EventTypes.SEGMENT_LEFT, PAYLOAD))
        .execute(tuple)
        .map(SegmentStore::changes);
  }

  /**
   * Re-evaluates the segment for {@code contactIds} only (marked contacts): of them, those the definition finds
   * join, the members it no longer finds leave — with their events and the count moved by the difference, in
   * one statement. {@code compiled}'s parameters are numbered from 6. The caller holds the segment's lock, so a
   * join is inserted (and announced) once however many runs look at the same contact.
   */
  public Future<Changes> evaluateContacts(SqlClient client, Segment segment, SegmentSql.Compiled compiled,
      List<UUID> contactIds, Instant now) {
    Tuple tuple = Tuple.of(segment.id(), now.atOffset(ZoneOffset.UTC), segment.name(), now.toString(),
        contactIds.toArray(UUID[]::new));
    compiled.parameters().forEach(tuple::addValue);
    return client.preparedQuery("""
            WITH target AS MATERIALIZED (SELECT t.id FROM (%s) t WHERE t.id = ANY ($5::uuid[])),
            joined AS (
              INSERT INTO segment_members (segment_id, contact_id, joined_at)
              SELECT $1, t.id, $2 FROM target t
              ON CONFLICT (segment_id, contact_id) DO NOTHING
              RETURNING contact_id
            ), gone AS (
              DELETE FROM segment_members m
               WHERE m.segment_id = $1 AND m.contact_id = ANY ($5::uuid[])
                 AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = m.contact_id)
              RETURNING contact_id
            ), changes AS (
              SELECT '%s' AS type, contact_id, 1 AS n FROM joined
              UNION ALL
              SELECT '%s', contact_id, 2 FROM gone
            ), events AS (
              INSERT INTO outbox (type, contact_id, payload)
              SELECT ch.type, ch.contact_id, %s
                FROM changes ch JOIN contacts c ON c.id = ch.contact_id
               ORDER BY ch.n, ch.contact_id
            ), counted AS (
              UPDATE segments SET member_count = member_count + (SELECT count(*) FROM joined) - (SELECT count(*) FROM gone)
               WHERE id = $1
              RETURNING member_count
            )
            SELECT (SELECT count(*) FROM joined) AS joined, (SELECT count(*) FROM gone) AS gone,
                   (SELECT member_count FROM counted) AS members"""
            .formatted(compiled.sql(), EventTypes.SEGMENT_JOINED, EventTypes.SEGMENT_LEFT, PAYLOAD))
        .execute(tuple)
        .map(SegmentStore::changes);
  }

  /**
   * The dynamic segments to evaluate fully: pending ones (written, not yet evaluated) and those last evaluated
   * fully before {@code staleBefore} ("within N days" moves with the clock, and a model's full rescoring changes
   * scores without marking contacts). Oldest evaluation first, pending before all.
   */
  public Future<List<UUID>> dueForFullEvaluation(SqlClient client, Instant staleBefore, int limit) {
    return client.preparedQuery("""
            SELECT id FROM segments
             WHERE kind = 'dynamic' AND (evaluation_status = 'pending' OR evaluated_at < $1)
             ORDER BY evaluation_status = 'evaluated', evaluated_at NULLS FIRST, id LIMIT $2""")
        .execute(Tuple.of(utc(staleBefore), limit))
        .map(SegmentStore::ids);
  }

  /** Every dynamic segment, in id order: the order incremental evaluation locks them in (no deadlocks). */
  public Future<List<UUID>> dynamicIds(SqlClient client) {
    return client.preparedQuery("SELECT id FROM segments WHERE kind = 'dynamic' ORDER BY id").execute()
        .map(SegmentStore::ids);
  }

  private static List<UUID> ids(RowSet<Row> rows) {
    List<UUID> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.getUUID("id")));
    return ids;
  }

  /** The ids among {@code modelIds} that are no scoring model's. */
  public Future<java.util.Set<UUID>> unknownModels(SqlClient client, java.util.Collection<UUID> modelIds) {
    return client.preparedQuery("""
            SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM scoring_models m WHERE m.id = x.id)""")
        .execute(Tuple.of(modelIds.stream().distinct().toArray(UUID[]::new)))
        .map(rows -> {
          java.util.Set<UUID> unknown = new java.util.HashSet<>();
          rows.forEach(row -> unknown.add(row.getUUID("id")));
          return unknown;
        });
  }

  /** The ids among {@code contactIds} that are no contact's. */
  public Future<List<UUID>> unknownContacts(SqlClient client, List<UUID> contactIds) {
    return client.preparedQuery("""
            SELECT x.id FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)
             WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = x.id) ORDER BY x.n""")
        .execute(Tuple.of(contactIds.toArray(UUID[]::new)))
        .map(rows -> {
          List<UUID> unknown = new ArrayList<>();
          rows.forEach(row -> unknown.add(row.getUUID("id")));
          return unknown;
        });
  }

  /** Adds contacts to a static segment (those already in stay, unannounced). The caller holds the segment's lock. */
  public Future<Changes> addMembers(SqlClient client, Segment segment, List<UUID> contactIds, Instant now) {
    return client.preparedQuery("""
            WITH joined AS (
              INSERT INTO segment_members (segment_id, contact_id, joined_at)
              SELECT $1, x.id, $2 FROM unnest($5::uuid[]) AS x(id)
              ON CONFLICT (segment_id, contact_id) DO NOTHING
              RETURNING contact_id
            ), events AS (
              INSERT INTO outbox (type, contact_id, payload)
              SELECT '%s', j.contact_id, %s FROM joined j JOIN contacts c ON c.id = j.contact_id ORDER BY j.contact_id
            ), counted AS (
              UPDATE segments SET member_count = member_count + (SELECT count(*) FROM joined) WHERE id = $1
              RETURNING member_count
            )
            SELECT (SELECT count(*) FROM joined) AS joined, 0::bigint AS gone,
                   (SELECT member_count FROM counted) AS members""".formatted(EventTypes.SEGMENT_JOINED, PAYLOAD))
        .execute(Tuple.of(segment.id(), now.atOffset(ZoneOffset.UTC), segment.name(), now.toString(),
            contactIds.toArray(UUID[]::new)))
        .map(SegmentStore::changes);
  }

  /** Removes one contact from a segment; 0 left when it was no member. The caller holds the segment's lock. */
  public Future<Changes> removeMember(SqlClient client, Segment segment, UUID contactId, Instant now) {
    return client.preparedQuery("""
            WITH gone AS (
              DELETE FROM segment_members WHERE segment_id = $1 AND contact_id = $2 RETURNING contact_id
            ), events AS (
              INSERT INTO outbox (type, contact_id, payload)
              SELECT '%s', g.contact_id, %s FROM gone g JOIN contacts c ON c.id = g.contact_id
            ), counted AS (
              UPDATE segments SET member_count = member_count - (SELECT count(*) FROM gone) WHERE id = $1
              RETURNING member_count
            )
            SELECT 0::bigint AS joined, (SELECT count(*) FROM gone) AS gone,
                   (SELECT member_count FROM counted) AS members""".formatted(EventTypes.SEGMENT_LEFT, PAYLOAD))
        .execute(Tuple.of(segment.id(), contactId, segment.name(), now.toString()))
        .map(SegmentStore::changes);
  }

  /** Members by contact id, after {@code afterContactId} when given. */
  public Future<MemberPage> members(SqlClient client, UUID segmentId, UUID afterContactId, int limit) {
    return client.preparedQuery("""
            SELECT m.contact_id, m.joined_at, c.email, c.first_name, c.last_name, c.company_name, c.job_title,
                   c.country, c.account_id
              FROM segment_members m JOIN contacts c ON c.id = m.contact_id
             WHERE m.segment_id = $1 AND ($2::uuid IS NULL OR m.contact_id > $2)
             ORDER BY m.contact_id LIMIT $3""")
        .execute(Tuple.of(segmentId, afterContactId, limit + 1))
        .map(rows -> {
          List<Member> items = new ArrayList<>();
          rows.forEach(row -> items.add(member(row, "contact_id", "joined_at")));
          boolean more = items.size() > limit;
          return new MemberPage(more ? items.subList(0, limit) : items, more);
        });
  }

  /** The first {@code limit} contacts (by id) that {@code compiled} selects, and how many it selects: a preview. */
  public Future<Preview> preview(SqlClient client, SegmentSql.Compiled compiled, int limit) {
    Tuple tuple = Tuple.of(limit);
    compiled.parameters().forEach(tuple::addValue);
    return client.preparedQuery("""
            WITH target AS MATERIALIZED (%s)
            SELECT NULL::uuid AS id, NULL::timestamptz AS joined_at, NULL AS email, NULL AS first_name,
                   NULL AS last_name, NULL AS company_name, NULL AS job_title, NULL AS country, NULL::uuid AS account_id,
                   (SELECT count(*) FROM target) AS total, 0 AS part
            UNION ALL
            (SELECT c.id, NULL, c.email, c.first_name, c.last_name, c.company_name, c.job_title, c.country,
                    c.account_id, NULL, 1
               FROM target t JOIN contacts c ON c.id = t.id ORDER BY t.id LIMIT $1)
            ORDER BY part, id""".formatted(compiled.sql()))
        .execute(tuple)
        .map(rows -> {
          long count = 0;
          List<Member> members = new ArrayList<>();
          for (Row row : rows) {
            if (row.getInteger("part") == 0) {
              count = row.getLong("total");
            } else {
              members.add(member(row, "id", "joined_at"));
            }
          }
          return new Preview(count, members);
        });
  }

  public record Preview(long count, List<Member> members) {
  }

  /** The segments each of the contacts is in, by name (every contact asked for has an entry). */
  public Future<java.util.Map<UUID, List<Membership>>> segmentsOf(SqlClient client, List<UUID> contactIds) {
    return client.preparedQuery("""
            SELECT m.contact_id, s.id, s.name, m.joined_at FROM segment_members m JOIN segments s ON s.id = m.segment_id
             WHERE m.contact_id = ANY ($1::uuid[]) ORDER BY s.name, s.id""")
        .execute(Tuple.of(contactIds.toArray(UUID[]::new)))
        .map(rows -> {
          java.util.Map<UUID, List<Membership>> of = new java.util.HashMap<>();
          contactIds.forEach(id -> of.put(id, new ArrayList<>()));
          rows.forEach(row -> of.get(row.getUUID("contact_id")).add(new Membership(row.getUUID("id"),
              row.getString("name"), Rows.instant(row, "joined_at"))));
          return of;
        });
  }

  private static Member member(Row row, String idColumn, String joinedColumn) {
    return new Member(row.getUUID(idColumn), Rows.instant(row, joinedColumn), row.getString("email"),
        row.getString("first_name"), row.getString("last_name"), row.getString("company_name"),
        row.getString("job_title"), row.getString("country"), row.getUUID("account_id"));
  }

  private static Changes changes(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    Long members = row.getLong("members");
    return new Changes(row.getLong("joined"), row.getLong("gone"), members == null ? 0 : members);
  }

  private static JsonObject definition(SegmentInput input) {
    return input.definitionBody() == null ? null : Rows.json(input.definitionBody());
  }

  private static Segment firstOrNull(RowSet<Row> rows) {
    return rows.size() == 0 ? null : segment(rows.iterator().next());
  }

  private static Segment segment(Row row) {
    Object definition = row.getValue("definition");
    return new Segment(row.getUUID("id"), row.getString("name"), SegmentInput.Kind.fromWireName(row.getString("kind")),
        row.getString("requires_consent"),
        definition instanceof JsonObject json ? Rows.plainMap(json) : null,
        row.getString("evaluation_status"), Rows.instant(row, "evaluated_at"), row.getInteger("member_count"),
        Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
