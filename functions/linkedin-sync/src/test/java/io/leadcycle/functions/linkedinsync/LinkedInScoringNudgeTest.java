package io.leadcycle.functions.linkedinsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.runtime.Nudge;
import io.leadcycle.testing.ScoringFixtures;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LinkedIn Lead Gen responses mark their contacts for rescoring, as intake does, and so nudge score
 * recalculation once committed (the nudge sees the marks from another connection), through the webhook
 * and the poll, against the fake LinkedIn on loopback. What takes nothing in does not nudge.
 */
class LinkedInScoringNudgeTest extends LinkedInHarness {

  private final List<String> nudges = new CopyOnWriteArrayList<>();
  private final Nudge recording = reason -> nudges.add(reason + " with "
      + count("SELECT count(*) FROM contacts_to_rescore") + " committed mark(s)");

  @BeforeEach
  void nudging() {
    handler.nudgingScoring(recording);
    poller.nudgingScoring(recording);
  }

  @Test
  void aLeadTakenInThroughTheWebhookNudgesOnceItsMarkIsCommittedAndARepeatDoesNot() {
    saved(putMapping(MAPPING));
    linkedIn.add(FakeLinkedIn.lead("lead-n1", Instant.now().minusSeconds(60), false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));

    assertThat(ok(notify(FakeLinkedIn.notification("lead-n1", "CREATED"))).getString("outcome")).isEqualTo("created");
    assertThat(nudges).containsExactly("linkedin-sync with 1 committed mark(s)");

    ok(notify(FakeLinkedIn.notification("lead-n1", "CREATED")));
    assertThat(nudges).as("a repeated notification takes nothing in").hasSize(1);
  }

  @Test
  void aPollNudgesAsItTakesLeadsInSoScoringStartsBeforeItEnds() {
    saved(putMapping(MAPPING));
    for (int i = 0; i < 3; i++) {
      linkedIn.add(FakeLinkedIn.lead("poll-n" + i, Instant.now().minusSeconds(60L * (i + 1)), false,
          FakeLinkedIn.person("Person", "Number" + i, "person" + i + "@example.com", null)));
    }

    assertThat(poll()).containsEntry("created", 3);

    // One per response here (a real nudge folds them per second), each after its own commit.
    assertThat(nudges).containsExactly("linkedin-sync with 1 committed mark(s)", "linkedin-sync with 2 committed mark(s)",
        "linkedin-sync with 3 committed mark(s)");
  }

  @Test
  void aDeletedLeadWhoseContactStaysNudgesItsRescoring() {
    saved(putMapping(MAPPING));
    ScoringFixtures.contact("ada@example.com", "CTO", null);
    linkedIn.add(FakeLinkedIn.lead("lead-n2", Instant.now().minusSeconds(60), false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));
    ok(notify(FakeLinkedIn.notification("lead-n2", "CREATED")));
    query("DELETE FROM contacts_to_rescore");
    nudges.clear();

    ok(notify(FakeLinkedIn.notification("lead-n2", "DELETED")));

    assertThat(nudges).containsExactly("linkedin-sync: lead deleted with 1 committed mark(s)");
  }

  @Test
  void aResponseOfAnUnmappedFormOrADeletionOfNothingDoesNotNudge() {
    linkedIn.add(FakeLinkedIn.lead("lead-n3", Instant.now().minusSeconds(60), false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));

    assertThat(ok(notify(FakeLinkedIn.notification("lead-n3", "CREATED"))).getString("outcome")).isEqualTo("unmapped");
    ok(notify(FakeLinkedIn.notification("lead-unknown", "DELETED")));

    assertThat(nudges).isEmpty();
  }
}
