package io.leadcycle.local.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
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
 * A journey engine's view through the local server and real HTTP on loopback: a segment is created, its members
 * arrive at the engine's receiver as signed {@code contact.segment_joined} webhooks, a replaced definition sends
 * {@code contact.segment_left} for the contact that no longer fits, the contact shows its segments, and a contact
 * whose facts change joins within seconds (the segment-evaluation function, nudged, evaluates only him).
 */
class SegmentWebhookHttpTest {

  private static final String TOKEN = "segment-test-token";
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
    TestDatabase.reset();
  }

  @Test
  void joinsAndLeavesReachTheJourneyEngineSigned() throws Exception {
    TestDatabase.reset();
    String secret = new JsonObject(send("POST", "/v1/subscribers", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/journeys")
        .put("events", List.of("contact.segment_joined", "contact.segment_left")).encode()).body()).getString("secret");
    String account = new JsonObject(send("POST", "/v1/accounts",
        "{\"name\": \"Acme\", \"employeeCount\": 5000, \"country\": \"DE\"}").body()).getString("id");
    String ada = new JsonObject(send("POST", "/v1/contacts", "{\"email\": \"ada@acme.example\", \"firstName\": \"Ada\", "
        + "\"jobTitle\": \"CTO\", \"accountId\": \"" + account + "\"}").body()).getString("id");
    String bob = new JsonObject(send("POST", "/v1/contacts", "{\"email\": \"bob@acme.example\", \"firstName\": \"Bob\", "
        + "\"jobTitle\": \"Head of Sales\", \"accountId\": \"" + account + "\"}").body()).getString("id");

    HttpResponse<String> created = send("POST", "/v1/segments", """
        {"name": "People at large companies", "kind": "dynamic", "definition": {"all": [
          {"field": "account.employeeCount", "op": "gte", "value": 1000}]}}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String segment = new JsonObject(created.body()).getString("id");
    Waiting.until("both joins at the journey engine", () -> RECEIVED.size() >= 2);
    assertThat(RECEIVED).hasSize(2);
    for (Received webhook : RECEIVED) {
      JsonObject body = new JsonObject(webhook.body());
      assertThat(body.getString("type")).isEqualTo("contact.segment_joined");
      assertThat(body.getJsonObject("data").getJsonObject("segment").getString("id")).isEqualTo(segment);
      assertThat(webhook.headers().get("webhook-signature").split(" "))
          .contains("v1," + sign(secret, webhook.headers().get("webhook-id"), webhook.headers().get("webhook-timestamp"),
              webhook.body()));
    }
    assertThat(RECEIVED.stream().map(r -> new JsonObject(r.body()).getJsonObject("data").getJsonObject("contact")
        .getString("id"))).containsExactlyInAnyOrder(ada, bob);

    // Only the CTOs now: Bob leaves.
    HttpResponse<String> replaced = send("PUT", "/v1/segments/" + segment, """
        {"name": "CTOs at large companies", "kind": "dynamic", "definition": {"all": [
          {"field": "account.employeeCount", "op": "gte", "value": 1000},
          {"field": "contact.jobTitle", "op": "contains", "value": "cto"}]}}""");
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    Waiting.until("the leave at the journey engine", () -> RECEIVED.size() >= 3);
    JsonObject left = new JsonObject(RECEIVED.get(2).body());
    assertThat(left.getString("type")).isEqualTo("contact.segment_left");
    assertThat(left.getJsonObject("data").getJsonObject("contact").getString("id")).isEqualTo(bob);
    assertThat(left.getJsonObject("data").getJsonObject("segment").getString("name")).isEqualTo("CTOs at large companies");

    assertThat(new JsonObject(send("GET", "/v1/contacts/" + ada, null).body()).getJsonArray("segments"))
        .isEqualTo(new JsonArray().add(new JsonObject().put("id", segment).put("name", "CTOs at large companies")));
    assertThat(new JsonObject(send("GET", "/v1/contacts/" + bob, null).body()).getJsonArray("segments")).isEmpty();
    JsonObject members = new JsonObject(send("GET", "/v1/segments/" + segment + "/members", null).body());
    assertThat(members.getJsonArray("items")).hasSize(1);
    assertThat(members.getJsonArray("items").getJsonObject(0).getString("contactId")).isEqualTo(ada);

    // Bob is promoted: the edit marks him, score recalculation (nudged by the edit) nudges segment evaluation,
    // which evaluates him alone; the join reaches the journey engine within seconds.
    long written = System.nanoTime();
    HttpResponse<String> promoted = send("PATCH", "/v1/contacts/" + bob, "{\"jobTitle\": \"CTO\"}");
    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
    Waiting.until("Bob's join at the journey engine", () -> RECEIVED.size() >= 4);
    long millis = (System.nanoTime() - written) / 1_000_000;
    JsonObject joined = new JsonObject(RECEIVED.get(3).body());
    assertThat(joined.getString("type")).isEqualTo("contact.segment_joined");
    assertThat(joined.getJsonObject("data").getJsonObject("contact").getString("id")).isEqualTo(bob);
    assertThat(millis).as("from the write to the webhook").isLessThan(5_000);
    JsonObject evaluated = new JsonObject(send("GET", "/v1/segments/" + segment, null).body());
    assertThat(evaluated.getLong("memberCount")).isEqualTo(2);
    Thread.sleep(1500); // a few more scheduled runs: nothing is announced twice
    assertThat(RECEIVED).hasSize(4);
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
