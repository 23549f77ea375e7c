package io.leadcycle.functions.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.WebhookUrlPolicy;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Subscribers through their life: create (secret once), read, list, change, disable, rotate, delete. */
class SubscribersHandlerTest extends SubscribersHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void creationAnswersTheSecretOnceAndNoViewShowsItAgain() {
    JsonObject subscriber = create(SUBSCRIBER);

    String id = subscriber.getString("id");
    assertThat(UUID.fromString(id)).isNotNull();
    String secret = subscriber.getString("secret");
    assertThat(secret).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);
    assertThat(subscriber.getString("url")).isEqualTo("https://hooks.example.com/leadcycle");
    assertThat(subscriber.getJsonArray("events")).containsExactly("lead.sales_ready", "lead.converted");
    assertThat(subscriber.getString("description")).isEqualTo("CRM sync");
    assertThat(subscriber.getBoolean("disabled")).isFalse();
    assertThat(subscriber.getValue("disabledReason")).isNull();
    assertThat(subscriber.getValue("previousSecretExpiresAt")).isNull();
    assertThat(subscriber.getString("createdAt")).isNotBlank();
    assertThat(subscriber.getString("updatedAt")).isNotBlank();

    JsonObject read = ok(get(id));
    assertThat(read.fieldNames()).containsExactlyInAnyOrder("id", "url", "events", "description", "disabled",
        "disabledReason", "previousSecretExpiresAt", "createdAt", "updatedAt");
    JsonObject withoutSecret = subscriber.copy();
    withoutSecret.remove("secret");
    assertThat(read).isEqualTo(withoutSecret);
    assertThat(ok(list()).getJsonArray("items").getJsonObject(0)).isEqualTo(withoutSecret);
    assertThat(row("SELECT secret FROM subscribers WHERE id = $1", UUID.fromString(id)).getString("secret"))
        .isEqualTo(secret);
    assertThat(create(SUBSCRIBER).getString("secret")).as("every subscriber has its own").isNotEqualTo(secret);
  }

  @Test
  void starSubscribesToEveryTypeAndDescriptionIsOptional() {
    JsonObject subscriber = create("{\"url\": \"https://hooks.example.com/all\", \"events\": [\"*\"]}");

    assertThat(subscriber.getJsonArray("events")).containsExactly("*");
    assertThat(subscriber.getValue("description")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://hooks.example.com/leadcycle",
      "https://169.254.169.254/latest/meta-data/",
      "https://10.0.0.1/hook",
      "https://[::1]/hook",
      "https://localhost/hook",
      "https://user:pass@hooks.example.com/hook",
      "https://hooks.example.com/hook#fragment",
      "hooks.example.com/hook",
      "https://192.168.0.1/hook"})
  void urlsThatAreNotPublicHttpsAreRefusedInAws(String url) {
    JsonObject body = new JsonObject(SUBSCRIBER).put("url", url);

    assertThat(invalidFields(post(body.encode()))).containsExactly("url");
    assertThat(count("SELECT count(*) FROM subscribers")).isZero();
  }

  @Test
  void theLocalServerAlsoAllowsHttpAndLoopback() {
    handler = new SubscribersHandler(TestDatabase::database, WebhookUrlPolicy.DEVELOPMENT);

    assertThat(create(new JsonObject(SUBSCRIBER).put("url", "http://localhost:9000/hook").encode())
        .getString("url")).isEqualTo("http://localhost:9000/hook");
    assertThat(create(new JsonObject(SUBSCRIBER).put("url", "http://127.0.0.1:9000/hook").encode())
        .getString("url")).isEqualTo("http://127.0.0.1:9000/hook");
    assertThat(invalidFields(post(new JsonObject(SUBSCRIBER).put("url", "http://169.254.169.254/").encode())))
        .containsExactly("url");
  }

  @Test
  void eventsMustBeKnownDistinctTypesOrStarAlone() {
    assertThat(invalidFields(post(events(new JsonArray().add("lead.sales_ready").add("lead.exploded")))))
        .containsExactly("events[1]");
    assertThat(invalidFields(post(events(new JsonArray().add("*").add("lead.sales_ready")))))
        .containsExactly("events");
    assertThat(invalidFields(post(events(new JsonArray())))).containsExactly("events");
    assertThat(invalidFields(post(events(new JsonArray().add("lead.converted").add("lead.converted")))))
        .containsExactly("events[1]");
    assertThat(invalidFields(post(events(new JsonArray().add(42))))).containsExactly("events[0]");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 21; i++) {
      tooMany.add("lead.sales_ready");
    }
    assertThat(invalidFields(post(events(tooMany)))).containsExactly("events");
    assertThat(invalidFields(post("{\"url\": \"https://hooks.example.com/\"}"))).containsExactly("events");
    assertThat(invalidFields(post(new JsonObject(SUBSCRIBER).put("events", "lead.sales_ready").encode())))
        .containsExactly("events");
    assertThat(count("SELECT count(*) FROM subscribers")).isZero();
  }

  @Test
  void everyFaultIsNamedAtOnce() {
    JsonObject body = new JsonObject().put("url", "ftp://x").put("events", new JsonArray().add("nope"))
        .put("description", "d".repeat(501)).put("secret", "whsec_mine");

    assertThat(invalidFields(post(body.encode())))
        .containsExactlyInAnyOrder("url", "events[0]", "description", "secret");
    assertThat(invalidFields(post("{\"events\": [\"*\"]}"))).containsExactly("url");
    assertProblem(call(request("POST /v1/subscribers", "/v1/subscribers").rawBody("not json", false)
        .header("content-type", "application/json").build()), 400);
  }

  @Test
  void patchMergesOnlyWhatItNames() {
    JsonObject subscriber = create(SUBSCRIBER);
    String id = subscriber.getString("id");

    JsonObject changed = ok(patch(id, "{\"description\": \"Sales CRM\"}"));
    assertThat(changed.getString("description")).isEqualTo("Sales CRM");
    assertThat(changed.getString("url")).isEqualTo(subscriber.getString("url"));
    assertThat(changed.getJsonArray("events")).isEqualTo(subscriber.getJsonArray("events"));

    changed = ok(patch(id, "{\"url\": \"https://crm.example.org/in\", \"events\": [\"lead.score_changed\"]}"));
    assertThat(changed.getString("url")).isEqualTo("https://crm.example.org/in");
    assertThat(changed.getJsonArray("events")).containsExactly("lead.score_changed");
    assertThat(changed.getString("description")).isEqualTo("Sales CRM");

    changed = ok(patch(id, "{\"description\": null}"));
    assertThat(changed.getValue("description")).isNull();
    assertThat(row("SELECT secret FROM subscribers WHERE id = $1", UUID.fromString(id)).getString("secret"))
        .as("a patch keeps the secret").isEqualTo(subscriber.getString("secret"));
  }

  @Test
  void aBadPatchChangesNothing() {
    String id = create(SUBSCRIBER).getString("id");

    assertThat(assertProblem(patch(id, "{}"), 400).getString("detail")).contains("empty patch");
    assertThat(invalidFields(patch(id, "{\"url\": \"https://10.0.0.1/\", \"description\": \"x\"}")))
        .containsExactly("url");
    assertThat(invalidFields(patch(id, "{\"url\": null}"))).containsExactly("url");
    assertThat(invalidFields(patch(id, "{\"events\": []}"))).containsExactly("events");
    assertThat(invalidFields(patch(id, "{\"disabled\": \"yes\"}"))).containsExactly("disabled");
    assertThat(invalidFields(patch(id, "{\"secret\": \"whsec_x\"}"))).containsExactly("secret");
    assertThat(ok(get(id)).getString("description")).isEqualTo("CRM sync");
  }

  @Test
  void disablingRecordsWhyAndEnablingClearsIt() {
    String id = create(SUBSCRIBER).getString("id");

    JsonObject disabled = ok(patch(id, "{\"disabled\": true}"));
    assertThat(disabled.getBoolean("disabled")).isTrue();
    assertThat(disabled.getString("disabledReason")).isEqualTo("disabled by hand");

    JsonObject enabled = ok(patch(id, "{\"disabled\": false}"));
    assertThat(enabled.getBoolean("disabled")).isFalse();
    assertThat(enabled.getValue("disabledReason")).isNull();

    // Disabled by the delivery side (410 Gone): disabling again by hand keeps that reason.
    query("UPDATE subscribers SET disabled = true, disabled_reason = 'the receiver answered 410 Gone' WHERE id = $1",
        UUID.fromString(id));
    assertThat(ok(patch(id, "{\"disabled\": true, \"description\": \"x\"}")).getString("disabledReason"))
        .isEqualTo("the receiver answered 410 Gone");
    assertThat(ok(patch(id, "{\"disabled\": false}")).getValue("disabledReason")).isNull();
  }

  @Test
  void rotationKeepsTheOldSecretSigningFor24Hours() {
    JsonObject subscriber = create(SUBSCRIBER);
    String id = subscriber.getString("id");
    String first = subscriber.getString("secret");

    JsonObject rotated = ok(rotate(id));

    String second = rotated.getString("secret");
    assertThat(rotated.fieldNames()).containsExactlyInAnyOrder("secret", "previousSecretExpiresAt");
    assertThat(second).startsWith("whsec_").isNotEqualTo(first);
    Instant expires = Instant.parse(rotated.getString("previousSecretExpiresAt"));
    assertThat(expires).isCloseTo(Instant.now().plus(Duration.ofHours(24)), within(1, ChronoUnit.MINUTES));
    Row stored = row("SELECT secret, previous_secret FROM subscribers WHERE id = $1", UUID.fromString(id));
    assertThat(stored.getString("secret")).isEqualTo(second);
    assertThat(stored.getString("previous_secret")).isEqualTo(first);
    assertThat(ok(get(id)).getString("previousSecretExpiresAt")).isEqualTo(rotated.getString("previousSecretExpiresAt"));

    String third = ok(rotate(id)).getString("secret");
    stored = row("SELECT secret, previous_secret FROM subscribers WHERE id = $1", UUID.fromString(id));
    assertThat(stored.getString("secret")).isEqualTo(third);
    assertThat(stored.getString("previous_secret")).as("only the one before signs beside it").isEqualTo(second);

    query("UPDATE subscribers SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1",
        UUID.fromString(id));
    assertThat(ok(get(id)).getValue("previousSecretExpiresAt")).as("an expired one is not shown").isNull();
  }

  @Test
  void deleteRemovesTheSubscriberWithItsDeliveriesAndAttempts() {
    String id = create(SUBSCRIBER).getString("id");
    String other = create(SUBSCRIBER).getString("id");
    UUID event = insertEvent(createLead("Demo"), "lead.sales_ready");
    UUID delivery = insertDelivery(event, id, "failed", "2025-03-01T10:00:00Z", 3);
    insertAttempt(delivery, "2025-03-01T10:00:05Z", 500, null, 120);
    insertDelivery(event, other, "delivered", "2025-03-01T10:00:00Z", 1);

    APIGatewayV2HTTPResponse response = delete(id);

    assertThat(response.getStatusCode()).isEqualTo(204);
    assertThat(response.getBody()).isNull();
    assertThat(count("SELECT count(*) FROM subscribers")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM deliveries")).as("the other subscriber's stays").isEqualTo(1);
    assertThat(count("SELECT count(*) FROM delivery_attempts")).isZero();
    assertThat(count("SELECT count(*) FROM outbox WHERE id = '" + event + "'")).as("the event stays").isEqualTo(1);
    assertProblem(get(id), 404);
    assertProblem(delete(id), 404);
  }

  @Test
  void listPagesInCreationOrder() {
    List<String> ids = List.of(createFor("https://a.example.com/"), createFor("https://b.example.com/"),
        createFor("https://c.example.com/"));

    JsonObject first = ok(list("limit", "2"));
    assertThat(column(first, "id")).containsExactly(ids.get(0), ids.get(1));
    assertThat(first.getString("next")).isNotBlank();
    JsonObject second = ok(list("limit", "2", "after", first.getString("next")));
    assertThat(column(second, "id")).containsExactly(ids.get(2));
    assertThat(second.getValue("next")).isNull();

    assertThat(invalidFields(list("limit", "0"))).containsExactly("limit");
    assertThat(invalidFields(list("after", "garbage"))).containsExactly("after");
  }

  @Test
  void unknownSubscribersAreNotFound() {
    String unknown = UUID.randomUUID().toString();

    assertProblem(get(unknown), 404);
    assertProblem(get("not-a-uuid"), 404);
    assertProblem(patch(unknown, "{\"description\": \"x\"}"), 404);
    assertProblem(delete(unknown), 404);
    assertProblem(rotate(unknown), 404);
    assertProblem(deliveries(unknown), 404);
    assertProblem(redeliver(unknown, UUID.randomUUID().toString()), 404);
  }

  private static String events(JsonArray events) {
    return new JsonObject(SUBSCRIBER).put("events", events).encode();
  }
}
