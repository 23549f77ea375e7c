package io.leadcycle.segmentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.EventTypes;
import io.leadcycle.segments.Segment;
import io.leadcycle.segments.SegmentInput;
import io.leadcycle.segments.SegmentParser;
import io.leadcycle.store.SegmentStore;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership kept by evaluation: joins and leaves are exactly the outbox events expected (one per change, none
 * on a repeat), the consent gate holds, concurrent evaluations and member changes of one segment never
 * announce a change twice, and static members come and go by hand.
 */
class SegmentEvaluationTest {

  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  final SegmentService service = new SegmentService(TestDatabase.database(), Clock.fixed(NOW, ZoneOffset.UTC));
  final SegmentEvaluation evaluation = new SegmentEvaluation(TestDatabase.database(), Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void joinsAndLeavesAreExactlyTheEventsExpected() {
    UUID ada = contact("ada@example.com", "DE", null);
    UUID bob = contact("bob@example.com", "DE", null);
    UUID cy = contact("cy@example.com", "FR", null);
    Segment segment = service.create(dynamic("Germany", null, "contact.country", "DE")).await();
    assertThat(segment.memberCount()).isEqualTo(2);
    assertThat(segment.evaluationStatus()).isEqualTo(Segment.EVALUATED);
    assertThat(segment.evaluatedAt()).isEqualTo(NOW);
    assertThat(members(segment.id())).containsExactlyInAnyOrder(ada, bob);
    List<JsonObject> events = events();
    assertThat(events).extracting(e -> e.getString("type"))
        .containsExactly(EventTypes.SEGMENT_JOINED, EventTypes.SEGMENT_JOINED);
    JsonObject first = events.stream().filter(e -> e.getString("contactId").equals(ada.toString())).findFirst().orElseThrow();
    assertThat(first.getJsonObject("payload")).isEqualTo(new JsonObject()
        .put("schemaVersion", 1)
        .put("segment", new JsonObject().put("id", segment.id().toString()).put("name", "Germany"))
        .put("contact", new JsonObject().put("id", ada.toString()).put("email", "ada@example.com")
            .put("firstName", "First").put("lastName", null).put("accountId", null))
        .put("at", "2026-06-01T12:00:00Z"));

    // Bob moves to France, Cy to Germany: one leave, one join.
    query("UPDATE contacts SET country = 'FR' WHERE id = $1", bob);
    query("UPDATE contacts SET country = 'DE' WHERE id = $1", cy);
    SegmentStore.Changes changes = evaluation.evaluate(segment.id()).await();
    assertThat(changes).isEqualTo(new SegmentStore.Changes(1, 1, 2));
    assertThat(members(segment.id())).containsExactlyInAnyOrder(ada, cy);
    List<JsonObject> after = events().subList(2, 4);
    assertThat(after).extracting(e -> e.getString("type") + " " + e.getString("contactId"))
        .containsExactly(EventTypes.SEGMENT_JOINED + " " + cy, EventTypes.SEGMENT_LEFT + " " + bob);

    // Nothing changed: nothing announced.
    assertThat(evaluation.evaluate(segment.id()).await()).isEqualTo(new SegmentStore.Changes(0, 0, 2));
    assertThat(events()).hasSize(4);
    assertThat(service.get(segment.id()).await().memberCount()).isEqualTo(2);
  }

  @Test
  void theConsentGateKeepsOutContactsWithoutIt() {
    UUID given = contact("a@example.com", "DE", "{\"marketing\": true}");
    UUID refused = contact("b@example.com", "DE", "{\"marketing\": false}");
    UUID unknown = contact("c@example.com", "DE", null);
    Segment segment = service.create(dynamic("Germany, marketing", "marketing", "contact.country", "DE")).await();
    assertThat(members(segment.id())).containsExactly(given);

    // Consent given later: the contact joins; withdrawn: it leaves.
    query("UPDATE contacts SET consent = '{\"marketing\": true}'::jsonb WHERE id = $1", unknown);
    query("UPDATE contacts SET consent = '{\"marketing\": false}'::jsonb WHERE id = $1", given);
    assertThat(evaluation.evaluate(segment.id()).await()).isEqualTo(new SegmentStore.Changes(1, 1, 1));
    assertThat(members(segment.id())).containsExactly(unknown);
    assertThat(members(segment.id())).doesNotContain(refused);
  }

  @Test
  void concurrentEvaluationsAnnounceEveryChangeOnce() {
    Segment segment = service.create(dynamic("Germany", null, "contact.country", "DE")).await();
    List<UUID> contacts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      contacts.add(contact("p" + i + "@example.com", "DE", null));
    }
    List<Future<SegmentStore.Changes>> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(evaluation.evaluate(segment.id()));
    }
    Future.all(runs).await();
    assertThat(runs.stream().mapToLong(r -> r.result().joined()).sum()).isEqualTo(60);
    assertThat(members(segment.id())).containsExactlyInAnyOrderElementsOf(contacts);
    assertThat(events()).hasSize(60).extracting(e -> e.getString("contactId")).doesNotHaveDuplicates();

    // Half of them leave while evaluations run side by side again.
    query("UPDATE contacts SET country = 'FR' WHERE id = ANY ($1)", (Object) contacts.subList(0, 30).toArray(UUID[]::new));
    runs.clear();
    for (int i = 0; i < 6; i++) {
      runs.add(evaluation.evaluate(segment.id()));
    }
    Future.all(runs).await();
    assertThat(events().stream().filter(e -> e.getString("type").equals(EventTypes.SEGMENT_LEFT)))
        .hasSize(30).extracting(e -> e.getString("contactId")).doesNotHaveDuplicates();
    assertThat(service.get(segment.id()).await().memberCount()).isEqualTo(30);
  }

  @Test
  void concurrentAdditionsToAStaticSegmentAnnounceEachContactOnce() {
    Segment segment = service.create(SegmentInput.manual("Fair visitors")).await();
    assertThat(segment.evaluationStatus()).isEqualTo(Segment.EVALUATED);
    List<UUID> contacts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      contacts.add(contact("v" + i + "@example.com", "DE", null));
    }
    List<Future<SegmentStore.Changes>> adds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      adds.add(service.addMembers(segment.id(), contacts.subList(i * 2, i * 2 + 10))); // overlapping batches
    }
    Future.all(adds).await();
    assertThat(adds.stream().mapToLong(a -> a.result().joined()).sum()).isEqualTo(18);
    assertThat(events()).hasSize(18).extracting(e -> e.getString("contactId")).doesNotHaveDuplicates();
    assertThat(service.get(segment.id()).await().memberCount()).isEqualTo(18);

    SegmentStore.Changes removed = service.removeMember(segment.id(), contacts.get(0)).await();
    assertThat(removed).isEqualTo(new SegmentStore.Changes(0, 1, 17));
    assertThat(events()).last().satisfies(e -> {
      assertThat(e.getString("type")).isEqualTo(EventTypes.SEGMENT_LEFT);
      assertThat(e.getString("contactId")).isEqualTo(contacts.get(0).toString());
    });
  }

  @Test
  void replacingAndDeleting() {
    UUID ada = contact("ada@example.com", "DE", null);
    UUID cy = contact("cy@example.com", "FR", null);
    Segment segment = service.create(dynamic("Germany", null, "contact.country", "DE")).await();
    // The new definition is evaluated in the same call.
    Segment replaced = service.replace(segment.id(), dynamic("France", null, "contact.country", "FR")).await();
    assertThat(replaced.name()).isEqualTo("France");
    assertThat(members(segment.id())).containsExactly(cy);
    // Made static, it keeps its members as they are.
    Segment frozen = service.replace(segment.id(),
        SegmentInput.manual("France, frozen")).await();
    assertThat(frozen.definition()).isNull();
    assertThat(frozen.memberCount()).isEqualTo(1);
    query("UPDATE contacts SET country = 'DE' WHERE id = $1", cy);
    assertThat(evaluation.evaluate(segment.id()).await()).isEqualTo(new SegmentStore.Changes(0, 0, 1));
    assertThat(members(segment.id())).containsExactly(cy);
    long before = events().size();

    // Deleting ends the membership without events (docs/segments.md).
    service.delete(segment.id()).await();
    assertThat(TestDatabase.count("SELECT count(*) FROM segment_members")).isZero();
    assertThat(events()).hasSize((int) before);
    assertThat(ada).isNotNull();
  }

  // ---- helpers ----

  static SegmentInput dynamic(String name, String consent, String field, String value) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("field", field);
    condition.put("op", "equals");
    condition.put("value", value);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("kind", "dynamic");
    if (consent != null) {
      body.put("requiresConsent", consent);
    }
    body.put("definition", Map.of("all", List.of(condition)));
    return SegmentParser.segment(body);
  }

  static UUID contact(String email, String country, String consent) {
    return query("INSERT INTO contacts (email, first_name, country, consent, email_norm) "
            + "VALUES ($1, 'First', $2, $3::text::jsonb, $1) RETURNING id", email, country, consent)
        .get(0).getUUID(0);
  }

  static List<UUID> members(UUID segmentId) {
    return query("SELECT contact_id FROM segment_members WHERE segment_id = $1 ORDER BY contact_id", segmentId)
        .stream().map(r -> r.getUUID(0)).toList();
  }

  /** The outbox's contact events in the order written. */
  static List<JsonObject> events() {
    List<JsonObject> events = new ArrayList<>();
    for (Row row : query("SELECT type, contact_id, payload FROM outbox WHERE contact_id IS NOT NULL "
        + "ORDER BY created_at, id")) {
      events.add(new JsonObject().put("type", row.getString("type"))
          .put("contactId", row.getUUID("contact_id").toString()).put("payload", row.getValue("payload")));
    }
    return events;
  }

  static List<Row> query(String sql, Object... parameters) {
    List<Row> rows = new ArrayList<>();
    TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await().forEach(rows::add);
    return rows;
  }

}
