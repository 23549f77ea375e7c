package io.leadcycle.functions.segmentevaluation;

import static io.leadcycle.testing.ScoringFixtures.contact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.segmentation.SegmentService;
import io.leadcycle.segments.Segment;
import io.leadcycle.segments.SegmentParser;
import io.leadcycle.store.RescoringMarks;
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

/**
 * Both triggers of segment evaluation: the schedule (an EventBridge event in, a pass, its summary out) and the
 * nudge queue (a batch in, a pass, a partial batch response out); joins nudge threshold notification.
 */
class SegmentEvaluationHandlerTest {

  private static final String ARN = "arn:aws:sqs:eu-central-1:123456789012:leadcycle-segment-nudge.fifo";
  private final ScheduledEvent event =
      LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));
  private final List<String> notificationNudges = new CopyOnWriteArrayList<>();
  private final List<String> segmentNudges = new CopyOnWriteArrayList<>();
  private final List<String> parked = new CopyOnWriteArrayList<>();
  private final DeadLetters deadLetters = (message, reason) -> parked.add(message.getMessageId());

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void aScheduledRunEvaluatesTheMarkedContactsAndNudgesNotification() {
    Segment segment = germany();
    UUID ada = contact("ada@example.com", null, null);
    inGermany(ada);
    mark(ada);
    SegmentEvaluationHandler handler = new SegmentEvaluationHandler(TestDatabase::database, Clock.systemUTC(), Map.of(),
        notificationNudges::add, segmentNudges::add);

    InvocationLog.Captured<Map<String, Object>> run = InvocationLog.capture(() -> handler.handleRequest(event, null));

    assertThat(run.result()).containsEntry("outcome", "completed").containsEntry("contactsEvaluated", 1)
        .containsEntry("joined", 1L).containsEntry("left", 0L).containsEntry("more", false);
    assertThat(TestDatabase.count("SELECT member_count FROM segments WHERE id = '" + segment.id() + "'")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM outbox WHERE type = 'contact.segment_joined' AND contact_id = '"
        + ada + "'")).isEqualTo(1);
    assertThat(notificationNudges).containsExactly("segment-evaluation");
    assertThat(segmentNudges).isEmpty();

    // Nothing marked since: nothing announced, nobody nudged.
    handler.handleRequest(event, null);
    assertThat(notificationNudges).hasSize(1);
  }

  @Test
  void aNudgeRunsOnePassForItsBatch() {
    germany();
    UUID ada = contact("ada@example.com", null, null);
    inGermany(ada);
    mark(ada);
    long past = Nudge.slot(Instant.now()) - 10;

    InvocationLog.Captured<SQSBatchResponse> batch =
        InvocationLog.capture(() -> nudgeHandler(TestDatabase::database).handleRequest(nudges(past, past + 1), null));

    assertThat(batch.result().getBatchItemFailures()).isEmpty();
    assertThat(batch.line().getLong("passes")).isEqualTo(1L);
    assertThat(TestDatabase.count("SELECT count(*) FROM segment_members")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_resegment")).isZero();
    assertThat(notificationNudges).containsExactly("segment-evaluation");
  }

  @Test
  void whenThePassFailsEveryMessageFailsAndNoneIsParked() {
    Supplier<Database> down = () -> {
      throw new Unavailable("the database is not reachable");
    };
    long past = Nudge.slot(Instant.now()) - 10;
    SQSBatchResponse response = nudgeHandler(down).handleRequest(nudges(past, past + 1), null);
    assertThat(response.getBatchItemFailures()).hasSize(2);
    assertThat(parked).isEmpty();
  }

  @Test
  void theBudgetsAreChecked() {
    assertThat(SegmentEvaluationHandler.budget(Map.of())).isEqualTo(Duration.ofSeconds(50));
    assertThat(SegmentNudgeHandler.budget(Map.of())).isEqualTo(Duration.ofSeconds(20));
    assertThat(SegmentNudgeHandler.budget(Map.of("SEGMENT_RUN_SECONDS", "7"))).isEqualTo(Duration.ofSeconds(7));
    assertThatThrownBy(() -> SegmentEvaluationHandler.budget(Map.of("SEGMENT_RUN_SECONDS", "0")))
        .hasMessageContaining("SEGMENT_RUN_SECONDS");
  }

  private SegmentNudgeHandler nudgeHandler(Supplier<Database> database) {
    return new SegmentNudgeHandler(database, deadLetters, Clock.systemUTC(), Map.of("SEGMENT_RUN_SECONDS", "5"),
        notificationNudges::add, segmentNudges::add);
  }

  private static Segment germany() {
    return new SegmentService(TestDatabase.database(), Clock.systemUTC()).create(SegmentParser.segment(Map.of(
        "name", "Germany", "kind", "dynamic",
        "definition", Map.of("all", List.of(Map.of("field", "contact.country", "op", "equals", "value", "DE"))))))
        .await();
  }

  private static void inGermany(UUID contactId) {
    TestDatabase.database().pool().preparedQuery("UPDATE contacts SET country = 'DE' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(contactId)).await();
  }

  private static void mark(UUID contactId) {
    TestDatabase.database().inTransaction(conn -> new RescoringMarks().mark(conn, contactId)).await();
  }

  private static SQSEvent nudges(long... slots) {
    JsonObject event = new JsonObject(LambdaEvents.resource("events/sqs-event.json"));
    JsonObject recorded = event.getJsonArray("Records").getJsonObject(0);
    JsonArray records = new JsonArray();
    for (int i = 0; i < slots.length; i++) {
      JsonObject record = recorded.copy()
          .put("messageId", UUID.nameUUIDFromBytes(new byte[] {(byte) i}).toString())
          .put("body", Nudge.body("score-recalculation", slots[i]).encode())
          .put("eventSourceARN", ARN);
      record.getJsonObject("attributes").put("MessageGroupId", Nudge.Target.SEGMENTS.messageGroup())
          .put("MessageDeduplicationId", Long.toString(slots[i])).put("SequenceNumber", "1884949646046769612" + i);
      records.add(record);
    }
    return LambdaEvents.read(SQSEvent.class, event.put("Records", records).encode());
  }
}
