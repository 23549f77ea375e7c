package io.leadcycle.functions.scorerecalculation;

import static io.leadcycle.testing.ScoringFixtures.contact;
import static io.leadcycle.testing.ScoringFixtures.contactsWithLeads;
import static io.leadcycle.testing.ScoringFixtures.interaction;
import static io.leadcycle.testing.ScoringFixtures.lead;
import static io.leadcycle.testing.ScoringFixtures.live;
import static io.leadcycle.testing.ScoringFixtures.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue function: a batch of scoring nudges in, the budgeted rescoring pass, a partial batch response out. */
class ScoringNudgeHandlerTest {

  private static final String MODEL = """
      {"name": "Fit", "target": "contact", "salesReadyThreshold": 30,
       "grades": [{"name": "cold", "min": -100, "max": 29}, {"name": "hot", "min": 30, "max": 100}],
       "rules": [{"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
                  "points": 10, "maxPoints": 50}]}""";
  private static final Map<String, String> ENV = Map.of("RESCORING_RUN_SECONDS", "5");
  private static final String ARN = "arn:aws:sqs:eu-central-1:123456789012:leadcycle-scoring-nudge.fifo";

  private final List<String> parked = new CopyOnWriteArrayList<>();
  private final DeadLetters deadLetters = (message, reason) -> parked.add(message.getMessageId());
  private final List<String> notificationNudges = new CopyOnWriteArrayList<>();

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  /**
   * The recorded SQS event as a batch from the FIFO scoring queue: one nudge per slot, as the writers send
   * them ({@link Nudge#body}), with the FIFO attributes SQS adds.
   */
  private static SQSEvent nudges(long... slots) {
    return nudgesIn(Nudge.Target.SCORING.messageGroup(), slots);
  }

  /** As {@link #nudges}, in message group {@code group} (a full rescoring's {@code rescoring-k}). */
  private static SQSEvent nudgesIn(String group, long... slots) {
    JsonObject event = new JsonObject(LambdaEvents.resource("events/sqs-event.json"));
    JsonObject recorded = event.getJsonArray("Records").getJsonObject(0);
    JsonArray records = new JsonArray();
    for (int i = 0; i < slots.length; i++) {
      JsonObject record = recorded.copy()
          .put("messageId", UUID.nameUUIDFromBytes(new byte[] {(byte) i}).toString())
          .put("body", Nudge.body("form-intake", slots[i]).encode())
          .put("eventSourceARN", ARN);
      record.getJsonObject("attributes").put("MessageGroupId", group)
          .put("MessageDeduplicationId", Long.toString(slots[i])).put("SequenceNumber", "1884949646046769612" + i);
      records.add(record);
    }
    return LambdaEvents.read(SQSEvent.class, event.put("Records", records).encode());
  }

  private ScoringNudgeHandler handler(Supplier<Database> database) {
    return new ScoringNudgeHandler(database, deadLetters, Clock.systemUTC(), ENV, notificationNudges::add);
  }

  private static UUID salesReadyOnceScored() {
    UUID contactId = contact("ada@example.com", null, null);
    UUID leadId = lead(contactId, null);
    for (int i = 0; i < 3; i++) {
      interaction(contactId, "website_visited", Instant.now().minus(Duration.ofHours(i + 1)), null);
    }
    mark(contactId);
    return leadId;
  }

  @Test
  void aBatchOfNudgesRunsOnePassThatScoresWhatWasMarkedAndNudgesNotification() {
    live(MODEL);
    handler(TestDatabase::database).handleRequest(nudges(Nudge.slot(Instant.now()) - 60), null); // the model's full rescoring
    notificationNudges.clear();
    UUID leadId = salesReadyOnceScored();
    long past = Nudge.slot(Instant.now()) - 10; // slots that ended: one pass covers them all
    ScoringNudgeHandler handler = handler(TestDatabase::database);

    InvocationLog.Captured<SQSBatchResponse> batch = InvocationLog.capture(() -> handler.handleRequest(nudges(past, past + 1), null));

    assertThat(batch.result().getBatchItemFailures()).isEmpty();
    assertThat(parked).isEmpty();
    assertThat(TestDatabase.count("SELECT score FROM leads WHERE id = '" + leadId + "'")).isEqualTo(30);
    assertThat(TestDatabase.count("SELECT count(*) FROM leads WHERE sales_ready")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isZero();
    assertThat(batch.metrics()).containsEntry("LeadsScored", 1L).containsEntry("LeadsBecameSalesReady", 1L)
        .containsEntry("QueueMessagesParked", 0L);
    assertThat(batch.line().getLong("passes")).as("one pass for the batch").isEqualTo(1L);
    assertThat(notificationNudges).as("sales-ready written: threshold notification nudged").containsExactly("score-recalculation");
  }

  @Test
  void aContactMarkedLaterInTheSameSlotIsScoredByASecondPassAfterTheSlotEnds() throws Exception {
    live(MODEL);
    handler(TestDatabase::database).handleRequest(nudges(Nudge.slot(Instant.now()) - 60), null);
    UUID contactId = contact("ada@example.com", null, null);
    UUID leadId = lead(contactId, null);
    interaction(contactId, "website_visited", Instant.now().minusSeconds(60), null);
    // The slot ends in a second: a writer of the same slot marks after the first pass, and its nudge is folded
    // into this message (SQS drops it as a duplicate), so only the pass after the slot's end can see it.
    long slot = Nudge.slot(Instant.now().plusSeconds(1)) - 1;
    Thread lateWriter = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      mark(contactId);
    });
    ScoringNudgeHandler handler = handler(TestDatabase::database);
    lateWriter.start();

    InvocationLog.Captured<SQSBatchResponse> batch = InvocationLog.capture(() -> handler.handleRequest(nudges(slot), null));
    lateWriter.join();

    assertThat(batch.result().getBatchItemFailures()).isEmpty();
    assertThat(batch.line().getLong("passes")).isEqualTo(2L);
    assertThat(TestDatabase.count("SELECT score FROM leads WHERE id = '" + leadId + "'")).isEqualTo(10);
  }

  @Test
  void aBodyThatNamesNoSlotIsOnePass() {
    ScoringNudgeHandler handler = handler(TestDatabase::database);
    SQSEvent event = nudges(0);
    event.getRecords().get(0).setBody("anything");

    InvocationLog.Captured<SQSBatchResponse> batch = InvocationLog.capture(() -> handler.handleRequest(event, null));

    assertThat(batch.result().getBatchItemFailures()).isEmpty();
    assertThat(batch.line().getLong("passes")).isEqualTo(1L);
    assertThat(Nudge.slotEnds("anything")).isNull();
    assertThat(Nudge.slotEnds("{\"slotEnds\": \"soon\"}")).isNull();
  }

  @Test
  void whenThePassFailsEveryMessageOfTheBatchFailsAndNoneIsParked() {
    Supplier<Database> down = () -> {
      throw new Unavailable("the database is not reachable");
    };
    long past = Nudge.slot(Instant.now()) - 10;

    SQSBatchResponse response = handler(down).handleRequest(nudges(past, past + 1), null);

    assertThat(response.getBatchItemFailures()).hasSize(2);
    assertThat(parked).isEmpty();
    assertThat(notificationNudges).isEmpty();
  }

  @Test
  void theBudgetIsChecked() {
    assertThat(ScoringNudgeHandler.budget(Map.of())).isEqualTo(Duration.ofSeconds(20));
    assertThat(ScoringNudgeHandler.budget(Map.of("RESCORING_RUN_SECONDS", " 7 "))).isEqualTo(Duration.ofSeconds(7));
    assertThatThrownBy(() -> ScoringNudgeHandler.budget(Map.of("RESCORING_RUN_SECONDS", "0")))
        .hasMessageContaining("RESCORING_RUN_SECONDS");
  }

  @Test
  void aPassThatRunsOutOfBudgetWithWorkLeftNudgesScoringToGoOn() {
    live(MODEL);
    handler(TestDatabase::database).handleRequest(nudges(Nudge.slot(Instant.now()) - 60), null); // the model's full rescoring
    for (int i = 0; i < 501; i++) {
      mark(contact("person" + i + "@example.com", null, null));
    }
    // A clock a second further at every look: the 3 s budget is spent after the first batch of 500.
    Clock ticking = new Clock() {
      private Instant now = Instant.now();

      @Override
      public synchronized Instant instant() {
        now = now.plusSeconds(1);
        return now;
      }

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    List<String> scoringNudges = new CopyOnWriteArrayList<>();
    ScoringNudgeHandler shortBudget = new ScoringNudgeHandler(TestDatabase::database, deadLetters, ticking,
        Map.of("RESCORING_RUN_SECONDS", "3"), notificationNudges::add, scoringNudges::add);

    shortBudget.handleRequest(nudges(Nudge.slot(Instant.now()) - 60), null);

    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isPositive();
    assertThat(scoringNudges).contains("score-recalculation: work left");
    scoringNudges.clear();
    handler(TestDatabase::database).handleRequest(nudges(Nudge.slot(Instant.now()) - 60), null);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isZero();
  }

  /** A clock a second further at every look: a budget of a few seconds is spent after a few looks. */
  private static Clock ticking() {
    return new Clock() {
      private Instant now = Instant.now();

      @Override
      public synchronized Instant instant() {
        now = now.plusSeconds(1);
        return now;
      }

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
  }

  /** Records each nudge with its group ("own" for the writers' group). */
  private static Nudge grouped(List<String> sent) {
    return new Nudge() {
      @Override
      public void send(String reason) {
        sent.add(reason + " in own");
      }

      @Override
      public void send(String reason, String group) {
        sent.add(reason + " in " + group);
      }
    };
  }

  @Test
  void aFullRescoringFansOutToEachGroupAndARunNudgedInAGroupContinuesInItUntilNoPartIsLeft() {
    contactsWithLeads(1_200);
    ScoringModel model = live(MODEL);
    Map<String, String> twoGroups = Map.of("RESCORING_RUN_SECONDS", "5", "RESCORING_PARALLELISM", "2");
    List<String> scoringNudges = new CopyOnWriteArrayList<>();
    long past = Nudge.slot(Instant.now()) - 60;

    // A writer's nudge (or the schedule) finds the model just published: it splits the rescoring into parts,
    // runs out of budget, and nudges every rescoring group, none of the writers'.
    new ScoringNudgeHandler(TestDatabase::database, deadLetters, ticking(), twoGroups, notificationNudges::add,
        grouped(scoringNudges)).handleRequest(nudges(past), null);
    assertThat(TestDatabase.count("SELECT count(*) FROM rescoring_partitions WHERE NOT done")).isPositive();
    assertThat(scoringNudges).containsExactly("score-recalculation: rescoring parts left in rescoring-1",
        "score-recalculation: rescoring parts left in rescoring-2");

    // A run of group 2 that runs out of budget goes on in group 2, and only there.
    scoringNudges.clear();
    new ScoringNudgeHandler(TestDatabase::database, deadLetters, ticking(), twoGroups, notificationNudges::add,
        grouped(scoringNudges)).handleRequest(nudgesIn("rescoring-2", past), null);
    assertThat(scoringNudges).containsExactly("score-recalculation: work left in rescoring-2");

    // The run that takes the last part nudges nobody: the chain stops.
    scoringNudges.clear();
    InvocationLog.Captured<SQSBatchResponse> last = InvocationLog.capture(() -> new ScoringNudgeHandler(
        TestDatabase::database, deadLetters, Clock.systemUTC(), Map.of("RESCORING_PARALLELISM", "2"),
        notificationNudges::add, grouped(scoringNudges)).handleRequest(nudgesIn("rescoring-2", past), null));
    assertThat(last.result().getBatchItemFailures()).isEmpty();
    assertThat(last.line().getString("group")).isEqualTo("rescoring-2");
    assertThat(last.line().getBoolean("more")).isFalse();
    assertThat(scoringNudges).isEmpty();
    assertThat(TestDatabase.count("SELECT count(*) FROM rescoring_partitions WHERE NOT done")).isZero();
    assertThat(TestDatabase.count("SELECT count(*) FROM lead_scores")).isEqualTo(1_200);
    assertThat(TestDatabase.count("SELECT count(*) FROM scoring_models WHERE rescoring_status = 'idle' AND id = '"
        + model.id() + "'")).isEqualTo(1);
  }

  @Test
  void aScheduledRunWithRescoringPartsLeftNudgesEachGroup() {
    contactsWithLeads(600);
    live(MODEL);
    List<String> scoringNudges = new CopyOnWriteArrayList<>();
    ScoreRecalculationHandler scheduled = new ScoreRecalculationHandler(TestDatabase::database, ticking(),
        Map.of("RESCORING_RUN_SECONDS", "3", "RESCORING_PARALLELISM", "3"), Nudge.NONE, grouped(scoringNudges));

    scheduled.handleRequest(LambdaEvents.read(com.amazonaws.services.lambda.runtime.events.ScheduledEvent.class,
        LambdaEvents.resource("events/scheduled-event.json")), null);

    assertThat(scoringNudges).containsExactly("score-recalculation: rescoring parts left in rescoring-1",
        "score-recalculation: rescoring parts left in rescoring-2", "score-recalculation: rescoring parts left in rescoring-3");
  }
}
