package io.leadcycle.functions.thresholdnotification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.notifications.Dispatcher;
import io.leadcycle.notifications.TargetPolicy;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduled function: an EventBridge event in, a run of the dispatcher, its summary out. */
class ThresholdNotificationHandlerTest {

  private final ScheduledEvent event =
      LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private static void sql(String sql, Object... parameters) {
    TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
  }

  @Test
  void aPollingRunDeliversEventsWrittenWhileItWaits() throws Exception {
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
      ThresholdNotificationHandler handler = new ThresholdNotificationHandler(TestDatabase::database, Clock.systemUTC(),
          Map.of("NOTIFICATION_RUN_SECONDS", "4", "NOTIFICATION_KEEP_POLLING", "true", "NOTIFICATION_LOCAL_TARGETS", "true"));
      Thread writer = new Thread(() -> {
        try {
          Thread.sleep(1500);
        } catch (InterruptedException e) {
          return;
        }
        sql("INSERT INTO outbox (type, lead_id, payload) VALUES ('lead.sales_ready', $1, '{}'::jsonb)", leadId);
      });
      writer.start();

      Map<String, Object> summary = handler.handleRequest(event, null);
      writer.join();

      assertThat(summary).containsEntry("outcome", "completed").containsEntry("polled", true)
          .containsEntry("delivered", 1L).containsEntry("eventsFannedOut", 1L);
      assertThat(received).hasSize(1);
    } finally {
      server.close().await();
    }
  }

  @Test
  void eachAttemptsOutcomeIsCountedDeliveredRetriedOrFailed() throws Exception {
    HttpServer server = TestDatabase.vertx().createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(switch (request.path()) {
          case "/ok" -> 200;
          case "/gone" -> 410; // given up at once: the subscriber is disabled
          default -> 500; // tried again later
        }).end());
    server.listen(0, "127.0.0.1").await();
    try {
      UUID leadId = ScoringFixtures.lead(ScoringFixtures.contact("ada@example.com", null, null), null);
      for (String path : List.of("/ok", "/busy", "/gone")) {
        sql("INSERT INTO subscribers (url, events, secret) VALUES ($1, '{lead.sales_ready}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')",
            "http://127.0.0.1:" + server.actualPort() + path);
      }
      sql("INSERT INTO outbox (type, lead_id, payload) VALUES ('lead.sales_ready', $1, '{}'::jsonb)", leadId);
      ThresholdNotificationHandler handler = new ThresholdNotificationHandler(TestDatabase::database, Clock.systemUTC(),
          Map.of("NOTIFICATION_RUN_SECONDS", "10", "NOTIFICATION_LOCAL_TARGETS", "true"));

      InvocationLog.Captured<Map<String, Object>> run = InvocationLog.capture(() -> handler.handleRequest(event, null));

      assertThat(run.result()).containsEntry("attempts", 3).containsEntry("subscribersDisabled", 1);
      assertThat(run.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("WebhooksDelivered", 1L,
          "WebhooksRetried", 1L, "WebhooksFailed", 1L, "ScheduledRunsFailed", 0L));
    } finally {
      server.close().await();
    }
  }

  @Test
  void settingsAreCheckedAndAwsIsTheDefaultPolicy() throws Exception {
    assertThat(ThresholdNotificationHandler.budget(Map.of())).isEqualTo(Duration.ofSeconds(50));
    assertThat(ThresholdNotificationHandler.budget(Map.of("NOTIFICATION_RUN_SECONDS", " 5 "))).isEqualTo(Duration.ofSeconds(5));
    for (String bad : new String[] {"0", "841", "ten", "1.5"}) {
      assertThatThrownBy(() -> ThresholdNotificationHandler.budget(Map.of("NOTIFICATION_RUN_SECONDS", bad)))
          .hasMessageContaining("NOTIFICATION_RUN_SECONDS");
    }
    assertThatThrownBy(() -> ThresholdNotificationHandler.flag(Map.of("NOTIFICATION_KEEP_POLLING", "yes"), "NOTIFICATION_KEEP_POLLING"))
        .hasMessageContaining("NOTIFICATION_KEEP_POLLING");
    assertThat(Dispatcher.Settings.fromEnvironment(Map.of()).concurrency()).isEqualTo(16);
    assertThat(Dispatcher.Settings.fromEnvironment(Map.of("NOTIFICATION_CONCURRENCY", " 48 ")).concurrency()).isEqualTo(48);
    for (String bad : new String[] {"0", "257", "many", "1.5"}) {
      assertThatThrownBy(() -> Dispatcher.Settings.fromEnvironment(Map.of("NOTIFICATION_CONCURRENCY", bad)))
          .hasMessageContaining("NOTIFICATION_CONCURRENCY");
    }
    TargetPolicy aws = ThresholdNotificationHandler.policy(Map.of());
    assertThat(aws.allowsHttp()).isFalse();
    assertThat(aws.allows(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(ThresholdNotificationHandler.policy(Map.of("NOTIFICATION_LOCAL_TARGETS", "true")).allowsHttp()).isTrue();
  }
}
