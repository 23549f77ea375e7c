package io.leadcycle.segmentation;

import static io.leadcycle.segmentation.SegmentEvaluationTest.contact;
import static io.leadcycle.segmentation.SegmentEvaluationTest.dynamic;
import static io.leadcycle.segmentation.SegmentEvaluationTest.events;
import static io.leadcycle.segmentation.SegmentEvaluationTest.members;
import static io.leadcycle.segmentation.SegmentEvaluationTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.EventTypes;
import io.leadcycle.segments.Segment;
import io.leadcycle.store.RescoringMarks;
import io.leadcycle.store.SegmentMarks;
import io.leadcycle.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The segment-evaluation run: pending and stale segments fully, then only the contacts marked since (by the same
 * statements that mark for rescoring, without taking scoring's marks), and runs side by side never announce a
 * join or a leave twice.
 */
class SegmentEvaluationRunTest {

  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final SegmentService service = new SegmentService(TestDatabase.database(), clock);
  final SegmentEvaluation evaluation = new SegmentEvaluation(TestDatabase.database(), clock);

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void onlyMarkedContactsAreLookedAtAndScoringKeepsItsMarks() {
    UUID ada = contact("ada@example.com", "DE", null);
    UUID bob = contact("bob@example.com", "DE", null);
    UUID cy = contact("cy@example.com", "FR", null);
    Segment segment = service.create(dynamic("Germany", null, "contact.country", "DE")).await();
    assertThat(members(segment.id())).containsExactlyInAnyOrder(ada, bob);
    evaluation.run(Duration.ofSeconds(10)); // drains the marks the inserts above did not make (none)

    // Bob and Cy move; only Cy is marked: Bob stays a member until he is marked (or the segment goes stale).
    query("UPDATE contacts SET country = 'FR' WHERE id = $1", bob);
    query("UPDATE contacts SET country = 'DE' WHERE id = $1", cy);
    TestDatabase.database().inTransaction(conn -> new RescoringMarks().mark(conn, cy)).await();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_resegment")).isEqualTo(1);

    SegmentEvaluation.RunSummary run = evaluation.run(Duration.ofSeconds(10));
    assertThat(run.contactsEvaluated()).isEqualTo(1);
    assertThat(run.fullEvaluations()).isZero();
    assertThat(run.joined()).isEqualTo(1);
    assertThat(run.left()).isZero();
    assertThat(members(segment.id())).containsExactlyInAnyOrder(ada, bob, cy);
    assertThat(service.get(segment.id()).await().memberCount()).isEqualTo(3);
    // Segment evaluation cleared its own mark; scoring's is still there for score recalculation.
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_resegment")).isZero();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);

    // Bob marked (an account of contacts, as an account change marks them): he leaves, Ada stays.
    query("UPDATE contacts SET account_id = (SELECT id FROM accounts LIMIT 1) WHERE id = $1", bob);
    TestDatabase.database().inTransaction(conn -> new RescoringMarks().markAll(conn, List.of(bob, ada, bob))).await();
    run = evaluation.run(Duration.ofSeconds(10));
    assertThat(run.contactsEvaluated()).isEqualTo(2);
    assertThat(run.left()).isEqualTo(1);
    assertThat(members(segment.id())).containsExactlyInAnyOrder(ada, cy);
    assertThat(service.get(segment.id()).await().memberCount()).isEqualTo(2);
    List<String> announced = events().stream().map(e -> e.getString("type") + " " + e.getString("contactId")).toList();
    assertThat(announced.subList(0, 2)).containsExactlyInAnyOrder(
        EventTypes.SEGMENT_JOINED + " " + ada, EventTypes.SEGMENT_JOINED + " " + bob);
    assertThat(announced.subList(2, 4)).containsExactly(
        EventTypes.SEGMENT_JOINED + " " + cy, EventTypes.SEGMENT_LEFT + " " + bob);

    // Nothing marked: nothing looked at, nothing announced.
    run = evaluation.run(Duration.ofSeconds(10));
    assertThat(run.contactsEvaluated()).isZero();
    assertThat(events()).hasSize(4);
  }

  @Test
  void pendingAndStaleSegmentsAreEvaluatedFully() {
    UUID ada = contact("ada@example.com", "DE", null);
    Segment segment = service.create(dynamic("Germany", null, "contact.country", "DE")).await();
    UUID bob = contact("bob@example.com", "DE", null); // not marked: only a full evaluation finds him
    query("UPDATE segments SET evaluation_status = 'pending' WHERE id = $1", segment.id());
    SegmentEvaluation.RunSummary run = evaluation.run(Duration.ofSeconds(10));
    assertThat(run.fullEvaluations()).isEqualTo(1);
    assertThat(members(segment.id())).containsExactlyInAnyOrder(ada, bob);
    Segment evaluated = service.get(segment.id()).await();
    assertThat(evaluated.evaluationStatus()).isEqualTo(Segment.EVALUATED);
    assertThat(evaluated.evaluatedAt()).isEqualTo(NOW);

    // An hour later it is stale: evaluated fully again (time passing moves "within N days").
    UUID cy = contact("cy@example.com", "DE", null);
    SegmentEvaluation later = new SegmentEvaluation(TestDatabase.database(),
        Clock.fixed(NOW.plus(Duration.ofMinutes(61)), ZoneOffset.UTC));
    assertThat(evaluation.run(Duration.ofSeconds(10)).fullEvaluations()).isZero();
    assertThat(later.run(Duration.ofSeconds(10)).fullEvaluations()).isEqualTo(1);
    assertThat(members(segment.id())).containsExactlyInAnyOrder(ada, bob, cy);
    assertThat(later.run(Duration.ofSeconds(10)).fullEvaluations()).isZero();
  }

  @Test
  void aSegmentThatCannotBeEvaluatedHoldsBackNeitherTheOthersNorTheMarks() {
    UUID ada = contact("ada@example.com", "FR", null);
    Segment broken = service.create(dynamic("Broken", null, "contact.country", "DE")).await();
    Segment france = service.create(dynamic("France", null, "contact.country", "FR")).await();
    // A definition stored before the language changed (a field since removed), and due for a full evaluation.
    query("UPDATE segments SET definition = '{\"all\": [{\"field\": \"contact.shoeSize\", \"op\": \"equals\", "
        + "\"value\": \"42\"}]}'::jsonb, evaluation_status = 'pending' WHERE id = $1", broken.id());
    query("UPDATE segments SET evaluation_status = 'pending' WHERE id = $1", france.id());
    query("DELETE FROM segment_members");
    TestDatabase.database().inTransaction(conn -> new RescoringMarks().mark(conn, ada)).await();

    SegmentEvaluation.RunSummary run = evaluation.run(Duration.ofSeconds(10));

    assertThat(run.fullEvaluationsFailed()).isEqualTo(1);
    assertThat(run.fullEvaluations()).isEqualTo(1);
    assertThat(run.more()).isFalse();
    assertThat(members(france.id())).containsExactly(ada);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_resegment")).isZero();
    assertThat(service.get(broken.id()).await().evaluationStatus()).isEqualTo(Segment.PENDING);
  }

  @Test
  void leadChangesMarkTheirContactForSegmentsOnly() {
    UUID ada = contact("ada@example.com", "DE", null);
    TestDatabase.database().inTransaction(conn -> new SegmentMarks().markAll(conn, java.util.Arrays.asList(ada, null, ada)))
        .await();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_resegment")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isZero();
  }

  @Test
  void runsSideBySideAnnounceEachJoinAndLeaveOnce() throws Exception {
    Segment germany = service.create(dynamic("Germany", null, "contact.country", "DE")).await();
    Segment france = service.create(dynamic("France", null, "contact.country", "FR")).await();
    List<UUID> contacts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      contacts.add(contact("p" + i + "@example.com", "DE", null));
    }
    // Marked by many small writers, then evaluated by four runs at once with small batches: runs claim
    // different marks, and re-marked contacts are looked at by two runs, which take turns on each segment.
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < contacts.size(); i += 10) {
          List<UUID> some = contacts.subList(i, i + 10);
          TestDatabase.database().inTransaction(conn -> new RescoringMarks().markAll(conn, some)).await();
        }
        CyclicBarrier start = new CyclicBarrier(4);
        List<CompletableFuture<SegmentEvaluation.RunSummary>> runs = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
          runs.add(CompletableFuture.supplyAsync(() -> {
            await(start);
            return new SegmentEvaluation(TestDatabase.database(), clock, 25, SegmentEvaluation.DEFAULT_STALE_AFTER)
                .run(Duration.ofSeconds(30));
          }, threads));
          // and one more evaluation through a writer's re-mark while they run
        }
        TestDatabase.database().inTransaction(conn -> new RescoringMarks().markAll(conn, contacts.subList(0, 50))).await();
        long evaluated = 0;
        for (CompletableFuture<SegmentEvaluation.RunSummary> run : runs) {
          evaluated += run.get().contactsEvaluated();
        }
        assertThat(evaluated).isGreaterThanOrEqualTo(300);
        new SegmentEvaluation(TestDatabase.database(), clock).run(Duration.ofSeconds(30)); // what a late mark left
        assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_resegment")).isZero();
        if (round == 0) {
          assertThat(members(germany.id())).containsExactlyInAnyOrderElementsOf(contacts);
          // Everyone moves to France for the second round.
          query("UPDATE contacts SET country = 'FR'");
        }
      }
    } finally {
      threads.shutdown();
    }
    assertThat(members(germany.id())).isEmpty();
    assertThat(members(france.id())).containsExactlyInAnyOrderElementsOf(contacts);
    assertThat(service.get(germany.id()).await().memberCount()).isZero();
    assertThat(service.get(france.id()).await().memberCount()).isEqualTo(300);
    List<String> changes = events().stream().map(e -> e.getString("type") + " " + e.getJsonObject("payload")
        .getJsonObject("segment").getString("name") + " " + e.getString("contactId")).toList();
    assertThat(changes).hasSize(900).doesNotHaveDuplicates();
    assertThat(changes.stream().filter(c -> c.startsWith(EventTypes.SEGMENT_LEFT + " Germany"))).hasSize(300);
    assertThat(changes.stream().filter(c -> c.startsWith(EventTypes.SEGMENT_JOINED + " France"))).hasSize(300);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
