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
}
