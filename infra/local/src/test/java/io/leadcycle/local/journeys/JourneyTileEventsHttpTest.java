package io.leadcycle.local.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/journeys/tile-events} on the local server: the journey engine's tile events, handed
 * to the journey-create-lead handler as one SQS batch, answered with the batch item failures; the
 * lead it makes shows in the lead API and reaches a {@code lead.created} subscriber.
 */
class JourneyTileEventsHttpTest {

  private static final String TOKEN = "journey-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Vertx VERTX = Vertx.vertx();
  private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
  private static LocalServer server;
  private static HttpServer receiver;

  @BeforeAll
  static void start() {
    receiver = VERTX.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      RECEIVED.add(body.toString(StandardCharsets.UTF_8));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url()), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close().await();
    VERTX.close().await();
  }

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    RECEIVED.clear();
  }

  private static JsonObject tileEvent(UUID contactId) {
    return new JsonObject().put("journeyId", "onboarding-2026").put("tileId", "tile-7")
        .put("contactId", contactId.toString()).put("createFor", "contact")
        .put("lead", new JsonObject().put("topic", "Webinar follow-up").put("context", new JsonObject().put("wave", 2)))
        .put("occurredAt", "2026-11-27T08:59:30Z");
  }

  @Test
  void goodEventsMakeLeadsAndBadOnesComeBackAsBatchItemFailuresWithTheirReason() throws Exception {
    UUID ada = ScoringFixtures.contact("ada@example.com", "CTO", null);
    HttpResponse<String> subscribed = send("POST", "/v1/subscribers", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooks").put("events", List.of("lead.created")).encode(),
        TOKEN);
    assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);

    HttpResponse<String> answer = send("POST", "/v1/journeys/tile-events", new JsonObject().put("events", new JsonArray()
        .add(tileEvent(ada))
        .add(new JsonObject().put("journeyId", "onboarding-2026"))
        .add(tileEvent(UUID.randomUUID()))
        .add(tileEvent(ada))).encode(), TOKEN);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonObject body = new JsonObject(answer.body());
    JsonArray ids = body.getJsonArray("messageIds");
    assertThat(ids).hasSize(4);
    JsonArray failures = body.getJsonArray("batchItemFailures");
    assertThat(failures).hasSize(2);
    assertThat(failures.getJsonObject(0).getString("itemIdentifier")).isEqualTo(ids.getString(1));
    assertThat(failures.getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(failures.getJsonObject(0).getString("reason")).contains("tileId");
    assertThat(failures.getJsonObject(1).getInteger("index")).isEqualTo(2);
    assertThat(failures.getJsonObject(1).getString("reason")).contains("No contact with id");
    assertThat(TestDatabase.count("SELECT count(*) FROM leads")).isEqualTo(1); // the fourth event was a replay

    JsonObject lead = new JsonObject(send("GET", "/v1/leads?view=all", null, TOKEN).body())
        .getJsonArray("items").getJsonObject(0);
    assertThat(lead.getString("contactId")).isEqualTo(ada.toString());
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    assertThat(lead.getJsonObject("context")).isEqualTo(new JsonObject().put("kind", "journey")
        .put("id", "onboarding-2026").put("name", "Webinar follow-up").put("tileId", "tile-7")
        .put("details", new JsonObject().put("wave", 2)));
    JsonObject detail = new JsonObject(send("GET", "/v1/leads/" + lead.getString("id"), null, TOKEN).body());
    assertThat(detail.getJsonArray("timeline").getJsonObject(0).getString("actor")).isEqualTo("journey");

    long started = System.nanoTime();
    while (RECEIVED.isEmpty() && System.nanoTime() - started < Duration.ofSeconds(20).toNanos()) {
      Thread.sleep(100);
    }
    assertThat(RECEIVED).as("the subscriber heard of the new lead").hasSize(1);
    JsonObject webhook = new JsonObject(RECEIVED.get(0));
    assertThat(webhook.getString("type")).isEqualTo("lead.created");
    assertThat(webhook.getJsonObject("data").getJsonObject("lead").getString("id")).isEqualTo(lead.getString("id"));
  }

  @Test
  void theRouteNeedsTheTokenAndAnEventsList() throws Exception {
    assertThat(send("POST", "/v1/journeys/tile-events", "{\"events\": [{}]}", null).statusCode()).isEqualTo(401);
    for (String bad : List.of("{}", "{\"events\": []}", "{\"events\": {}}", "not json")) {
      HttpResponse<String> refused = send("POST", "/v1/journeys/tile-events", bad, TOKEN);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(refused.body()).contains("events");
    }
    assertThat(send("GET", "/v1/journeys/tile-events", null, TOKEN).statusCode()).isEqualTo(405);
    assertThat(TestDatabase.count("SELECT count(*) FROM leads")).isZero();
  }

  private static HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
        : BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
  }
}
