package io.leadcycle.functions.scorerecalculation;

import io.leadcycle.testing.ScoringFixtures;

import static io.leadcycle.testing.ScoringFixtures.contact;
import static io.leadcycle.testing.ScoringFixtures.interaction;
import static io.leadcycle.testing.ScoringFixtures.lead;
import static io.leadcycle.testing.ScoringFixtures.live;
import static io.leadcycle.testing.ScoringFixtures.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduled function: an EventBridge event in, a run of the recalculation, its summary out. */
class ScoreRecalculationHandlerTest {

  private static final String MODEL = """
      {"name": "Fit", "target": "contact", "salesReadyThreshold": 30,
       "grades": [{"name": "cold", "min": -100, "max": 29}, {"name": "hot", "min": 30, "max": 100}],
       "rules": [{"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
                  "points": 10, "maxPoints": 50}]}""";

  private final ScheduledEvent event =
      LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void aScheduledRunScoresWhatChangedAndSaysWhatItDid() {
    List<String> nudges = new CopyOnWriteArrayList<>();
    ScoreRecalculationHandler handler =
        new ScoreRecalculationHandler(TestDatabase::database, Clock.systemUTC(), Map.of(), nudges::add);
    live(MODEL);
    handler.handleRequest(event, null); // the model's full rescoring: no leads yet
    assertThat(nudges).as("nothing announced, no nudge").isEmpty();
    UUID contactId = contact("ada@example.com", null, null);
    UUID leadId = lead(contactId, null);
    for (int i = 0; i < 3; i++) {
      interaction(contactId, "website_visited", Instant.now().minus(Duration.ofHours(i + 1)), null);
    }
    mark(contactId);

    InvocationLog.Captured<Map<String, Object>> run = InvocationLog.capture(() -> handler.handleRequest(event, null));
    Map<String, Object> summary = run.result();

    assertThat(summary).containsEntry("outcome", "completed").containsEntry("contactsRescored", 1)
        .containsEntry("leadsScored", 1).containsEntry("salesReady", 1).containsEntry("more", false);
    assertThat(run.metrics()).containsExactlyInAnyOrderEntriesOf(
        Map.of("LeadsScored", 1L, "LeadsBecameSalesReady", 1L, "ScheduledRunsFailed", 0L));
    assertThat(TestDatabase.count("SELECT score FROM leads WHERE id = '" + leadId + "'")).isEqualTo(30);
    assertThat(TestDatabase.count("SELECT count(*) FROM leads WHERE sales_ready")).isEqualTo(1);
    assertThat(nudges).as("sales-ready written: one nudge").containsExactly("score-recalculation");
  }

  @Test
  void theRunBudgetIsAWholeNumberOfSecondsFromOneTo840() {
    assertThat(ScoreRecalculationHandler.budget(Map.of())).isEqualTo(Duration.ofSeconds(50));
    assertThat(ScoreRecalculationHandler.budget(Map.of("RESCORING_RUN_SECONDS", " 5 "))).isEqualTo(Duration.ofSeconds(5));
    for (String bad : new String[] {"0", "841", "-1", "ten", "1.5"}) {
      assertThatThrownBy(() -> ScoreRecalculationHandler.budget(Map.of("RESCORING_RUN_SECONDS", bad)))
          .hasMessageContaining("RESCORING_RUN_SECONDS");
    }
  }

  @Test
  void aPollingRunPicksUpWhatIsMarkedWhileItWaits() throws Exception {
    live(MODEL);
    new ScoreRecalculationHandler(TestDatabase::database, Clock.systemUTC(), Map.of()).handleRequest(event, null);
    UUID contactId = contact("ada@example.com", null, null);
    UUID leadId = lead(contactId, null);
    interaction(contactId, "website_visited", Instant.now().minusSeconds(60), null);
    ScoreRecalculationHandler polling = new ScoreRecalculationHandler(TestDatabase::database, Clock.systemUTC(),
        Map.of("RESCORING_RUN_SECONDS", "4", "RESCORING_KEEP_POLLING", "true"));
    Thread marker = new Thread(() -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        return;
      }
      mark(contactId);
    });
    marker.start();

    InvocationLog.Captured<Map<String, Object>> run = InvocationLog.capture(() -> polling.handleRequest(event, null));
    Map<String, Object> summary = run.result();
    marker.join();

    assertThat(summary).containsEntry("outcome", "completed").containsEntry("polled", true)
        .containsEntry("contactsRescored", 1L);
    assertThat(TestDatabase.count("SELECT score FROM leads WHERE id = '" + leadId + "'")).isEqualTo(10);
    // Every poll of the run adds to one line, written at its end.
    assertThat(run.metrics()).containsEntry("LeadsScored", 1L).containsEntry("LeadsBecameSalesReady", 0L);
    assertThatThrownBy(() -> ScoreRecalculationHandler.keepPolling(Map.of("RESCORING_KEEP_POLLING", "yes")))
        .hasMessageContaining("RESCORING_KEEP_POLLING");
  }
}
