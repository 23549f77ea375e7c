package io.leadcycle.local.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path through the local server, as a sales team sees it: a landing-page submission, the
 * score it earns, the lead made sales-ready by the model's threshold, and a signed webhook at the
 * sales tool's receiver (a real HTTP server on loopback), within seconds.
 */
class SalesReadyWebhookHttpTest {

  private static final String TOKEN = "webhook-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Vertx VERTX = Vertx.vertx();
  private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  private static LocalServer server;
  private static HttpServer receiver;

  private record Received(Map<String, String> headers, String body) {
  }

  @BeforeAll
  static void start() {
    receiver = VERTX.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      RECEIVED.add(new Received(Map.of(
          "webhook-id", request.getHeader("webhook-id"),
          "webhook-timestamp", request.getHeader("webhook-timestamp"),
          "webhook-signature", request.getHeader("webhook-signature")), body.toString(StandardCharsets.UTF_8)));
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

  @Test
  void aSubmissionThatReachesTheThresholdReachesTheSalesToolSignedWithinSeconds() throws Exception {
    TestDatabase.reset();
    HttpResponse<String> subscribed = send("POST", "/v1/subscribers", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooks/leadcycle")
        .put("events", List.of("lead.sales_ready")).put("description", "CRM").encode());
    assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
    String secret = new JsonObject(subscribed.body()).getString("secret");
    String model = new JsonObject(send("POST", "/v1/scoring-models", """
        {"name": "Hand-raisers", "target": "contact", "salesReadyThreshold": 10,
         "grades": [{"name": "cold", "min": -100, "max": 9}, {"name": "hot", "min": 10, "max": 100}],
         "rules": [{"id": "demo-request", "kind": "behavioral", "interaction": "form_submitted",
                    "frequency": "at_least_once", "contextId": "demo", "points": 10}]}""").body()).getString("id");
    assertThat(send("POST", "/v1/scoring-models/" + model + "/publish", null).statusCode()).isEqualTo(200);
    send("PUT", "/v1/forms/demo", "{\"name\": \"Book a demo\", \"kind\": \"marketing_page\", \"requireSignature\": false}");

    send("POST", "/v1/forms/demo/submissions", "{\"fields\": {\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}}");
    // An unsigned submission's answer names no records: management looks the lead up.
    String leadId = new JsonObject(send("GET", "/v1/contacts?email=ada%40example.com", null).body())
        .getJsonArray("items").getJsonObject(0).getJsonArray("leadIds").getString(0);

    Waiting.until("the sales tool's receiver to get the webhook", () -> !RECEIVED.isEmpty());
    assertThat(RECEIVED).as("the sales tool heard of the lead").hasSize(1);
    Received webhook = RECEIVED.get(0);
    JsonObject body = new JsonObject(webhook.body());
    assertThat(body.getString("type")).isEqualTo("lead.sales_ready");
    assertThat(webhook.headers().get("webhook-id")).isEqualTo(body.getString("id"));
    JsonObject lead = body.getJsonObject("data").getJsonObject("lead");
    assertThat(lead.getString("id")).isEqualTo(leadId);
    assertThat(lead.getBoolean("salesReady")).isTrue();
    assertThat(lead.getString("stage")).isEqualTo("sales_acceptance");
    assertThat(lead.getJsonArray("scores").getJsonObject(0).getInteger("score")).isEqualTo(10);
    assertThat(lead.containsKey("timeline")).isFalse();
    // What happened, as the event was written: the flag, who acted, which model fired.
    JsonObject data = body.getJsonObject("data");
    assertThat(data.getJsonArray("changes")).contains(
        new JsonObject().put("field", "salesReady").put("from", false).put("to", true));
    assertThat(data.getString("actor")).isEqualTo("scoring");
    assertThat(data.getJsonObject("model").getString("id")).isEqualTo(model);
    assertThat(data.getJsonObject("model").getString("name")).isEqualTo("Hand-raisers");
    assertThat(data.getJsonObject("model").getInteger("salesReadyThreshold")).isEqualTo(10);
    // Verified the way a receiver would, with nothing of Leadcycle's code.
    assertThat(webhook.headers().get("webhook-signature").split(" "))
        .contains("v1," + sign(secret, webhook.headers().get("webhook-id"), webhook.headers().get("webhook-timestamp"),
            webhook.body()));
    // Delivered once: later runs find nothing left to send. Two more runs of the scoring (which writes the
    // event), then two more of the dispatcher (which would deliver anything they wrote), one begun after we looked.
    for (String function : List.of("score-recalculation", "threshold-notification")) {
      long runs = server.finishedRuns(function);
      Waiting.until("two more runs of " + function, () -> server.finishedRuns(function) >= runs + 2);
    }
    assertThat(RECEIVED).hasSize(1);
  }

  private static String sign(String secret, String id, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(
        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  private static HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
        .header("Authorization", "Bearer " + TOKEN);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return ContractHttp.send(HTTP, request.method(method, json == null ? BodyPublishers.noBody()
        : BodyPublishers.ofString(json)).build(), json);
  }
}
