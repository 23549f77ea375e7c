package io.leadcycle.functions.scorerecalculation;

import static io.leadcycle.testing.ScoringFixtures.contact;
import static io.leadcycle.testing.ScoringFixtures.mark;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.RescoringGroups;
import io.leadcycle.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Segment evaluation learns of writers through score recalculation: a pass that rescored marked contacts marks them
 * for segments again (their scores were just written) and nudges segment evaluation; a pass with nothing marked
 * nudges nobody.
 */
class RescoringPassSegmentNudgeTest {

  private final List<String> segmentNudges = new CopyOnWriteArrayList<>();

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void aPassThatRescoredMarkedContactsNudgesSegmentEvaluation() {
    RescoringPass pass = new RescoringPass(TestDatabase::database, Clock.systemUTC(), () -> Nudge.NONE,
        () -> Nudge.NONE, RescoringGroups.fromEnvironment(Map.of()), () -> segmentNudges::add);
    pass.run(Duration.ofSeconds(5), new io.leadcycle.runtime.Metrics(), null);
    assertThat(segmentNudges).isEmpty();

    UUID ada = contact("ada@example.com", null, null);
    mark(ada);
    TestDatabase.database().pool().query("DELETE FROM contacts_to_resegment").execute().await();
    pass.run(Duration.ofSeconds(5), new io.leadcycle.runtime.Metrics(), null);

    assertThat(segmentNudges).containsExactly("score-recalculation");
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isZero();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_resegment WHERE contact_id = '" + ada + "'"))
        .as("marked for segments again after rescoring").isEqualTo(1);
  }
}
