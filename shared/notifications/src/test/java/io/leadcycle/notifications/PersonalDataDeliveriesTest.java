package io.leadcycle.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.notifications.Receiver.Reply;
import io.leadcycle.privacy.PrivacyService;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A person's export lists every delivery of their leads' events to subscribers as the dispatcher left it, after real
 * deliveries to a receiver on loopback: a first attempt refused with 500, the retry accepted.
 */
class PersonalDataDeliveriesTest {

  private static UUID id(String sql, Object... parameters) {
    return TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await().iterator().next()
        .getUUID(0);
  }

  @Test
  void theExportShowsEachDeliveryOfTheirLeadsEventsWithItsAttempts() {
    TestDatabase.reset();
    UUID ada = ScoringFixtures.contact("ada@example.com", "CTO", null);
    UUID adasLead = ScoringFixtures.lead(ada, null);
    UUID bobsLead = ScoringFixtures.lead(ScoringFixtures.contact("bob@example.org", "CEO", null), null);
    Vertx vertx = Vertx.vertx();
    try (Receiver receiver = Receiver.start(vertx, (path, n) -> Reply.of(n == 1 ? 500 : 204));
        Dispatcher dispatcher = new Dispatcher(TestDatabase.database(), Clock.systemUTC(), TargetPolicy.localServer())) {
      UUID subscriber = id("INSERT INTO subscribers (url, events, secret) VALUES ($1, $2, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')"
          + " RETURNING id", receiver.url("/crm"), new String[] {"*"});
      UUID event = id("INSERT INTO outbox (type, lead_id, payload) VALUES ('lead.sales_ready', $1,"
          + " '{\"lead\": {\"contactId\": \"x\"}}'::jsonb) RETURNING id", adasLead);

      dispatcher.run(Duration.ofSeconds(10)); // Ada's event: the receiver's first answer, 500
      id("INSERT INTO outbox (type, lead_id, payload) VALUES ('lead.sales_ready', $1, '{}'::jsonb) RETURNING id",
          bobsLead);
      TestDatabase.database().pool().query("UPDATE deliveries SET next_attempt_at = now() WHERE status = 'pending'")
          .execute().await();
      dispatcher.run(Duration.ofSeconds(10));

      JsonObject document = new PrivacyService(TestDatabase.database()).export(ada).await();
      JsonArray events = document.getJsonArray("events");
      assertThat(events).hasSize(1);
      assertThat(events.getJsonObject(0).getString("id")).isEqualTo(event.toString());
      assertThat(events.getJsonObject(0).getString("type")).isEqualTo("lead.sales_ready");
      JsonArray deliveries = events.getJsonObject(0).getJsonArray("deliveries");
      assertThat(deliveries).hasSize(1);
      JsonObject delivery = deliveries.getJsonObject(0);
      assertThat(delivery.getString("subscriberId")).isEqualTo(subscriber.toString());
      assertThat(delivery.getString("subscriberUrl")).isEqualTo(receiver.url("/crm"));
      assertThat(delivery.getString("status")).isEqualTo("delivered");
      assertThat(delivery.getInteger("attempts")).isEqualTo(2);
      assertThat(delivery.getInteger("lastHttpStatus")).isEqualTo(204);
      assertThat(delivery.getString("deliveredAt")).isNotNull();
      assertThat(receiver.requests("/crm")).hasSize(3); // Ada's event twice, Bob's once
    } finally {
      vertx.close().await();
    }
  }
}
