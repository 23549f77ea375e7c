package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end over real HTTP: the local server in front of the real handlers and a real PostgreSQL. */
class LocalServerTest {

  private static final String TOKEN = "test-token-123";
  private static LocalServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = LocalServer.start(Map.of(
        "DATABASE_URL", TestDatabase.url()), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
  }

  private static HttpRequest.Builder management(String path) {
    return request(path).header("Authorization", "Bearer " + TOKEN);
  }

  private static String createForm(String id, String kind) throws Exception {
    HttpResponse<String> created = send(management("/v1/forms/" + id)
        .header("Content-Type", "application/json")
        .PUT(BodyPublishers.ofString("{\"name\": \"Spring launch\", \"kind\": \"" + kind + "\"}")));
    assertThat(created.statusCode()).isEqualTo(201);
    return new JsonObject(created.body()).getString("signingSecret");
  }

  private static HttpRequest.Builder signed(String path, String secret, String contentType, String body,
      String webhookId) {
    long now = Instant.now().getEpochSecond();
    return request(path)
        .header("Content-Type", contentType)
        .header("Webhook-Id", webhookId)
        .header("Webhook-Timestamp", Long.toString(now))
        .header("Webhook-Signature", StandardWebhooks.sign(secret, webhookId, now, body.getBytes(StandardCharsets.UTF_8)))
        .POST(BodyPublishers.ofString(body));
  }

  @Test
  void healthReportsTheDatabase() throws Exception {
    HttpResponse<String> health = send(request("/health").GET());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body())).isEqualTo(new JsonObject().put("status", "ok").put("database", "ok"));
  }

  @Test
  void managementRoutesNeedTheBearerToken() throws Exception {
    HttpResponse<String> missing = send(request("/v1/matching-strategies").GET());
    HttpResponse<String> wrong = send(request("/v1/matching-strategies").header("Authorization", "Bearer nope").GET());
    HttpResponse<String> right = send(management("/v1/matching-strategies").GET());

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(missing.headers().firstValue("x-request-id")).isPresent();
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(right.body()).getJsonArray("items")).hasSize(2);
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() throws Exception {
    for (String scheme : List.of("bearer", "BEARER", "bEaReR")) {
      HttpResponse<String> response = send(request("/v1/matching-strategies")
          .header("Authorization", scheme + " " + TOKEN).GET());
      assertThat(response.statusCode()).as(scheme).isEqualTo(200);
    }
    assertThat(send(request("/v1/matching-strategies").header("Authorization", "Basic " + TOKEN).GET()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aMethodThePathDoesNotHaveIs405WithAllow() throws Exception {
    HttpResponse<String> delete = send(management("/v1/forms/spring-launch").DELETE());
    HttpResponse<String> local = send(management("/_local/invoke/lead-management").GET());

    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("allow")).hasValue("GET, PATCH, PUT");
    assertThat(delete.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(delete.body()).getInteger("status")).isEqualTo(405);
    assertThat(local.statusCode()).isEqualTo(405);
    assertThat(local.headers().firstValue("allow")).hasValue("POST");
  }

  @Test
  void overLongRequestLinesAndHeadersAreProblemDetails() throws Exception {
    RawHttp.Response longLine = RawHttp.send(server.port(), RawHttp.request("GET",
        "/v1/forms/" + "x".repeat(LocalServer.MAX_REQUEST_LINE_BYTES), List.of(), null), false);
    RawHttp.Response bigHeaders = RawHttp.send(server.port(), RawHttp.request("GET", "/health",
        List.<String[]>of(new String[] {"X-Big", "x".repeat(LocalServer.MAX_HEADER_BYTES)}), null), false);

    assertThat(longLine.status()).isEqualTo(414);
    assertThat(bigHeaders.status()).isEqualTo(431);
    for (RawHttp.Response response : List.of(longLine, bigHeaders)) {
      assertThat(response.header("content-type")).isEqualTo("application/problem+json");
      assertThat(response.header("x-request-id")).isNotBlank();
      assertThat(new JsonObject(response.text()).getInteger("status")).isEqualTo(response.status());
    }
    assertThat(new JsonObject(longLine.text()).getString("detail"))
        .contains(Integer.toString(LocalServer.MAX_REQUEST_LINE_BYTES));
    assertThat(new JsonObject(bigHeaders.text()).getString("detail")).contains(Integer.toString(LocalServer.MAX_HEADER_BYTES));
  }

  @Test
  void theLocalServerIsADevelopmentHostWhereWebhooksMayGoToHttpLoopbackButNoOtherPrivateRange() throws Exception {
    HttpResponse<String> loopback = send(management("/v1/subscribers").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"url\": \"http://localhost:9999/hook\", \"events\": [\"*\"]}")));
    assertThat(loopback.statusCode()).as(loopback.body()).isEqualTo(201);
    assertThat(new JsonObject(loopback.body()).getString("secret")).startsWith("whsec_");

    HttpResponse<String> metadata = send(management("/v1/subscribers").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"url\": \"http://169.254.169.254/\", \"events\": [\"*\"]}")));
    assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(400);
    assertThat(metadata.body()).contains("\"url\"");
  }

  @Test
  void theLogHasTheSameMetricLinesAsLambdasLog() throws Exception {
    String secret = createForm("spring-launch", "marketing_page");
    String body = "{\"fields\": {\"email\": \"ada@example.com\"}}";

    InvocationLog.Captured<HttpResponse<String>> submitted = InvocationLog.capture(() -> {
      try {
        return send(signed("/v1/forms/spring-launch/submissions", secret, "application/json", body, "msg_metrics"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    assertThat(submitted.result().statusCode()).isEqualTo(201);
    String requestId = submitted.result().headers().firstValue("x-request-id").orElseThrow();
    // The server's timers run other functions meanwhile: this request's line is the one with its id.
    JsonObject line = submitted.invocations().stream().filter(l -> requestId.equals(l.getString("requestId")))
        .findFirst().orElseThrow();
    assertThat(line.getString("FunctionName")).isEqualTo("FormIntakeHandler");
    assertThat(line.getValue("coldStart")).isInstanceOf(Boolean.class);
    assertThat(InvocationLog.metricsOf(line)).containsEntry("SubmissionsAccepted", 1L)
        .containsEntry("ContactsCreated", 1L).containsEntry("LeadsCreated", 1L);
  }

  @Test
  void aSignedSubmissionCreatesAContactAndLeadThatManagementCanSee() throws Exception {
    String secret = createForm("spring-launch", "marketing_page");
    String body = "{\"fields\": {\"email\": \"Grace@Example.com\", \"firstName\": \"Grace\", \"favouriteColour\": \"teal\"}}";

    HttpResponse<String> submitted = send(signed("/v1/forms/spring-launch/submissions", secret, "application/json",
        body, "msg_1"));

    assertThat(submitted.statusCode()).isEqualTo(201);
    JsonObject result = new JsonObject(submitted.body());
    assertThat(result.getJsonObject("contact").getBoolean("created")).isTrue();
    assertThat(result.getBoolean("replayed")).isFalse();
    String contactId = result.getJsonObject("contact").getString("id");

    HttpResponse<String> contact = send(management("/v1/contacts/" + contactId).GET());
    JsonObject view = new JsonObject(contact.body());
    assertThat(view.getString("email")).isEqualTo("Grace@Example.com");
    assertThat(view.getJsonObject("attributes").getString("favouriteColour")).isEqualTo("teal");
    assertThat(view.getJsonArray("leadIds")).containsExactly(result.getJsonObject("lead").getString("id"));

    HttpResponse<String> byEmail = send(management("/v1/contacts?email=grace%40example.com").GET());
    assertThat(new JsonObject(byEmail.body()).getJsonArray("items")).hasSize(1);
  }

  @Test
  void aReplayedDeliveryReturnsTheFirstResultAndWritesNothing() throws Exception {
    String secret = createForm("webinar", "event");
    String body = "email=ada%40example.com&firstName=Ada&submissionId=reg-42";

    HttpResponse<String> first = send(signed("/v1/events/webinar/registrations", secret,
        "application/x-www-form-urlencoded", body, "msg_a"));
    HttpResponse<String> again = send(signed("/v1/events/webinar/registrations", secret,
        "application/x-www-form-urlencoded", body, "msg_b"));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    JsonObject replay = new JsonObject(again.body());
    assertThat(replay.getBoolean("replayed")).isTrue();
    assertThat(replay.getJsonObject("lead")).isEqualTo(new JsonObject(first.body()).getJsonObject("lead"));
    assertThat(TestDatabase.count("SELECT count(*) FROM interactions WHERE type = 'event_registered'")).isEqualTo(1);
  }

  @Test
  void anUnsignedSubmissionIsRejected() throws Exception {
    createForm("spring-launch", "marketing_page");

    HttpResponse<String> response = send(request("/v1/forms/spring-launch/submissions")
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"fields\": {\"email\": \"x@example.com\"}}")));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void formBodiesReachTheFunctionRawSoThatABrokenEscapeIsTheFunctionsOwn400() throws Exception {
    String secret = createForm("spring-launch", "marketing_page");
    send(management("/v1/forms/open-page").header("Content-Type", "application/json")
        .PUT(BodyPublishers.ofString("{\"name\": \"Open\", \"kind\": \"marketing_page\", \"requireSignature\": false}")));
    String broken = "email=a%ZZ@x.com&firstName=Ada";
    // Over Vert.x's own form limits (8 KiB a field): the local server must not parse the form itself.
    String longField = "email=ada%40example.com&notes=" + "n".repeat(9000);

    HttpResponse<String> unsigned = send(request("/v1/forms/open-page/submissions")
        .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(broken)));
    // The signature is over the raw bytes: it verifies only when the function gets them untouched.
    HttpResponse<String> signed = send(signed("/v1/forms/spring-launch/submissions", secret,
        "application/x-www-form-urlencoded", broken, "msg_broken"));
    HttpResponse<String> overVertxLimit = send(signed("/v1/forms/spring-launch/submissions", secret,
        "application/x-www-form-urlencoded", longField, "msg_long"));

    for (HttpResponse<String> response : List.of(unsigned, signed)) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(new JsonObject(response.body()).getString("detail"))
          .isEqualTo("The form-encoded body has a malformed escape sequence.");
    }
    assertThat(overVertxLimit.statusCode()).as(overVertxLimit.body()).isEqualTo(400);
    assertThat(new JsonObject(overVertxLimit.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("fields.notes");
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void unknownRoutesAndHugeBodiesGetProblemDetails() throws Exception {
    HttpResponse<String> unknown = send(request("/v1/nothing-here").GET());
    HttpResponse<String> huge = send(request("/v1/forms/x/submissions")
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"fields\": {\"a\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}")));

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getInteger("status")).isEqualTo(404);
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(huge.headers().firstValue("content-type")).hasValue("application/problem+json");
  }

  /** {@code prefix}, the bytes {@code bad}, then {@code suffix}: text that is not UTF-8. */
  private static byte[] notUtf8(String prefix, int[] bad, String suffix) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
    for (int b : bad) {
      out.write(b);
    }
    out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void aJsonBodyThatIsNotUtf8ReachesTheFunctionAsSentAndIs400NamingTheBadByte() throws Exception {
    // The probe's body: it was stored as "a\ufffd\ufffd@x.com".
    byte[] body = notUtf8("{\"email\":\"a", new int[] {0xff, 0xfe}, "@x.com\"}");
    HttpResponse<String> contact = send(management("/v1/contacts").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofByteArray(body)));
    // Signed over the raw bytes: were they decoded on the way, the signature would fail first (401).
    String secret = createForm("spring-launch", "marketing_page");
    byte[] submission = notUtf8("{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ad", new int[] {0xe9},
        "\"}}");
    long now = Instant.now().getEpochSecond();
    HttpResponse<String> signed = send(request("/v1/forms/spring-launch/submissions")
        .header("Content-Type", "application/json")
        .header("Webhook-Id", "msg_latin1").header("Webhook-Timestamp", Long.toString(now))
        .header("Webhook-Signature", StandardWebhooks.sign(secret, "msg_latin1", now, submission))
        .POST(BodyPublishers.ofByteArray(submission)));

    assertThat(contact.statusCode()).as(contact.body()).isEqualTo(400);
    assertThat(new JsonObject(contact.body()).getInteger("byteOffset")).isEqualTo(11);
    assertThat(new JsonObject(contact.body()).getString("detail")).contains("not valid UTF-8").contains("offset 11");
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(400);
    assertThat(new JsonObject(signed.body()).getInteger("byteOffset")).isEqualTo(submission.length - 4);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void commentsAndLoneSurrogatesInJsonAre400AndChangeNothing() throws Exception {
    HttpResponse<String> comment = send(management("/v1/contacts").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"email\": \"ada@example.com\" /* the CTO */}")));
    HttpResponse<String> surrogate = send(management("/v1/contacts").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\\ud800\"}")));

    assertThat(comment.statusCode()).as(comment.body()).isEqualTo(400);
    assertThat(new JsonObject(comment.body()).getString("detail")).contains("not valid JSON");
    assertThat(surrogate.statusCode()).as(surrogate.body()).isEqualTo(400);
    assertThat(new JsonObject(surrogate.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("firstName");
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void everyAnswerSaysNosniffTheFunctionsAndTheLocalServersOwn() throws Exception {
    List<HttpResponse<String>> answers = List.of(
        send(request("/health").GET()),
        send(management("/v1/contacts").GET()),
        send(request("/v1/contacts").GET()),
        send(request("/v1/nothing-here").GET()),
        send(request("/openapi.json").GET()),
        send(management("/_local/queues/nothing").GET()));

    for (HttpResponse<String> answer : answers) {
      assertThat(answer.headers().firstValue("x-content-type-options")).as(answer.uri() + " " + answer.statusCode())
          .hasValue("nosniff");
    }
  }

  @Test
  void aBodyOverTheLimitIsAnsweredWithTheRoutesOwnLimit() throws Exception {
    String announced = "POST %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Type: %s\r\nContent-Length: 10485761\r\n\r\n";
    RawHttp.Response imports = RawHttp.send(server.port(),
        announced.formatted("/v1/imports", "text/csv").getBytes(StandardCharsets.ISO_8859_1), false);
    RawHttp.Response contacts = RawHttp.send(server.port(),
        announced.formatted("/v1/contacts", "application/json").getBytes(StandardCharsets.ISO_8859_1), false);

    assertThat(imports.status()).isEqualTo(413);
    assertThat(new JsonObject(imports.text()).getString("detail")).contains(" 10485760 bytes");
    assertThat(imports.header("x-content-type-options")).isEqualTo("nosniff");
    assertThat(contacts.status()).isEqualTo(413);
    assertThat(new JsonObject(contacts.text()).getString("detail")).contains(" 262144 bytes");
  }
}
