package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcycle.local.examples.Examples;
import io.leadcycle.local.examples.RecordingBucketFunction;
import io.leadcycle.local.examples.RecordingQueueFunction;
import io.leadcycle.local.examples.TickCounter;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local server hosts functions of every trigger kind as AWS would run them: timers send scheduled
 * events, an in-process queue delivers SQS records with redelivery and a dead-letter list, a directory
 * stands in for a bucket, and any function can be fed an event by hand.
 */
class LocalTriggersTest {

  private static final String TOKEN = "triggers-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dataDirectory;

  private static LocalServer server;

  @BeforeAll
  static void start() {
    var settings = TestDatabase.settings(4);
    server = LocalServer.start(Map.of(
        "DATABASE_URL", TestDatabase.url(),
        "LEADCYCLE_DATA_DIR", dataDirectory.toString(),
        "LEADCYCLE_SCHEDULE_SECONDS_TICK_COUNTER", "1",
        "LEADCYCLE_QUEUE_RETRY_MILLIS", "50",
        "LEADCYCLE_BUCKET_SCAN_MILLIS", "100"), 0, TOKEN, Examples.HOSTED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void forget() {
    Examples.reset();
  }

  @Test
  void aTimerSendsTheScheduledEventEventBridgeWouldSend() {
    Waiting.until("a scheduled event from the tick counter's timer", () -> !TickCounter.EVENTS.isEmpty());

    var event = TickCounter.EVENTS.get(0);
    assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
    assertThat(event.getSource()).isEqualTo("aws.events");
    assertThat(event.getResources()).singleElement().asString().endsWith(":rule/tick-counter");
    assertThat(event.getTime()).isNotNull();
    assertThat(event.getDetail()).isEmpty();
  }

  @Test
  void aTimerCountsItsFinishedRunsForTestsToWaitBy() {
    int events = TickCounter.EVENTS.size();
    long runs = server.finishedRuns("tick-counter");

    Waiting.until("two more runs of the tick counter", () -> server.finishedRuns("tick-counter") >= runs + 2);

    // The second of them started after we counted the events, and sent its own before it finished.
    assertThat(TickCounter.EVENTS).hasSizeGreaterThan(events);
    assertThat(server.finishedRuns("recording-queue")).as("queue delivery rounds").isPositive();
    assertThatThrownBy(() -> server.finishedRuns("echo")).hasMessageContaining("No timer for echo")
        .hasMessageContaining("tick-counter");
  }

  @Test
  void queueMessagesAreRedeliveredWhenUnavailableAndDeadLetteredWhenRefusedOrExhausted() throws Exception {
    HttpResponse<String> sent = post("/_local/queues/recording-queue/messages", new JsonObject().put("messages",
        new JsonArray()
            .add(new JsonObject().put("body", "ok"))
            .add(new JsonObject().put("body", "flaky"))
            .add(new JsonObject().put("body", "poison"))
            .add(new JsonObject().put("body", "down"))));
    assertThat(sent.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(sent.body()).getJsonArray("messageIds")).hasSize(4);

    Waiting.until("two dead letters and nothing waiting or in flight in the queue",
        () -> status().getJsonArray("deadLetters").size() == 2 && status().getInteger("waiting") == 0
            && status().getInteger("inFlight") == 0);

    assertThat(RecordingQueueFunction.PROCESSED).containsExactlyInAnyOrder("ok", "flaky");
    assertThat(RecordingQueueFunction.RECEIVES.get("ok")).containsExactly("1");
    assertThat(RecordingQueueFunction.RECEIVES.get("flaky")).containsExactly("1", "2");
    // A client error is refused at once; an unavailable dependency is retried up to maxReceiveCount (3).
    assertThat(RecordingQueueFunction.RECEIVES.get("poison")).containsExactly("1");
    assertThat(RecordingQueueFunction.RECEIVES.get("down")).containsExactly("1", "2", "3");
    JsonArray dead = status().getJsonArray("deadLetters");
    JsonObject poison = find(dead, "poison");
    assertThat(poison.getString("reason")).contains("not a message this function understands");
    assertThat(poison.getInteger("receiveCount")).isEqualTo(1);
    JsonObject down = find(dead, "down");
    assertThat(down.getInteger("receiveCount")).isEqualTo(3);
    assertThat(down.getString("reason")).contains("maxReceiveCount");
  }

  @Test
  void aFileInTheBucketDirectoryBecomesAnObjectCreatedEvent() throws Exception {
    Path bucket = server.bucketDirectory("recording-bucket");
    Path staged = Files.writeString(dataDirectory.resolve("staged.csv"), "email\nada@example.com\n");
    Files.createDirectories(bucket.resolve("imports"));
    Files.move(staged, bucket.resolve("imports/spring list.csv"), StandardCopyOption.ATOMIC_MOVE);

    Waiting.until("the file announced to the bucket's function", () -> !RecordingBucketFunction.OBJECTS.isEmpty());

    var object = RecordingBucketFunction.OBJECTS.get(0);
    assertThat(object.bucket()).isEqualTo("leadcycle-recording-bucket");
    assertThat(object.key()).isEqualTo("imports/spring list.csv");
    assertThat(object.size()).isEqualTo(22);
    assertThat(object.eventName()).isEqualTo("ObjectCreated:Put");
    // An unchanged file is announced once: three more scans (two begun after the announcement) leave it be.
    long scans = server.finishedRuns("recording-bucket");
    Waiting.until("three more scans of the bucket", () -> server.finishedRuns("recording-bucket") >= scans + 3);
    assertThat(RecordingBucketFunction.OBJECTS).hasSize(1);
  }

  @Test
  void anyFunctionCanBeInvokedByHandWithAnEventFixture() throws Exception {
    HttpResponse<String> scheduled = post("/_local/invoke/tick-counter", new JsonObject(LambdaEvents.resource("events/scheduled-event.json")));
    HttpResponse<String> queued = post("/_local/invoke/recording-queue", new JsonObject(LambdaEvents.resource("events/sqs-event.json")));
    HttpResponse<String> http = post("/_local/invoke/echo", new JsonObject()
        .put("version", "2.0").put("routeKey", "GET /examples/echo/{word}").put("rawPath", "/examples/echo/hello")
        .put("pathParameters", new JsonObject().put("word", "hello"))
        .put("requestContext", new JsonObject().put("requestId", "req-1")
            .put("http", new JsonObject().put("method", "GET").put("path", "/examples/echo/hello"))
            // A management route: the event carries an admin's claims, as the JWT authorizer would pass them.
            .put("authorizer", new JsonObject().put("jwt", new JsonObject().put("claims", new JsonObject()
                .put("sub", "3f1c9a52-8b6e-4d1f-9c3a-7e2b5d4a6f10").put("cognito:groups", "[admin]"))))));

    assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(200);
    assertThat(new JsonObject(scheduled.body()).getString("outcome")).isEqualTo("completed");
    assertThat(TickCounter.EVENTS).anySatisfy(e -> assertThat(e.getId()).isEqualTo("4e6638b7-b892-4482-9762-8c58d4e71ecc"));
    assertThat(queued.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(queued.body()).getJsonArray("batchItemFailures")).isEmpty();
    assertThat(RecordingQueueFunction.PROCESSED).containsExactly("ok");
    assertThat(http.statusCode()).isEqualTo(200);
    JsonObject answer = new JsonObject(http.body());
    assertThat(answer.getInteger("statusCode")).isEqualTo(200);
    assertThat(new JsonObject(answer.getString("body")).getString("word")).isEqualTo("hello");
    assertThat(answer.getJsonObject("headers").getString("x-request-id")).isEqualTo("req-1");
  }

  @Test
  void invokingNeedsTheTokenAKnownFunctionAndAnEventOfItsType() throws Exception {
    HttpResponse<String> anonymous = HTTP.send(request("/_local/invoke/tick-counter")
        .POST(BodyPublishers.ofString("{}")).build(), BodyHandlers.ofString());
    HttpResponse<String> unknown = post("/_local/invoke/nothing", new JsonObject());
    HttpResponse<String> malformed = HTTP.send(request("/_local/invoke/recording-queue")
        .header("Authorization", "Bearer " + TOKEN).POST(BodyPublishers.ofString("{\"Records\": 7}")).build(),
        BodyHandlers.ofString());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(anonymous.body()).getString("detail")).contains("LEADCYCLE_API_TOKEN");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getString("detail")).contains("tick-counter");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.headers().firstValue("content-type")).hasValue("application/problem+json");
  }

  @Test
  void theRouteReferenceIsServedAsJson() throws Exception {
    HttpResponse<String> document = HTTP.send(request("/openapi.json").GET().build(), BodyHandlers.ofString());

    assertThat(document.statusCode()).isEqualTo(200);
    JsonObject openapi = new JsonObject(document.body());
    assertThat(openapi.getString("openapi")).startsWith("3.1");
    assertThat(openapi.getJsonObject("paths").fieldNames()).contains("/v1/leads/{leadId}/process", "/health");
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).timeout(Duration.ofSeconds(30));
  }

  private static HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return HTTP.send(request(path).header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body.encode())).build(), BodyHandlers.ofString());
  }

  private static JsonObject status() {
    try {
      HttpResponse<String> response = HTTP.send(request("/_local/queues/recording-queue")
          .header("Authorization", "Bearer " + TOKEN).GET().build(), BodyHandlers.ofString());
      return new JsonObject(response.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject find(JsonArray deadLetters, String body) {
    for (int i = 0; i < deadLetters.size(); i++) {
      if (deadLetters.getJsonObject(i).getString("body").equals(body)) {
        return deadLetters.getJsonObject(i);
      }
    }
    throw new AssertionError("no dead letter " + body + " in " + deadLetters);
  }
}
