package io.leadcycle.functions.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A subscriber's delivery log (newest first, with every attempt) and redelivery by hand. */
class DeliveryLogHandlerTest extends SubscribersHarness {

  private String subscriber;
  private String other;
  private UUID lead;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    subscriber = createFor("https://hooks.example.com/a");
    other = createFor("https://hooks.example.com/b");
    lead = createLead("Demo request");
  }

  @Test
  void deliveriesAreListedNewestFirstWithTheirAttempts() {
    UUID readyEvent = insertEvent(lead, "lead.sales_ready");
    UUID stageEvent = insertEvent(lead, "lead.stage_changed");
    UUID failed = insertDelivery(readyEvent, subscriber, "failed", "2025-03-01T10:00:00Z", 2);
    insertAttempt(failed, "2025-03-01T10:00:01Z", null, "connection refused", 3);
    insertAttempt(failed, "2025-03-01T10:00:07Z", 503, null, 250);
    UUID delivered = insertDelivery(stageEvent, subscriber, "delivered", "2025-03-01T11:00:00Z", 1);
    insertAttempt(delivered, "2025-03-01T11:00:01Z", 204, null, 40);
    UUID pending = insertDelivery(insertEvent(lead, "lead.converted"), subscriber, "pending", "2025-03-01T12:00:00Z", 0);
    insertDelivery(readyEvent, other, "delivered", "2025-03-01T13:00:00Z", 1);

    JsonObject page = ok(deliveries(subscriber));

    assertThat(column(page, "id")).containsExactly(pending.toString(), delivered.toString(), failed.toString());
    assertThat(page.getValue("next")).isNull();
    JsonObject oldest = page.getJsonArray("items").getJsonObject(2);
    assertThat(oldest.fieldNames()).containsExactlyInAnyOrder("id", "eventId", "type", "status", "attempts",
        "nextAttemptAt", "deliveredAt", "createdAt");
    assertThat(oldest.getString("eventId")).isEqualTo(readyEvent.toString());
    assertThat(oldest.getString("type")).isEqualTo("lead.sales_ready");
    assertThat(oldest.getString("status")).isEqualTo("failed");
    assertThat(oldest.getValue("nextAttemptAt")).as("only while pending").isNull();
    assertThat(oldest.getValue("deliveredAt")).isNull();
    assertThat(oldest.getString("createdAt")).isEqualTo("2025-03-01T10:00:00Z");
    assertThat(oldest.getJsonArray("attempts")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("at", "2025-03-01T10:00:01Z").putNull("httpStatus").put("error", "connection refused")
            .put("durationMs", 3))
        .add(new JsonObject().put("at", "2025-03-01T10:00:07Z").put("httpStatus", 503).putNull("error")
            .put("durationMs", 250)));
    JsonObject middle = page.getJsonArray("items").getJsonObject(1);
    assertThat(middle.getString("deliveredAt")).isEqualTo("2025-03-01T11:01:00Z");
    assertThat(middle.getJsonArray("attempts")).hasSize(1);
    JsonObject newest = page.getJsonArray("items").getJsonObject(0);
    assertThat(newest.getString("nextAttemptAt")).isEqualTo("2025-03-01T13:00:00Z");
    assertThat(newest.getJsonArray("attempts")).isEmpty();

    assertThat(column(ok(deliveries(subscriber, "status", "failed")), "id")).containsExactly(failed.toString());
    assertThat(column(ok(deliveries(subscriber, "status", "pending")), "id")).containsExactly(pending.toString());
    assertThat(column(ok(deliveries(other)), "id")).hasSize(1);
    assertThat(invalidFields(deliveries(subscriber, "status", "lost"))).containsExactly("status");
  }

  @Test
  void deliveriesPageBackwardsInTime() {
    UUID event = insertEvent(lead, "lead.sales_ready");
    UUID[] ids = new UUID[5];
    for (int i = 0; i < 5; i++) {
      UUID e = i == 0 ? event : insertEvent(lead, "lead.stage_changed");
      // two share a creation time: the id decides between them
      ids[i] = insertDelivery(e, subscriber, "delivered", i < 2 ? "2025-03-01T10:00:00Z" : "2025-03-0" + (i + 1)
          + "T10:00:00Z", 1);
    }

    JsonArray seen = new JsonArray();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = after == null ? ok(deliveries(subscriber, "limit", "2"))
          : ok(deliveries(subscriber, "limit", "2", "after", after));
      column(page, "id").forEach(seen::add);
      after = page.getString("next");
      pages++;
    } while (after != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    assertThat(seen.getList().subList(0, 3)).containsExactly(ids[4].toString(), ids[3].toString(), ids[2].toString());
    assertThat(seen.getList().subList(3, 5)).containsExactlyInAnyOrder(ids[0].toString(), ids[1].toString());
  }

  @Test
  void aFailedDeliveryIsRedeliveredWithItsHistoryKept() {
    UUID delivery = insertDelivery(insertEvent(lead, "lead.sales_ready"), subscriber, "failed", "2025-03-01T10:00:00Z", 8);
    insertAttempt(delivery, "2025-03-01T10:00:01Z", 500, null, 30);
    insertAttempt(delivery, "2025-03-02T10:00:01Z", 500, null, 30);

    JsonObject accepted = body(redeliver(subscriber, delivery.toString()));

    assertThat(accepted).isEqualTo(new JsonObject().put("id", delivery.toString()).put("status", "pending"));
    Row row = row("SELECT status, attempts, next_attempt_at, delivered_at FROM deliveries WHERE id = $1", delivery);
    assertThat(row.getString("status")).isEqualTo("pending");
    assertThat(row.getInteger("attempts")).as("a fresh retry schedule").isZero();
    assertThat(row.getOffsetDateTime("next_attempt_at").toInstant()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
    assertThat(count("SELECT count(*) FROM delivery_attempts")).isEqualTo(2);
    JsonObject listed = ok(deliveries(subscriber)).getJsonArray("items").getJsonObject(0);
    assertThat(listed.getString("status")).isEqualTo("pending");
    assertThat(listed.getJsonArray("attempts")).hasSize(2);

    assertProblem(redeliver(subscriber, delivery.toString()), 409);
  }

  @Test
  void aDeliveredOneMayBeSentAgainAPendingOneNot() {
    UUID event = insertEvent(lead, "lead.sales_ready");
    UUID delivered = insertDelivery(event, subscriber, "delivered", "2025-03-01T10:00:00Z", 1);
    UUID pending = insertDelivery(event, other, "pending", "2025-03-01T10:00:00Z", 0);

    assertThat(redeliver(subscriber, delivered.toString()).getStatusCode()).isEqualTo(202);
    assertThat(row("SELECT delivered_at FROM deliveries WHERE id = $1", delivered).getValue("delivered_at")).isNull();
    assertThat(assertProblem(redeliver(other, pending.toString()), 409).getString("detail")).contains("pending");
  }

  @Test
  void onlyTheSubscribersOwnDeliveriesAreRedelivered() {
    UUID delivery = insertDelivery(insertEvent(lead, "lead.sales_ready"), subscriber, "failed", "2025-03-01T10:00:00Z", 8);

    assertProblem(redeliver(other, delivery.toString()), 404);
    assertProblem(redeliver(subscriber, UUID.randomUUID().toString()), 404);
    assertProblem(redeliver(subscriber, "not-a-uuid"), 404);
    assertThat(row("SELECT status FROM deliveries WHERE id = $1", delivery).getString("status")).isEqualTo("failed");
  }

  @Test
  void aDisabledSubscriberIsEnabledBeforeRedelivery() {
    UUID delivery = insertDelivery(insertEvent(lead, "lead.sales_ready"), subscriber, "failed", "2025-03-01T10:00:00Z", 8);
    ok(patch(subscriber, "{\"disabled\": true}"));

    assertThat(assertProblem(redeliver(subscriber, delivery.toString()), 409).getString("detail")).contains("disabled");

    ok(patch(subscriber, "{\"disabled\": false}"));
    assertThat(redeliver(subscriber, delivery.toString()).getStatusCode()).isEqualTo(202);
  }
}
