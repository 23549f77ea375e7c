package io.leadcycle.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.store.RescoringMarks.Claimed;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claims of rescoring marks: shared between runs, and a mark made during a run is never lost. */
class RescoringMarksTest {

  private final RescoringMarks marks = new RescoringMarks();

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private List<Claimed> claim(int limit) {
    return TestDatabase.database().inTransaction(conn -> marks.claim(conn, limit, Instant.now())).await();
  }

  private void clear(List<Claimed> claimed) {
    TestDatabase.database().inTransaction(conn -> marks.clear(conn, claimed)).await();
  }

  @Test
  void aClaimedMarkIsNotClaimedAgainUntilItsLeaseEnds() {
    UUID a = ScoringFixtures.contact("a@example.com", null, null);
    UUID b = ScoringFixtures.contact("b@example.com", null, null);
    ScoringFixtures.mark(a);
    ScoringFixtures.mark(b);

    List<Claimed> first = claim(1);
    List<Claimed> second = claim(10);
    List<Claimed> third = claim(10);

    assertThat(first).hasSize(1);
    assertThat(second).extracting(Claimed::contactId).containsExactly(first.get(0).contactId().equals(a) ? b : a);
    assertThat(third).isEmpty();
    // After the lease, a dead run's marks are claimed again.
    List<Claimed> later = TestDatabase.database()
        .inTransaction(conn -> marks.claim(conn, 10, Instant.now().plusSeconds(301))).await();
    assertThat(later).hasSize(2);
  }

  @Test
  void aMarkMadeWhileItWasClaimedSurvivesTheClearAndCanBeClaimedAtOnce() {
    UUID a = ScoringFixtures.contact("a@example.com", null, null);
    ScoringFixtures.mark(a);
    List<Claimed> claimed = claim(10);

    ScoringFixtures.mark(a); // new facts while the run was scoring
    clear(claimed);

    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);
    assertThat(claim(10)).extracting(Claimed::contactId).containsExactly(a);
  }

  @Test
  void clearingRemovesWhatWasClaimedAndNothingElse() {
    UUID a = ScoringFixtures.contact("a@example.com", null, null);
    UUID b = ScoringFixtures.contact("b@example.com", null, null);
    ScoringFixtures.mark(a);
    List<Claimed> claimed = claim(10);
    ScoringFixtures.mark(b);

    clear(claimed);

    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);
    assertThat(claim(10)).extracting(Claimed::contactId).containsExactly(b);
  }

  @Test
  void runsDiedLeasesComeFirstThenTheOldestFreeMarksWithinTheLimit() {
    TestDatabase.database().pool().query("""
        INSERT INTO contacts (id) SELECT gen_random_uuid() FROM generate_series(1, 8);
        INSERT INTO contacts_to_rescore (contact_id, marked_at)
          SELECT id, now() - make_interval(mins => row_number() OVER (ORDER BY id)::int) FROM contacts;
        -- three held by a run whose lease ran out, one still held
        UPDATE contacts_to_rescore SET claimed_until = now() - interval '1 minute'
         WHERE contact_id IN (SELECT contact_id FROM contacts_to_rescore ORDER BY marked_at DESC LIMIT 3);
        UPDATE contacts_to_rescore SET claimed_until = now() + interval '1 minute'
         WHERE contact_id = (SELECT contact_id FROM contacts_to_rescore ORDER BY marked_at LIMIT 1)""")
        .execute().await();
    List<UUID> expired = ids("SELECT contact_id FROM contacts_to_rescore WHERE claimed_until < now()");
    List<UUID> oldestFree = ids("SELECT contact_id FROM contacts_to_rescore WHERE claimed_until IS NULL"
        + " ORDER BY marked_at LIMIT 2");

    List<Claimed> claimed = claim(5);

    assertThat(claimed).extracting(Claimed::contactId).containsExactlyInAnyOrderElementsOf(
        java.util.stream.Stream.concat(expired.stream(), oldestFree.stream()).toList());
    assertThat(claim(10)).hasSize(2); // the rest of the free ones; the one still held stays held
    assertThat(claim(10)).isEmpty();
  }

  @Test
  void concurrentRunsClaimEveryMarkExactlyOnce() throws Exception {
    int markCount = 2_000;
    TestDatabase.database().pool().query("INSERT INTO contacts (id) SELECT gen_random_uuid() FROM generate_series(1, "
        + markCount + "); INSERT INTO contacts_to_rescore (contact_id) SELECT id FROM contacts").execute().await();
    int runs = 8;
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(runs);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<List<UUID>>> claimedByRun = new java.util.ArrayList<>();
    for (int r = 0; r < runs; r++) {
      claimedByRun.add(threads.submit(() -> {
        start.await();
        List<UUID> mine = new java.util.ArrayList<>();
        for (List<Claimed> batch = claim(37); !batch.isEmpty(); batch = claim(37)) {
          batch.forEach(c -> mine.add(c.contactId()));
        }
        return mine;
      }));
    }
    start.countDown();
    List<UUID> all = new java.util.ArrayList<>();
    for (java.util.concurrent.Future<List<UUID>> run : claimedByRun) {
      all.addAll(run.get());
    }
    threads.shutdown();

    assertThat(all).hasSize(markCount).doesNotHaveDuplicates();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore WHERE claimed_until IS NULL")).isZero();
  }

  private static List<UUID> ids(String sql) {
    List<UUID> ids = new java.util.ArrayList<>();
    TestDatabase.database().pool().query(sql).execute().await().forEach(row -> ids.add(row.getUUID(0)));
    return ids;
  }
}
