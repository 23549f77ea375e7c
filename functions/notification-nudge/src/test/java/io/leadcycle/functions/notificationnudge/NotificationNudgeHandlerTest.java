package io.leadcycle.functions.notificationnudge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.postgres.Database;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
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

/** The queue function: an SQS batch of nudges in, one dispatcher run, a partial batch response out. */
class NotificationNudgeHandlerTest {

  private static final Map<String, String> LOCAL = Map.of("NUDGE_RUN_SECONDS", "5", "NOTIFICATION_LOCAL_TARGETS", "true");
  private final List<String> parked = new CopyOnWriteArrayList<>();
  private final DeadLetters deadLetters = (message, reason) -> parked.add(message.getMessageId());

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private static void sql(String sql, Object... parameters) {
    TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
  }

  /** The recorded SQS event, as a batch of two nudges from a FIFO queue ({@code {"reason": "outbox"}} and anything). */
  private static SQSEvent twoNudges() {
    JsonObject event = new JsonObject(LambdaEvents.resource("events/sqs-event.json"));
    JsonObject first = event.getJsonArray("Records").getJsonObject(0)
        .put("body", "{\"reason\": \"outbox\"}")
        .put("eventSourceARN", "arn:aws:sqs:eu-central-1:123456789012:leadcycle-notification-nudge.fifo");
    JsonObject second = first.copy().put("messageId", "5e6a7c1f-2b8d-4c3e-9f0a-1b2c3d4e5f60").put("body", "anything");
    event.put("Records", new JsonArray().add(first).add(second));
    return LambdaEvents.read(SQSEvent.class, event.encode());
  }

  @Test
  void aNudgeDeliversThePendingEventAndAnswersNoFailures() {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer server = TestDatabase.vertx().createHttpServer()
        .requestHandler(request -> {
          received.add(request.getHeader("webhook-id"));
          request.response().setStatusCode(200).end();
        });
    server.listen(0, "127.0.0.1").await();
    try {
      UUID leadId = ScoringFixtures.lead(ScoringFixtures.contact("ada@example.com", null, null), null);
      sql("INSERT INTO subscribers (url, events, secret) VALUES ($1, '{lead.sales_ready}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')",
          "http://127.0.0.1:" + server.actualPort() + "/hook");
      sql("INSERT INTO outbox (type, lead_id, payload) VALUES ('lead.sales_ready', $1, '{}'::jsonb)", leadId);
      NotificationNudgeHandler handler = new NotificationNudgeHandler(TestDatabase::database, deadLetters,
          Clock.systemUTC(), LOCAL);

      InvocationLog.Captured<SQSBatchResponse> batch = InvocationLog.capture(() -> handler.handleRequest(twoNudges(), null));

      assertThat(batch.result().getBatchItemFailures()).isEmpty();
      assertThat(received).hasSize(1); // one run for the batch: the event was sent once
      assertThat(parked).isEmpty();
      assertThat(batch.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("WebhooksDelivered", 1L,
          "WebhooksRetried", 0L, "WebhooksFailed", 0L, "QueueMessagesParked", 0L));

      // A later batch is a new run: nothing is left to send.
      assertThat(handler.handleRequest(twoNudges(), null).getBatchItemFailures()).isEmpty();
      assertThat(received).hasSize(1);
    } finally {
      server.close().await();
    }
  }

  @Test
  void anEventWrittenLaterInTheNudgesSlotIsDeliveredByARunAfterTheSlotEnds() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer server = TestDatabase.vertx().createHttpServer()
        .requestHandler(request -> {
          received.add(request.getHeader("webhook-id"));
          request.response().setStatusCode(200).end();
        });
    server.listen(0, "127.0.0.1").await();
    try {
      UUID leadId = ScoringFixtures.lead(ScoringFixtures.contact("ada@example.com", null, null), null);
      sql("INSERT INTO subscribers (url, events, secret) VALUES ($1, '{lead.sales_ready}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')",
          "http://127.0.0.1:" + server.actualPort() + "/hook");
      // The nudge's slot ends within a second; a writer of the same slot commits its event after the first
      // run, and its nudge is folded into this one: only a run after the slot's end delivers it.
      long slot = Nudge.slot(Instant.now().plusSeconds(1)) - 1;
      JsonObject event = new JsonObject(LambdaEvents.resource("events/sqs-event.json"));
      event.getJsonArray("Records").getJsonObject(0).put("body", Nudge.body("score-recalculation", slot).encode())
          .put("eventSourceARN", "arn:aws:sqs:eu-central-1:123456789012:leadcycle-notification-nudge.fifo");
      Thread lateWriter = new Thread(() -> {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
        sql("INSERT INTO outbox (type, lead_id, payload) VALUES ('lead.sales_ready', $1, '{}'::jsonb)", leadId);
      });
      NotificationNudgeHandler handler = new NotificationNudgeHandler(TestDatabase::database, deadLetters,
          Clock.systemUTC(), LOCAL);
      lateWriter.start();

      InvocationLog.Captured<SQSBatchResponse> batch = InvocationLog.capture(() ->
          handler.handleRequest(LambdaEvents.read(SQSEvent.class, event.encode()), null));
      lateWriter.join();

      assertThat(batch.result().getBatchItemFailures()).isEmpty();
      assertThat(batch.line().getLong("passes")).isEqualTo(2L);
      assertThat(received).hasSize(1);
    } finally {
      server.close().await();
    }
  }

  @Test
  void whenTheRunFailsEveryMessageOfTheBatchFailsAndNoneIsParked() {
    Supplier<Database> down = () -> {
      throw new Unavailable("the database is not reachable");
    };
    NotificationNudgeHandler handler = new NotificationNudgeHandler(down, deadLetters, Clock.systemUTC(), LOCAL);

    SQSBatchResponse response = handler.handleRequest(twoNudges(), null);

    assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("d9144555-9a4f-4ec3-99a0-fc4e625a8db2", "5e6a7c1f-2b8d-4c3e-9f0a-1b2c3d4e5f60");
    assertThat(parked).isEmpty();
  }

  @Test
  void theBudgetIsChecked() {
    assertThat(NotificationNudgeHandler.budget(Map.of())).isEqualTo(Duration.ofSeconds(20));
    assertThat(NotificationNudgeHandler.budget(Map.of("NUDGE_RUN_SECONDS", " 7 "))).isEqualTo(Duration.ofSeconds(7));
    for (String bad : new String[] {"0", "841", "ten"}) {
      assertThatThrownBy(() -> NotificationNudgeHandler.budget(Map.of("NUDGE_RUN_SECONDS", bad)))
          .hasMessageContaining("NUDGE_RUN_SECONDS");
    }
    assertThat(NotificationNudgeHandler.policy(Map.of()).allowsHttp()).isFalse();
  }
}
