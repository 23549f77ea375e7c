package io.leadcycle.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.notifications.Receiver.Reply;
import io.leadcycle.store.DispatchStore;
import io.leadcycle.store.DispatchStore.Outcome;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Outcomes recorded in batches, deliveries claimed ahead, DNS answers cached per host: exactly once per
 * (webhook-id, subscriber) with several dispatchers, each outcome of a mixed batch recorded as it was,
 * and no cached answer that lets a webhook reach a refused address.
 */
class BatchedDeliveryTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  /** Few slots and a small claim-ahead, so that deliveries queue and outcomes pile up into batches. */
  private static final Dispatcher.Settings SMALL = new Dispatcher.Settings(4, 50, Duration.ofSeconds(10),
      Duration.ofSeconds(60), 8, 500, Duration.ZERO);
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

  private static UUID subscriber(String url) {
    return row("INSERT INTO subscribers (url, events, secret) VALUES ($1, $2, $3) RETURNING id", url,
        new String[] {"*"}, SECRET).getUUID(0);
  }

  private Dispatcher dispatcher(Dispatcher.Settings settings) {
    return closing(new Dispatcher(TestDatabase.database(), Clock.systemUTC(), settings, TargetPolicy.localServer()));
  }

  @Test
  void twoDispatchersOnOneOutboxSendEachEventToEachSubscriberOnceAndRecordItOnce() throws Exception {
    Receiver receiver = receiver((path, n) -> new Reply(200, Map.of(), n % 7 == 0 ? 3 : 0));
    for (String path : List.of("/a", "/b", "/c")) {
      subscriber(receiver.url(path));
    }
    for (int i = 0; i < 200; i++) {
      event(i % 2 == 0 ? "lead.sales_ready" : "lead.stage_changed");
    }
    Dispatcher one = dispatcher(SMALL);
    Dispatcher two = dispatcher(SMALL);
    AtomicReference<Dispatcher.RunSummary> other = new AtomicReference<>();
    Thread thread = new Thread(() -> other.set(two.run(Duration.ofSeconds(60))));
    thread.start();
    Dispatcher.RunSummary first = one.run(Duration.ofSeconds(60));
    thread.join();
    Dispatcher.RunSummary last = one.run(Duration.ofSeconds(10)); // whatever either left behind a lease it saw

    List<String> pairs = receiver.requests().stream().map(r -> r.path() + " " + r.header("webhook-id")).toList();
    assertThat(pairs).hasSize(600).doesNotHaveDuplicates();
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'delivered' AND attempts = 1"
        + " AND claimed_until IS NULL")).isEqualTo(600);
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts WHERE http_status = 200")).isEqualTo(600);
    int attempts = first.attempts() + other.get().attempts() + last.attempts();
    assertThat(attempts).isEqualTo(600);
    // Batched: fewer commits than attempts (each batch is whatever arrived while the previous one was written).
    assertThat(first.outcomeWrites() + other.get().outcomeWrites() + last.outcomeWrites()).isLessThan(attempts);
  }

  @Test
  void receiversFailingSomeOfABatchGetEachOutcomeRecordedAsItWas() {
    Receiver receiver = receiver((path, n) -> switch (path) {
      case "/fails" -> Reply.of(500);
      case "/later" -> new Reply(429, Map.of("Retry-After", "120"), 0);
      case "/moved" -> new Reply(302, Map.of("Location", "http://127.0.0.1:1/"), 0);
      default -> Reply.of(200);
    });
    UUID ok = subscriber(receiver.url("/ok"));
    UUID fails = subscriber(receiver.url("/fails"));
    UUID later = subscriber(receiver.url("/later"));
    UUID moved = subscriber(receiver.url("/moved"));
    for (int i = 0; i < 40; i++) {
      event("lead.sales_ready");
    }
    Instant before = Instant.now();

    Dispatcher.RunSummary run = dispatcher(SMALL).run(Duration.ofSeconds(60));

    assertThat(run.attempts()).isEqualTo(160);
    assertThat(run.delivered()).isEqualTo(40);
    assertThat(run.retrying()).isEqualTo(120);
    assertThat(run.outcomeWrites()).isLessThan(160);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + ok
        + "' AND status = 'delivered' AND attempts = 1 AND last_status = 200 AND delivered_at IS NOT NULL")).isEqualTo(40);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + fails
        + "' AND status = 'pending' AND attempts = 1 AND last_status = 500 AND claimed_until IS NULL"
        + " AND next_attempt_at BETWEEN now() + interval '2 seconds' AND now() + interval '7 seconds'")).isEqualTo(40);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + later
        + "' AND status = 'pending' AND attempts = 1 AND last_status = 429"
        + " AND next_attempt_at BETWEEN now() + interval '100 seconds' AND now() + interval '121 seconds'")).isEqualTo(40);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + moved
        + "' AND status = 'pending' AND attempts = 1 AND last_status = 302 AND last_error = 'redirect not followed'"))
        .isEqualTo(40);
    // One attempt row per delivery, with its own status, none in the future of the run.
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id"
        + " WHERE a.http_status = d.last_status AND a.at >= '" + before + "'")).isEqualTo(160);
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(160);
  }

  /** The statement that records a batch, given a batch that mixes every kind of outcome. */
  @Test
  void oneBatchRecordsDeliveredRetriedFailedAndGoneAndSkipsADeliveryDeletedMeanwhile() {
    UUID ok = subscriber("http://127.0.0.1:1/ok");
    UUID gone = subscriber("http://127.0.0.1:1/gone");
    UUID removed = subscriber("http://127.0.0.1:1/removed");
    event("lead.sales_ready");
    event("lead.stage_changed");
    DispatchStore store = new DispatchStore();
    Instant now = Instant.now();
    TestDatabase.database().inTransaction(conn -> store.fanOut(conn, 10, now)).await();
    List<DispatchStore.Claimed> claimed = TestDatabase.database()
        .inTransaction(conn -> store.claim(conn, 10, now, now.plusSeconds(60))).await();
    assertThat(claimed).hasSize(6);
    List<Outcome> outcomes = new ArrayList<>();
    Instant retryAt = now.plusSeconds(300);
    for (DispatchStore.Claimed c : claimed) {
      if (c.subscriberId().equals(ok)) {
        boolean first = c.type().equals("lead.sales_ready");
        outcomes.add(first
            ? new Outcome(c.deliveryId(), ok, now, 204, null, 3, "delivered", null, null)
            : new Outcome(c.deliveryId(), ok, now, 500, null, 4, "pending", retryAt, null));
      } else if (c.subscriberId().equals(gone)) {
        outcomes.add(new Outcome(c.deliveryId(), gone, now, 410, "410 Gone: subscriber disabled", 2, "failed", null,
            "410 Gone from http://127.0.0.1:1/gone at " + now));
      } else {
        outcomes.add(new Outcome(c.deliveryId(), removed, now, null, "connection failed: refused", 1, "pending",
            retryAt, null));
      }
    }
    row("DELETE FROM subscribers WHERE id = $1", removed); // its deliveries go with it, outcomes still in the batch

    int found = TestDatabase.database().inTransaction(conn -> store.recordAll(conn, outcomes)).await();

    assertThat(found).isEqualTo(4);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries d JOIN outbox o ON o.id = d.outbox_id"
        + " WHERE d.subscriber_id = '" + ok + "' AND o.type = 'lead.sales_ready' AND d.status = 'delivered'"
        + " AND d.last_status = 204 AND d.delivered_at IS NOT NULL AND d.attempts = 1")).isEqualTo(1);
    Row retried = row("SELECT d.status, d.attempts, d.last_status, d.next_attempt_at, d.claimed_until, d.delivered_at"
        + " FROM deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.subscriber_id = $1 AND o.type = 'lead.stage_changed'", ok);
    assertThat(retried.getString(0)).isEqualTo("pending");
    assertThat(retried.getInteger(1)).isEqualTo(1);
    assertThat(retried.getInteger(2)).isEqualTo(500);
    assertThat(retried.getOffsetDateTime(3).toInstant()).isEqualTo(retryAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(retried.getValue(4)).isNull();
    assertThat(retried.getValue(5)).isNull();
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + gone
        + "' AND status = 'failed' AND last_status = 410 AND attempts = 1")).isEqualTo(2);
    Row disabled = row("SELECT disabled, disabled_reason FROM subscribers WHERE id = $1", gone);
    assertThat(disabled.getBoolean(0)).isTrue();
    assertThat(disabled.getString(1)).startsWith("410 Gone from http://127.0.0.1:1/gone");
    assertThat(row("SELECT disabled FROM subscribers WHERE id = $1", ok).getBoolean(0)).isFalse();
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(4);
  }

  @Test
  void claimsNotSentBeforeTheBudgetEndsAreReleasedForTheNextRun() {
    Receiver receiver = receiver((path, n) -> new Reply(200, Map.of(), 300));
    subscriber(receiver.url("/slow"));
    for (int i = 0; i < 30; i++) {
      event("lead.sales_ready");
    }
    Dispatcher dispatcher = dispatcher(new Dispatcher.Settings(1, 50, Duration.ofSeconds(10), Duration.ofSeconds(60), 20, 500, Duration.ZERO));

    Dispatcher.RunSummary run = dispatcher.run(Duration.ofMillis(500));

    assertThat(run.more()).isTrue();
    assertThat(run.attempts()).isLessThan(30);
    // What was claimed and not sent is not leased any more: another run can take it at once.
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE claimed_until IS NOT NULL")).isZero();
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 0"))
        .isEqualTo(30 - run.attempts());
    dispatcher.run(Duration.ofSeconds(30));
    assertThat(receiver.requests().stream().map(r -> r.header("webhook-id")).toList()).hasSize(30).doesNotHaveDuplicates();
  }

  @Test
  void aRunThatHasSentKeepsGoingWhileEventsKeepArrivingInsteadOfEndingBetweenThem() throws Exception {
    Receiver receiver = receiver((path, n) -> Reply.of(200));
    subscriber(receiver.url("/a"));
    subscriber(receiver.url("/b"));
    event("lead.sales_ready");
    Dispatcher dispatcher = dispatcher(new Dispatcher.Settings(4, 50, Duration.ofSeconds(10), Duration.ofSeconds(60), 8,
        500, Duration.ofSeconds(3)));
    AtomicReference<Dispatcher.RunSummary> run = new AtomicReference<>();
    Thread thread = new Thread(() -> run.set(dispatcher.run(Duration.ofSeconds(30))));
    thread.start();
    while (receiver.requests().size() < 2) {
      Thread.sleep(10);
    }
    Thread.sleep(300); // the run has found nothing for a moment and lingers
    UUID later = event("lead.sales_ready");
    thread.join();

    // One run delivered both events, each to both subscribers once.
    assertThat(run.get().eventsFannedOut()).isEqualTo(2);
    assertThat(run.get().delivered()).isEqualTo(4);
    assertThat(receiver.requests().stream().map(r -> r.path() + " " + r.header("webhook-id")).toList())
        .hasSize(4).doesNotHaveDuplicates().contains("/a " + later, "/b " + later);
  }

  @Test
  void manySendsInFlightAtOnceEachRecordedOnceWithItsOwnOutcome() {
    // More slots than threads would be cheap to hold: sends are futures, every one recorded once.
    Receiver receiver = receiver((path, n) -> new Reply(path.equals("/fails") ? 500 : 200, Map.of(), 50));
    UUID ok = subscriber(receiver.url("/ok"));
    UUID fails = subscriber(receiver.url("/fails"));
    for (int i = 0; i < 100; i++) {
      event("lead.sales_ready");
    }

    Dispatcher.RunSummary run = dispatcher(new Dispatcher.Settings(64, 50, Duration.ofSeconds(10),
        Duration.ofSeconds(60), 64, 500, Duration.ZERO)).run(Duration.ofSeconds(60));

    assertThat(run.attempts()).isEqualTo(200);
    assertThat(run.delivered()).isEqualTo(100);
    assertThat(run.retrying()).isEqualTo(100);
    assertThat(receiver.requests().stream().map(r -> r.path() + " " + r.header("webhook-id")).toList())
        .hasSize(200).doesNotHaveDuplicates();
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + ok
        + "' AND status = 'delivered' AND attempts = 1 AND claimed_until IS NULL")).isEqualTo(100);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + fails
        + "' AND status = 'pending' AND attempts = 1 AND last_status = 500 AND claimed_until IS NULL")).isEqualTo(100);
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(200);
  }

  @Test
  void afterA410TheDeliveriesClaimedAheadForThatSubscriberAreNotSent() {
    Receiver receiver = receiver((path, n) -> Reply.of(path.equals("/gone") ? 410 : 200));
    UUID gone = subscriber(receiver.url("/gone"));
    for (int i = 0; i < 20; i++) {
      event("lead.sales_ready");
    }
    // One slot: the 410 is known before the next claimed delivery is taken from the queue.
    dispatcher(new Dispatcher.Settings(1, 50, Duration.ofSeconds(10), Duration.ofSeconds(60), 30, 500, Duration.ZERO))
        .run(Duration.ofSeconds(20));

    assertThat(receiver.requests("/gone")).hasSize(1);
    assertThat(row("SELECT disabled FROM subscribers WHERE id = $1", gone).getBoolean(0)).isTrue();
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'failed' AND last_status = 410")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 0"
        + " AND claimed_until IS NULL")).isEqualTo(19);
  }

  /** The DNS answers kept per host: looked up off the sending slots, but never a way around the address policy. */
  @Nested
  class TheDnsCache {

    private final AtomicReference<InetAddress[]> answer = new AtomicReference<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private InetAddress[] resolve(String host) throws UnknownHostException {
      lookups.incrementAndGet();
      InetAddress[] addresses = answer.get();
      if (addresses == null) {
        throw new UnknownHostException(host);
      }
      return addresses;
    }

    private WebhookSender sender(TargetPolicy policy) {
      return closing(new WebhookSender(receivers, policy, this::resolve, nanos::get, Duration.ofSeconds(5), 4));
    }

    private void later(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }

    private static InetAddress[] addresses(String... literals) throws UnknownHostException {
      InetAddress[] all = new InetAddress[literals.length];
      for (int i = 0; i < literals.length; i++) {
        all[i] = InetAddress.getByName(literals[i]);
      }
      return all;
    }

    @Test
    void aHostThatStartsResolvingToAPrivateAddressIsRefusedOnceTheAnswerIsOld() throws Exception {
      Receiver receiver = receiver((path, n) -> Reply.of(200));
      subscriber("http://hooks.example.com:" + receiver.port() + "/hook");
      answer.set(addresses("127.0.0.1")); // loopback: allowed on the local server
      WebhookSender sender = sender(TargetPolicy.localServer());
      Dispatcher dispatcher = closing(new Dispatcher(TestDatabase.database(), Clock.systemUTC(), SMALL, sender));
      for (int i = 0; i < 5; i++) {
        event("lead.sales_ready");
      }
      assertThat(dispatcher.run(Duration.ofSeconds(20)).delivered()).isEqualTo(5);
      assertThat(lookups.get()).isEqualTo(1); // one lookup for five deliveries
      assertThat(receiver.requests()).allSatisfy(r -> assertThat(r.header("host")).isEqualTo("hooks.example.com:" + receiver.port()));

      answer.set(addresses("127.0.0.1", "169.254.169.254")); // rebinding: the metadata address beside it
      later(HostAddresses.DEFAULT_TTL.plusSeconds(1));
      event("lead.sales_ready");
      Dispatcher.RunSummary run = dispatcher.run(Duration.ofSeconds(20));

      assertThat(run.delivered()).isZero();
      assertThat(lookups.get()).isEqualTo(2);
      assertThat(receiver.requests()).hasSize(5);
      assertThat(row("SELECT last_error FROM deliveries WHERE attempts = 1 AND status = 'pending'").getString(0))
          .contains("169.254.169.254 is not allowed").contains("Link Local").endsWith("not connected");
    }

    @Test
    void aCachedAnswerIsJudgedAgainAtEveryUse() throws Exception {
      answer.set(addresses("93.184.215.14", "10.1.2.3")); // one public, one private: refused as a whole
      WebhookSender sender = sender(TargetPolicy.publicHttpsOnly());

      WebhookSender.Target first = sender.target("https://hooks.example.com/hook");
      answer.set(addresses("93.184.215.14"));
      WebhookSender.Target cached = sender.target("https://HOOKS.example.com/other");

      assertThat(lookups.get()).isEqualTo(1);
      assertThat(first.refusal()).contains("10.1.2.3 is not allowed").contains("not connected");
      assertThat(cached.refusal()).isEqualTo(first.refusal());
      assertThat(sender.post(cached, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{}")).error())
          .isEqualTo(first.refusal());

      later(HostAddresses.DEFAULT_TTL);
      WebhookSender.Target fresh = sender.target("https://hooks.example.com/hook");
      assertThat(fresh.refusal()).isNull();
      assertThat(fresh.address().getHostAddress()).isEqualTo("93.184.215.14");
      assertThat(fresh.host()).isEqualTo("hooks.example.com");
    }

    @Test
    void aPrivateAddressIsRefusedUnderTheAwsRulesFromTheFirstLookupAndFromTheCache() throws Exception {
      answer.set(addresses("127.0.0.1"));
      WebhookSender strict = sender(TargetPolicy.publicHttpsOnly());
      for (int i = 0; i < 3; i++) {
        assertThat(strict.target("https://hooks.example.com/").refusal()).contains("127.0.0.1 is not allowed");
      }
      assertThat(lookups.get()).isEqualTo(1);
    }

    @Test
    void aFailedLookupIsKeptBrieflyThenTriedAgain() throws Exception {
      WebhookSender sender = sender(TargetPolicy.localServer());
      assertThat(sender.target("http://hooks.example.com/").refusal()).isEqualTo("cannot resolve hooks.example.com");
      answer.set(addresses("127.0.0.1"));
      assertThat(sender.target("http://hooks.example.com/").refusal()).isEqualTo("cannot resolve hooks.example.com");
      later(HostAddresses.DEFAULT_FAILURE_TTL);
      assertThat(sender.target("http://hooks.example.com/").refusal()).isNull();
      assertThat(lookups.get()).isEqualTo(2);
    }
  }
}
