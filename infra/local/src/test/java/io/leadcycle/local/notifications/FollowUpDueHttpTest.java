package io.leadcycle.local.notifications;

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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A telemarketer's callback through the local server, over real HTTP: the call logged with a callback a few
 * seconds ahead, the lead in their {@code due} view once the time comes, and one {@code lead.follow_up_due}
 * webhook at the sales tool's receiver within about a second of it.
 */
class FollowUpDueHttpTest {

  private static final String TOKEN = "follow-up-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Vertx VERTX = Vertx.vertx();
  private static final List<JsonObject> RECEIVED = new CopyOnWriteArrayList<>();
  private static LocalServer server;
  private static HttpServer receiver;

  @BeforeAll
  static void start() {
    receiver = VERTX.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      RECEIVED.add(body.toJsonObject());
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    server = LocalServer.start(java.util.Map.of("DATABASE_URL", TestDatabase.url()), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close().await();
    VERTX.close().await();
  }

  @Test
  void aCallbackComesDueInTheCallersDueViewAndAsOneWebhook() throws Exception {
    TestDatabase.reset();
    assertThat(send(TOKEN, "POST", "/v1/subscribers", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooks/reminders")
        .put("events", List.of("lead.follow_up_due")).encode()).statusCode()).isEqualTo(201);
    JsonObject tom = new JsonObject(send(TOKEN, "POST", "/v1/users",
        "{\"name\": \"Tom Caller\", \"roles\": [\"telemarketing\"]}").body());
    String tomsToken = tom.getString("token");
    String leadId = new JsonObject(send(TOKEN, "POST", "/v1/leads",
        "{\"topic\": \"Pricing\", \"context\": {\"kind\": \"manual\"}}").body()).getString("id");

    Instant callBack = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> logged = send(tomsToken, "POST", "/v1/leads/" + leadId + "/activities",
        "{\"kind\": \"call\", \"outcome\": \"call_back\", \"followUpAt\": \"" + callBack + "\"}");
    assertThat(logged.statusCode()).as(logged.body()).isEqualTo(201);
    assertThat(dueFor(tomsToken)).isEmpty();

    Waiting.until("the reminder at the sales tool's receiver", () -> !RECEIVED.isEmpty());
    Instant heard = Instant.now();
    assertThat(heard).isAfterOrEqualTo(callBack);
    JsonObject body = RECEIVED.get(0);
    assertThat(body.getString("type")).isEqualTo("lead.follow_up_due");
    assertThat(body.getJsonObject("data").getJsonObject("followUp").getJsonObject("user").getString("name"))
        .isEqualTo("Tom Caller");
    assertThat(dueFor(tomsToken)).containsExactly(leadId);

    // Announced once: two more runs of threshold notification, begun after the webhook, send nothing more.
    long runs = server.finishedRuns("threshold-notification");
    Waiting.until("two more runs of threshold-notification", () -> server.finishedRuns("threshold-notification") >= runs + 2);
    assertThat(RECEIVED).hasSize(1);

    // Tom calls back and reaches them: the follow-up is done and leaves his due view.
    assertThat(send(tomsToken, "POST", "/v1/leads/" + leadId + "/activities",
        "{\"kind\": \"call\", \"outcome\": \"reached\"}").statusCode()).isEqualTo(201);
    assertThat(dueFor(tomsToken)).isEmpty();
  }

  private static List<String> dueFor(String token) throws Exception {
    JsonArray items = new JsonObject(send(token, "GET", "/v1/leads?view=due", null).body()).getJsonArray("items");
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
        .header("Authorization", "Bearer " + token);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return ContractHttp.send(HTTP, request.method(method, json == null ? BodyPublishers.noBody()
        : BodyPublishers.ofString(json)).build(), json);
  }
}
