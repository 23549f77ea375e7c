package io.leadcycle.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadcycle.notifications.Receiver.Reply;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery against real HTTP receivers on loopback (the local server's policy, unless a test says AWS). */
class DispatcherTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString("an older secret key!".getBytes());
  private static Vertx receivers;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private UUID leadId;

  @BeforeAll
  static void receiverVertx() {
    receivers = Vertx.vertx();
  }

  @AfterAll
  static void closeReceivers() {
    receivers.close().await();
  }

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    leadId = ScoringFixtures.lead(ScoringFixtures.contact("ada@example.com", "CTO", null), null);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  private Dispatcher dispatcher(TargetPolicy policy) {
    return closing(new Dispatcher(TestDatabase.database(), Clock.systemUTC(), policy));
  }

  private Dispatcher local() {
    return dispatcher(TargetPolicy.localServer());
  }

  private Receiver receiver(java.util.function.BiFunction<String, Integer, Reply> answers) {
    return closing(Receiver.start(receivers, answers));
  }

  private static Row row(String sql, Object... parameters) {
    var rows = TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private UUID event(String type) {
    return row("INSERT INTO outbox (type, lead_id, payload) VALUES ($1, $2, '{}'::jsonb) RETURNING id", type, leadId)
        .getUUID(0);
  }

  private static UUID subscriber(String url, String... events) {
    return row("INSERT INTO subscribers (url, events, secret) VALUES ($1, $2, $3) RETURNING id", url, events, SECRET)
        .getUUID(0);
  }

  private static void dueNow() {
    row("UPDATE deliveries SET next_attempt_at = now() - interval '1 second' WHERE status = 'pending'");
  }

  /** An independent implementation of the Standard Webhooks scheme: HMAC-SHA256 over "id.timestamp.body". */
  static String expectedSignature(String secret, String id, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    return "v1," + Base64.getEncoder().encodeToString(sig);
  }

  @Test
  void theIndependentVerifierAgreesWithTheSpecsKnownAnswer() throws Exception {
    assertThat(expectedSignature(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "{\"test\": 2432232314}"))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void anEventReachesTheSubscribersOfItsTypeSignedWithTheLeadAsItIsNow() throws Exception {
    Receiver receiver = receiver((path, n) -> Reply.of(204));
    subscriber(receiver.url("/ready"), "lead.sales_ready");
    subscriber(receiver.url("/all"), "*");
    subscriber(receiver.url("/stages"), "lead.stage_changed");
    UUID eventId = event("lead.sales_ready");

    Dispatcher.RunSummary summary = local().run(Duration.ofSeconds(10));

    assertThat(summary.eventsFannedOut()).isEqualTo(1);
    assertThat(summary.deliveriesCreated()).isEqualTo(2);
    assertThat(summary.delivered()).isEqualTo(2);
    assertThat(receiver.requests("/stages")).isEmpty();
    for (String path : List.of("/ready", "/all")) {
      Receiver.Request request = receiver.requests(path).get(0);
      assertThat(request.header("content-type")).isEqualTo("application/json");
      assertThat(request.header("webhook-id")).isEqualTo(eventId.toString());
      assertThat(Long.parseLong(request.header("webhook-timestamp"))).isCloseTo(Instant.now().getEpochSecond(), within(10L));
      assertThat(request.header("webhook-signature")).isEqualTo(
          expectedSignature(SECRET, request.header("webhook-id"), request.header("webhook-timestamp"), request.body()));
      JsonObject body = new JsonObject(request.body());
      assertThat(body.getString("id")).isEqualTo(eventId.toString());
      assertThat(body.getString("type")).isEqualTo("lead.sales_ready");
      assertThat(Instant.parse(body.getString("occurredAt"))).isCloseTo(Instant.now(), within(30, java.time.temporal.ChronoUnit.SECONDS));
      JsonObject lead = body.getJsonObject("data").getJsonObject("lead");
      assertThat(lead.getString("id")).isEqualTo(leadId.toString());
      assertThat(lead.getJsonArray("scores")).isNotNull();
      assertThat(lead.containsKey("timeline")).isFalse();
    }
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'delivered' AND delivered_at IS NOT NULL"))
        .isEqualTo(2);
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts WHERE http_status = 204")).isEqualTo(2);
    assertThat(TestDatabase.count("SELECT count(*) FROM outbox WHERE fanned_out_at IS NULL")).isZero();
  }

  @Test
  void serverErrorsAreRetriedWithBackoffUntilSuccessWithTheSameWebhookId() {
    Receiver receiver = receiver((path, n) -> Reply.of(n <= 2 ? 500 : 200));
    subscriber(receiver.url("/flaky"), "*");
    UUID eventId = event("lead.sales_ready");
    Dispatcher dispatcher = local();

    Instant before = Instant.now();
    dispatcher.run(Duration.ofSeconds(10));
    Row first = row("SELECT status, attempts, next_attempt_at, last_status FROM deliveries");
    assertThat(first.getString("status")).isEqualTo("pending");
    assertThat(first.getInteger("attempts")).isEqualTo(1);
    assertThat(first.getInteger("last_status")).isEqualTo(500);
    Instant next = first.getOffsetDateTime("next_attempt_at").toInstant();
    assertThat(next).isBetween(before.plusMillis(4_000), Instant.now().plusMillis(6_000));

    dispatcher.run(Duration.ofSeconds(10)); // not due yet: nothing sent
    assertThat(receiver.requests()).hasSize(1);
    dueNow();
    dispatcher.run(Duration.ofSeconds(10));
    Instant secondNext = row("SELECT next_attempt_at FROM deliveries").getOffsetDateTime(0).toInstant();
    assertThat(secondNext).isBetween(Instant.now().plusSeconds(4 * 60 - 5), Instant.now().plusSeconds(6 * 60));
    dueNow();
    dispatcher.run(Duration.ofSeconds(10));

    assertThat(receiver.requests()).hasSize(3).allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo(eventId.toString()));
    assertThat(row("SELECT status, attempts FROM deliveries").getString(0)).isEqualTo("delivered");
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts WHERE http_status = 500")).isEqualTo(2);
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts WHERE http_status = 200")).isEqualTo(1);
  }

  @Test
  void goneDisablesTheSubscriberAndItsOtherDeliveriesAreNotSent() {
    Receiver receiver = receiver((path, n) -> Reply.of(path.equals("/gone") ? 410 : 200));
    UUID gone = subscriber(receiver.url("/gone"), "*");
    event("lead.sales_ready");
    Dispatcher dispatcher = local();
    dispatcher.run(Duration.ofSeconds(10));

    Row subscriber = row("SELECT disabled, disabled_reason FROM subscribers WHERE id = $1", gone);
    assertThat(subscriber.getBoolean(0)).isTrue();
    assertThat(subscriber.getString(1)).startsWith("410 Gone from " + receiver.url("/gone"));
    assertThat(row("SELECT status FROM deliveries").getString(0)).isEqualTo("failed");

    event("lead.stage_changed");
    // A delivery created before the subscriber was disabled is not sent either.
    row("INSERT INTO deliveries (outbox_id, subscriber_id) SELECT id, $1 FROM outbox WHERE type = 'lead.stage_changed'", gone);
    dispatcher.run(Duration.ofSeconds(10));
    assertThat(receiver.requests()).hasSize(1);
  }

  @Test
  void retryAfterIsHonouredInSecondsOrAsADateAndCappedAtADay() {
    String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
    Receiver receiver = receiver((path, n) -> switch (path) {
      case "/seconds" -> new Reply(429, Map.of("Retry-After", "120"), 0);
      case "/date" -> new Reply(503, Map.of("Retry-After", inAnHour), 0);
      default -> new Reply(503, Map.of("Retry-After", "999999"), 0);
    });
    UUID seconds = subscriber(receiver.url("/seconds"), "*");
    UUID date = subscriber(receiver.url("/date"), "*");
    UUID forever = subscriber(receiver.url("/forever"), "*");
    event("lead.sales_ready");

    local().run(Duration.ofSeconds(10));

    Instant now = Instant.now();
    assertThat(next(seconds)).isBetween(now.plusSeconds(110), now.plusSeconds(121));
    assertThat(next(date)).isBetween(now.plusSeconds(3590), now.plusSeconds(3601));
    assertThat(next(forever)).isBetween(now.plus(Duration.ofHours(24)).minusSeconds(10), now.plus(Duration.ofHours(24)));
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 1")).isEqualTo(3);
  }

  private static Instant next(UUID subscriberId) {
    return row("SELECT next_attempt_at FROM deliveries WHERE subscriber_id = $1", subscriberId).getOffsetDateTime(0).toInstant();
  }

  @Test
  void aReceiverThatIsDownThenUpGetsEveryEvent() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    subscriber("http://127.0.0.1:" + port + "/hook", "*");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ids.add(event("lead.stage_changed").toString());
    }
    Dispatcher dispatcher = local();
    dispatcher.run(Duration.ofSeconds(10));
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts WHERE http_status IS NULL AND error LIKE 'connection failed%'"))
        .isEqualTo(5);

    Receiver receiver = closing(Receiver.start(receivers, port, (path, n) -> Reply.of(200)));
    dueNow();
    dispatcher.run(Duration.ofSeconds(10));

    assertThat(receiver.requests().stream().map(r -> r.header("webhook-id")).toList()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'")).isEqualTo(5);
  }

  @Test
  void twoDispatchersRacingDeliverEachEventToEachSubscriberOnce() throws Exception {
    Receiver receiver = receiver((path, n) -> new Reply(200, Map.of(), 5));
    for (String path : List.of("/a", "/b", "/c")) {
      subscriber(receiver.url(path), "*");
    }
    for (int i = 0; i < 60; i++) {
      event(i % 2 == 0 ? "lead.sales_ready" : "lead.stage_changed");
    }
    Dispatcher one = local();
    Dispatcher two = local();
    Thread other = new Thread(() -> two.run(Duration.ofSeconds(20)));
    other.start();
    one.run(Duration.ofSeconds(20));
    other.join();
    // Whatever either left for later (a lease it saw) is done by one more run.
    one.run(Duration.ofSeconds(10));

    List<String> pairs = receiver.requests().stream().map(r -> r.path() + " " + r.header("webhook-id")).toList();
    assertThat(pairs).hasSize(180).doesNotHaveDuplicates();
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'delivered' AND attempts = 1")).isEqualTo(180);
  }

  @Test
  void aSlowReceiverDoesNotDelayAFastOne() {
    Receiver receiver = receiver((path, n) -> new Reply(200, Map.of(), path.equals("/slow") ? 3_000 : 0));
    subscriber(receiver.url("/slow"), "*");
    event("lead.sales_ready");
    UUID fast = subscriber(receiver.url("/fast"), "lead.stage_changed");
    for (int i = 0; i < 10; i++) {
      event("lead.stage_changed");
    }
    long started = System.nanoTime();
    Dispatcher.RunSummary summary = local().run(Duration.ofSeconds(20));

    assertThat(summary.delivered()).isEqualTo(21);
    assertThat(receiver.requests("/fast")).hasSize(10).allSatisfy(r ->
        assertThat(TimeUnit.NANOSECONDS.toMillis(r.nanos() - started)).isLessThan(2_000));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(3_000);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'delivered' AND subscriber_id = '"
        + fast + "'")).isEqualTo(10);
  }

  @Test
  void underTheAwsPolicyMetadataAndLoopbackTargetsAreRefusedWithoutConnecting() {
    Receiver receiver = receiver((path, n) -> Reply.of(200));
    UUID metadataHttp = subscriber("http://169.254.169.254/latest/meta-data/", "*");
    UUID metadataHttps = subscriber("https://169.254.169.254/latest/meta-data/", "*");
    UUID loopback = subscriber("https://127.0.0.1:" + receiver.port() + "/", "*");
    UUID byName = subscriber("https://localhost:" + receiver.port() + "/", "*");
    UUID privateRange = subscriber("https://10.0.0.1/", "*");
    event("lead.sales_ready");

    dispatcher(TargetPolicy.publicHttpsOnly()).run(Duration.ofSeconds(10));

    assertThat(receiver.connections()).isZero();
    assertThat(error(metadataHttp)).contains("only https");
    assertThat(error(metadataHttps)).contains("169.254.169.254 is not allowed").contains("not connected");
    assertThat(error(loopback)).contains("127.0.0.1 is not allowed");
    assertThat(error(byName)).contains("is not allowed: in").contains("Loopback");
    assertThat(error(privateRange)).contains("10.0.0.1 is not allowed");
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 1")).isEqualTo(5);
  }

  private static String error(UUID subscriberId) {
    return row("SELECT a.error FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id"
        + " WHERE d.subscriber_id = $1 AND a.http_status IS NULL", subscriberId).getString(0);
  }

  @Test
  void afterARotationBothSecretsSignUntilThePreviousOneExpires() throws Exception {
    Receiver receiver = receiver((path, n) -> Reply.of(200));
    UUID rotated = subscriber(receiver.url("/rotated"), "*");
    UUID expired = subscriber(receiver.url("/expired"), "*");
    row("UPDATE subscribers SET previous_secret = $1, previous_secret_expires_at = now() + interval '23 hours' WHERE id = $2",
        OLD_SECRET, rotated);
    row("UPDATE subscribers SET previous_secret = $1, previous_secret_expires_at = now() - interval '1 minute' WHERE id = $2",
        OLD_SECRET, expired);
    event("lead.sales_ready");

    local().run(Duration.ofSeconds(10));

    Receiver.Request both = receiver.requests("/rotated").get(0);
    String id = both.header("webhook-id");
    String ts = both.header("webhook-timestamp");
    assertThat(both.header("webhook-signature").split(" ")).containsExactly(
        expectedSignature(SECRET, id, ts, both.body()), expectedSignature(OLD_SECRET, id, ts, both.body()));
    Receiver.Request one = receiver.requests("/expired").get(0);
    assertThat(one.header("webhook-signature"))
        .isEqualTo(expectedSignature(SECRET, one.header("webhook-id"), one.header("webhook-timestamp"), one.body()));
  }

  @Test
  void aRedirectIsNotFollowedAndCountsAsAFailure() {
    Receiver receiver = receiver((path, n) -> new Reply(302, Map.of("Location", "http://127.0.0.1:1/elsewhere"), 0));
    subscriber(receiver.url("/moved"), "*");
    event("lead.sales_ready");

    local().run(Duration.ofSeconds(10));

    assertThat(receiver.requests()).hasSize(1);
    Row delivery = row("SELECT status, last_status, last_error FROM deliveries");
    assertThat(delivery.getString(0)).isEqualTo("pending");
    assertThat(delivery.getInteger(1)).isEqualTo(302);
    assertThat(delivery.getString(2)).isEqualTo("redirect not followed");
  }

  @Test
  void afterTheLastAttemptTheDeliveryIsFailed() {
    Receiver receiver = receiver((path, n) -> Reply.of(500));
    subscriber(receiver.url("/broken"), "*");
    event("lead.sales_ready");
    Dispatcher dispatcher = local();
    for (int i = 0; i < RetrySchedule.MAX_ATTEMPTS; i++) {
      dueNow();
      dispatcher.run(Duration.ofSeconds(10));
    }
    assertThat(row("SELECT status, attempts FROM deliveries").getString(0)).isEqualTo("failed");
    assertThat(receiver.requests()).hasSize(RetrySchedule.MAX_ATTEMPTS);
  }
}
