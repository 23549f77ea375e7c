package io.leadcycle.local.scoring;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle through the nudges, as in AWS: with the local timers of score recalculation and threshold
 * notification slowed to once a minute (their first run a minute after the start), submissions are still
 * scored, made sales-ready and delivered as signed webhooks well before either timer fires, because
 * intake nudges score recalculation (ScoringNudgeQueue) and score recalculation nudges threshold
 * notification (NotificationNudgeQueue), through the local server's in-process queues.
 */
class ScoringNudgeHttpTest {

  private static final String TOKEN = "nudge-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Vertx VERTX = Vertx.vertx();
  private static final List<JsonObject> RECEIVED = new CopyOnWriteArrayList<>();
  /** Well under the slowed timers' first run (60 s after the start): only a nudge can have done it. */
  private static final Duration BEFORE_ANY_TIMER = Duration.ofSeconds(25);
  private static LocalServer server;
  private static HttpServer receiver;

  @BeforeAll
  static void start() {
    receiver = VERTX.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      RECEIVED.add(new JsonObject(body.toString(StandardCharsets.UTF_8)));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    TestDatabase.reset();
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url(),
        "LEADCYCLE_SCHEDULE_SECONDS_SCORE_RECALCULATION", "60",
        "LEADCYCLE_SCHEDULE_SECONDS_THRESHOLD_NOTIFICATION", "60"), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close().await();
    VERTX.close().await();
  }

  @Test
  void submissionsAreScoredAndAnnouncedThroughTheNudgesWithoutWaitingForTheSchedule() throws Exception {
    long started = System.nanoTime();
    assertThat(send("POST", "/v1/subscribers", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooks/leadcycle")
        .put("events", List.of("lead.sales_ready")).encode()).statusCode()).isEqualTo(201);
    String model = new JsonObject(send("POST", "/v1/scoring-models", """
        {"name": "Hand-raisers", "target": "contact", "salesReadyThreshold": 10,
         "grades": [{"name": "cold", "min": -100, "max": 9}, {"name": "hot", "min": 10, "max": 100}],
         "rules": [{"id": "demo-request", "kind": "behavioral", "interaction": "form_submitted",
                    "frequency": "at_least_once", "contextId": "demo", "points": 10}]}""").body()).getString("id");
    assertThat(send("POST", "/v1/scoring-models/" + model + "/publish", null).statusCode()).isEqualTo(200);
    send("PUT", "/v1/forms/demo", "{\"name\": \"Book a demo\", \"kind\": \"marketing_page\", \"requireSignature\": false}");

    // A burst: several people within the same second or two, folded into one or two nudges.
    Set<String> people = new TreeSet<>();
    Map<String, Integer> statuses = new ConcurrentHashMap<>();
    List<Thread> submitters = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      String email = "person" + i + "@example.com";
      people.add(email);
      Thread submitter = new Thread(() -> {
        try {
          statuses.put(email, send("POST", "/v1/forms/demo/submissions",
              "{\"fields\": {\"email\": \"" + email + "\"}}").statusCode());
        } catch (Exception e) {
          statuses.put(email, -1);
        }
      });
      submitters.add(submitter);
      submitter.start();
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    assertThat(statuses.values()).containsOnly(201);

    Waiting.until("a sales-ready webhook for each person", BEFORE_ANY_TIMER, () -> RECEIVED.size() >= people.size());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("before the slowed timers' first run")
        .isLessThan(Duration.ofSeconds(55));
    Set<String> announced = new TreeSet<>();
    for (JsonObject webhook : RECEIVED) {
      assertThat(webhook.getString("type")).isEqualTo("lead.sales_ready");
      announced.add(webhook.getJsonObject("data").getJsonObject("lead").getString("id"));
    }
    assertThat(announced).hasSize(people.size());
    assertThat(TestDatabase.count("SELECT count(*) FROM leads WHERE sales_ready AND score = 10")).isEqualTo(people.size());
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts_to_rescore")).isZero();
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
