package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.connect;
import static io.leadcycle.bench.BenchSupport.freePort;
import static io.leadcycle.bench.BenchSupport.header;
import static io.leadcycle.bench.BenchSupport.line;
import static io.leadcycle.bench.BenchSupport.loadAverage;
import static io.leadcycle.bench.BenchSupport.localServer;
import static io.leadcycle.bench.BenchSupport.ms;
import static io.leadcycle.bench.BenchSupport.newToken;
import static io.leadcycle.bench.BenchSupport.oneOf;
import static io.leadcycle.bench.BenchSupport.positive;
import static io.leadcycle.bench.BenchSupport.progress;
import static io.leadcycle.bench.BenchSupport.single;
import static io.leadcycle.bench.BenchSupport.tail;
import static io.leadcycle.bench.BenchSupport.waitForHealth;

import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.leadcycle.http.StandardWebhooks;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Notification delivery latency and throughput against the ceiling, in one command (see /BENCHMARKS.md):
 *
 * <ol>
 *   <li>a fresh embedded PostgreSQL (fsync and synchronous_commit on), migrated; one lead per event,
 *       seeded; R loopback receivers (Vert.x HTTP servers in this process, answering 200 at once and
 *       recording when each {@code webhook-id} arrived) and one subscriber to {@code *} per receiver;</li>
 *   <li>the local server ({@code infra/local/target/leadcycle-local.jar}) as a child process: its 1 s
 *       timer (template metadata) runs the threshold-notification function with its defaults;</li>
 *   <li>a warm-up: W events written and delivered the same way first (the server's JIT warms up), not in
 *       the figures, its own printed apart;</li>
 *   <li>N outbox events written at a steady rate in small batches, each row's {@code created_at} the
 *       time it was written, the notification-nudge function nudged after the commits at most once a
 *       second as the product's writers do; then a wait until all N x R deliveries have arrived;</li>
 *   <li>the ceiling: the local server stopped, a plain Vert.x WebClient posts the same bodies, signed
 *       the same way, to the same receivers with the same concurrency (16);</li>
 *   <li>a report: deliveries/s, latency from outbox write to receipt (HdrHistogram), where that time
 *       went (fan-out, queue, send, from the database's timestamps), duplicates, missing, the ratio
 *       product/ceiling and the target (p99 &lt; 2 s).</li>
 * </ol>
 *
 * <p>Run it with {@code infra/bench/run-notifications.sh [options]}; {@code --help} lists the options.
 */
public final class NotificationBenchmark {

  static final double TARGET_P99_MS = 2_000;
  static final String EVENT_TYPE = "lead.sales_ready";

  private static final String USAGE = """
      Usage: infra/bench/run-notifications.sh [options]
        --events N              outbox events written (default 10000); each reaches every receiver
        --warmup N              events written the same way and drained first, before the measured ones
                                (default 3000; 0: a cold server). Printed apart, never in the figures
        --no-nudge              do not nudge notification-nudge after the writes (the 1 s timer alone)
        --dispatcher-concurrency C  the local server's NOTIFICATION_CONCURRENCY (default: unset, the
                                dispatcher's default)
        --receivers R           loopback receivers, one subscriber to '*' each (default 3)
        --rate E                events written per second, in batches every --batch-ms (default 500);
                                0 writes all events in one transaction (a burst: the drain rate)
        --batch-ms M            interval between write batches (default 100)
        --concurrency C         posts in flight in the ceiling (default 16, the dispatcher's default)
        --timeout S             seconds to wait for the last delivery after the last write (default 120)
        --fsync X               on (default, as in production) or off
        --no-baseline           skip the ceiling
        --autovacuum-naptime S  PostgreSQL's autovacuum_naptime in seconds (default: PostgreSQL's own, 60);
                                a diagnostic: how soon the planner sees the growing outbox and deliveries
        --local-jar PATH        the local server jar (default infra/local/target/leadcycle-local.jar)
        --server-jvm-arg ARG    extra JVM argument for the local server (repeatable)
        --keep-files            keep the work directory (server log)
      """;

  record Options(int events, int receivers, int rate, int batchMillis, int concurrency, int timeoutSeconds,
      boolean fsync, boolean baseline, Path localJar, List<String> serverJvmArgs, boolean keepFiles,
      Integer naptime, int warmup, Integer dispatcherConcurrency, boolean nudge) {

    /** The same options for {@code events} events (the warm-up's). */
    Options withEvents(int events) {
      return new Options(events, receivers, rate, batchMillis, concurrency, timeoutSeconds, fsync, baseline, localJar,
          serverJvmArgs, keepFiles, naptime, warmup, dispatcherConcurrency, nudge);
    }

    static Options parse(String[] args) {
      int events = 10_000;
      int receivers = 3;
      int rate = 500;
      int batchMillis = 100;
      int concurrency = 16;
      int timeout = 120;
      boolean fsync = true;
      boolean baseline = true;
      Path localJar = Path.of("infra/local/target/leadcycle-local.jar");
      List<String> jvmArgs = new ArrayList<>();
      boolean keep = false;
      Integer naptime = null;
      int warmup = 3000;
      Integer dispatcherConcurrency = null;
      boolean nudge = true;
      for (BenchSupport.Argument argument : BenchSupport.arguments(args, USAGE,
          Set.of("--keep-files", "--no-baseline", "--no-nudge"))) {
        String name = argument.name();
        String value = argument.value();
        switch (name) {
          case "--keep-files" -> keep = true;
          case "--no-baseline" -> baseline = false;
          case "--no-nudge" -> nudge = false;
          case "--events" -> events = positive(name, value, 1);
          case "--receivers" -> receivers = positive(name, value, 1);
          case "--rate" -> rate = positive(name, value, 0);
          case "--batch-ms" -> batchMillis = positive(name, value, 1);
          case "--concurrency" -> concurrency = positive(name, value, 1);
          case "--timeout" -> timeout = positive(name, value, 1);
          case "--fsync" -> fsync = oneOf(name, value, "on", "off").equals("on");
          case "--local-jar" -> localJar = Path.of(value);
          case "--server-jvm-arg" -> jvmArgs.add(value);
          case "--autovacuum-naptime" -> naptime = positive(name, value, 1);
          case "--warmup" -> warmup = positive(name, value, 0);
          case "--dispatcher-concurrency" -> dispatcherConcurrency = positive(name, value, 1);
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      return new Options(events, receivers, rate, batchMillis, concurrency, timeout, fsync, baseline, localJar,
          List.copyOf(jvmArgs), keep, naptime, warmup, dispatcherConcurrency, nudge);
    }
  }

  /** What the receivers record in one phase: receipt time (µs since the epoch) per webhook-id, per receiver. */
  static final class Phase {
    final List<ConcurrentHashMap<String, Long>> received = new ArrayList<>();
    final AtomicInteger unique = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger unsigned = new AtomicInteger();
    final AtomicLong lastReceiptMicros = new AtomicLong();
    /** The first body received per webhook-id (kept in the product phase for the ceiling to replay). */
    final ConcurrentHashMap<String, Buffer> bodies;

    Phase(int receivers, boolean keepBodies) {
      for (int i = 0; i < receivers; i++) {
        received.add(new ConcurrentHashMap<>());
      }
      bodies = keepBodies ? new ConcurrentHashMap<>() : null;
    }
  }

  /** Everything started by a run, stopped in reverse order on success, failure and Ctrl-C alike. */
  private static final class Resources extends BenchSupport.Resources {
    volatile BenchDatabase database;
    volatile Process server;
    volatile Vertx vertx;
    private boolean closed;

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      BenchSupport.stop(server);
      if (vertx != null) {
        try {
          vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.err.println("bench: closing Vert.x: " + e);
        }
      }
      closeDatabaseAndFiles(database);
    }
  }

  private NotificationBenchmark() {
  }

  public static void main(String[] args) {
    Options options = BenchSupport.optionsOrExit(() -> Options.parse(args));
    if (!Files.isRegularFile(options.localJar())) {
      System.err.println("bench: " + options.localJar().toAbsolutePath() + " does not exist. Run "
          + "infra/bench/run-notifications.sh (it builds it).");
      System.exit(2);
    }
    Resources resources = new Resources();
    BenchSupport.runAndExit(resources, "(server.log)", () -> run(options, args, resources));
  }

  private static void run(Options o, String[] args, Resources resources) throws Exception {
    String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    resources.keepFiles = o.keepFiles();
    Path work = Files.createTempDirectory("leadcycle-notify-bench-");
    resources.workDirectory = work;
    String loadBefore = loadAverage();

    progress("starting a fresh embedded PostgreSQL and migrating it");
    BenchDatabase database = BenchDatabase.startMigrated(o.fsync());
    resources.database = database;
    String[] dbInfo = prepareDatabase(database, o.naptime());
    long postmasterPid = Long.parseLong(dbInfo[3]);

    Vertx vertx = Vertx.vertx();
    resources.vertx = vertx;
    String secret = StandardWebhooks.newSecret();
    AtomicReferencePhase current = new AtomicReferencePhase();
    List<HttpServer> servers = new ArrayList<>();
    for (int i = 0; i < o.receivers(); i++) {
      servers.add(startReceiver(vertx, i, current));
    }
    List<UUID> subscribers = new ArrayList<>();
    List<UUID> leads;
    try (Connection c = connect(database)) {
      for (HttpServer s : servers) {
        subscribers.add(insertSubscriber(c, "http://127.0.0.1:" + s.actualPort() + "/", secret));
      }
      progress("seeding " + (o.events() + o.warmup()) + " leads (one per event)");
      leads = seedLeads(c, o.events() + o.warmup());
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
    }

    int port = freePort();
    Path serverLog = work.resolve("server.log");
    progress("starting the local server on port " + port + " (log: " + serverLog + ")");
    String token = newToken();
    Process server = startServer(o, database, port, serverLog, token);
    Nudger nudger = new Nudger(o.nudge(), port, token);
    resources.server = server;
    waitForHealth(server, port, serverLog);
    Thread.sleep(1500); // a tick or two of the idle 1 s timer, as on a server that has been up a while

    CpuMeter cpu = new CpuMeter(postmasterPid);
    Warmup warmup = o.warmup() == 0 ? null
        : warmup(o, database, leads.subList(o.events(), leads.size()), current, cpu, server, serverLog, nudger);
    Phase product = new Phase(o.receivers(), o.baseline());
    current.set(product);
    int expected = o.events() * o.receivers();
    Map<String, Long> written = new HashMap<>(o.events() * 2);
    CpuMeter.Snapshot before = cpu.snapshot(server.toHandle());
    ServerThreads.Snapshot threadsBefore = ServerThreads.snapshot(server.pid());
    progress(o.rate() == 0 ? "writing " + o.events() + " outbox events in one transaction"
        : "writing " + o.events() + " outbox events at " + o.rate() + "/s in batches every " + o.batchMillis() + " ms");
    WriteStats writes;
    try (Connection c = connect(database)) {
      writes = writeEvents(c, o, leads.subList(0, o.events()), written, nudger);
    }
    progress("written in " + String.format("%.2f s", writes.seconds()) + "; waiting for " + expected + " deliveries");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (product.unique.get() < expected && System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new BenchmarkFailure("the local server exited with " + server.exitValue() + ":\n" + tail(serverLog));
      }
      Thread.sleep(20);
      if (System.nanoTime() > nextReport) {
        progress("received " + product.unique.get() + " of " + expected + String.format(" at %.0f s after the first write",
            (nowMicros() - writes.firstWriteMicros()) / 1e6));
        nextReport += TimeUnit.SECONDS.toNanos(5);
      }
    }
    Thread.sleep(1000); // late duplicates, if any
    CpuMeter.Usage productCpu = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
    ServerThreads.Tally threads = new ServerThreads.Tally();
    threads.add(threadsBefore, ServerThreads.snapshot(server.pid()));
    int received = product.unique.get();
    if (received < expected) {
      progress("timed out: " + (expected - received) + " deliveries missing after " + o.timeoutSeconds() + " s");
    }
    Breakdown breakdown;
    String autoanalyze;
    try (Connection c = connect(database)) {
      breakdown = breakdown(c, subscribers, product, written);
      autoanalyze = autoanalyze(c, writes.firstWriteMicros());
    }
    BenchSupport.stop(server);

    Baseline baseline = null;
    if (o.baseline()) {
      progress("ceiling: the local server stopped; a plain WebClient posts the same " + expected
          + " signed bodies at concurrency " + o.concurrency());
      baseline = baseline(vertx, o, servers, product, secret, current, cpu);
    }

    Histogram latency = latencyOf(product, written);
    long firstWrite = writes.firstWriteMicros();
    double seconds = (product.lastReceiptMicros.get() - firstWrite) / 1e6;
    String command = System.getenv().getOrDefault("LEADCYCLE_BENCH_COMMAND",
        ("java -cp infra/bench/target/leadcycle-bench.jar " + NotificationBenchmark.class.getName() + " "
            + String.join(" ", args)).strip());
    report(o, command, startedAt, loadBefore + " before, " + loadAverage() + " after", dbInfo, writes, product,
        expected, seconds, latency, breakdown, autoanalyze, productCpu, threads, warmup, baseline);
    if (received < expected) {
      throw new BenchmarkFailure((expected - received) + " of " + expected + " deliveries never arrived");
    }
  }

  /**
   * The nudge the product's writers of {@code lead.sales_ready} send (score recalculation, lead management:
   * docs/notifications.md#latency) once their transaction has committed, at most one per second (the slot
   * that SQS deduplication and the local server's {@code LocalNudge} keep), with the slot's end in the body:
   * here to the local server's in-process queue of notification-nudge ({@code POST /_local/queues/...}),
   * without waiting for the answer. The events are written straight into the outbox, so without it the
   * dispatcher would only ever be started by the 1 s timer, which no real writer of these events relies on.
   */
  static final class Nudger {
    private final boolean enabled;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private final java.net.URI uri;
    private final String token;
    private long slot = -1;

    Nudger(boolean enabled, int port, String token) {
      this.enabled = enabled;
      this.uri = java.net.URI.create("http://127.0.0.1:" + port + "/_local/queues/notification-nudge/messages");
      this.token = token;
    }

    void committed() {
      long now = Instant.now().getEpochSecond();
      if (!enabled || now == slot) {
        return;
      }
      slot = now;
      String body = new io.vertx.core.json.JsonObject().put("messages", new io.vertx.core.json.JsonArray().add(
          new io.vertx.core.json.JsonObject().put("body", new io.vertx.core.json.JsonObject()
              .put("reason", "notification benchmark writer").put("slotEnds", Instant.ofEpochSecond(now + 1).toString()))))
          .encode();
      http.sendAsync(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
              .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
              .build(), java.net.http.HttpResponse.BodyHandlers.discarding())
          .thenAccept(answer -> {
            if (answer.statusCode() != 202) {
              System.err.println("bench: the nudge was answered " + answer.statusCode());
            }
          });
    }
  }

  /** The warm-up's figures: a cold server's, printed apart from the measured phase's. */
  record Warmup(int events, int deliveries, double seconds, Histogram latency, CpuMeter.Usage cpu,
      ServerThreads.Tally threads) {
  }

  /**
   * The warm-up: {@code leads.size()} events written at the same rate and delivered to every receiver, as
   * the measured ones, before them: the server's JIT and pools get warm, as on a server that has been up a
   * while. Its deliveries count in no measured figure; its own (a cold server's) are printed apart.
   */
  private static Warmup warmup(Options o, BenchDatabase database, List<UUID> leads, AtomicReferencePhase current,
      CpuMeter cpu, Process server, Path serverLog, Nudger nudger) throws Exception {
    Phase phase = new Phase(o.receivers(), false);
    current.set(phase);
    int expected = leads.size() * o.receivers();
    Map<String, Long> written = new HashMap<>(leads.size() * 2);
    progress("warm-up: " + leads.size() + " events at " + o.rate() + "/s, drained before the measured events");
    CpuMeter.Snapshot before = cpu.snapshot(server.toHandle());
    ServerThreads.Snapshot threadsBefore = ServerThreads.snapshot(server.pid());
    WriteStats writes;
    try (Connection c = connect(database)) {
      writes = writeEvents(c, o.withEvents(leads.size()), leads, written, nudger);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
    while (phase.unique.get() < expected && System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new BenchmarkFailure("the local server exited with " + server.exitValue() + ":\n" + tail(serverLog));
      }
      Thread.sleep(20);
    }
    if (phase.unique.get() < expected) {
      throw new BenchmarkFailure("warm-up: " + (expected - phase.unique.get()) + " deliveries missing after "
          + o.timeoutSeconds() + " s");
    }
    CpuMeter.Usage usage = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
    ServerThreads.Tally threads = new ServerThreads.Tally();
    threads.add(threadsBefore, ServerThreads.snapshot(server.pid()));
    Histogram latency = latencyOf(phase, written);
    double seconds = (phase.lastReceiptMicros.get() - writes.firstWriteMicros()) / 1e6;
    progress(String.format("warm-up: %d deliveries in %.2f s; pausing 2 s", expected, seconds));
    Thread.sleep(2000); // the warm-up's run ends (it lingers 1 s) and the timer ticks idle once, as between bursts
    return new Warmup(leads.size(), expected, seconds, latency, usage, threads);
  }

  /** Write -> receipt per delivery of a phase. */
  private static Histogram latencyOf(Phase phase, Map<String, Long> written) {
    Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    for (ConcurrentHashMap<String, Long> receiver : phase.received) {
      receiver.forEach((id, at) -> {
        Long w = written.get(id);
        if (w != null) {
          latency.recordValue(Math.max(0, Math.min(at - w, latency.getHighestTrackableValue())));
        }
      });
    }
    return latency;
  }

  /** Deliveries received per second after the first write: how the rate builds up and holds. */
  private static String receiptsPerSecond(Phase phase, long firstWriteMicros) {
    java.util.TreeMap<Long, Integer> perSecond = new java.util.TreeMap<>();
    for (ConcurrentHashMap<String, Long> receiver : phase.received) {
      receiver.values().forEach(at -> perSecond.merge(Math.max(0, (at - firstWriteMicros) / 1_000_000), 1,
          Integer::sum));
    }
    StringBuilder r = new StringBuilder();
    perSecond.forEach((second, n) -> r.append(r.length() == 0 ? "" : " ").append(n));
    return r.toString();
  }

  /** The phase the receivers record into (the product's, then the ceiling's). */
  static final class AtomicReferencePhase {
    private volatile Phase phase;

    Phase get() {
      return phase;
    }

    void set(Phase phase) {
      this.phase = phase;
    }
  }

  static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  /** A loopback receiver: 200 once the body is in, the receipt time recorded per webhook-id. */
  private static HttpServer startReceiver(Vertx vertx, int index, AtomicReferencePhase current) {
    return vertx.createHttpServer()
        .requestHandler(request -> request.body().onComplete(body -> {
          long at = nowMicros();
          Phase phase = current.get();
          String id = request.getHeader("webhook-id");
          if (phase != null && id != null) {
            if (request.getHeader("webhook-signature") == null) {
              phase.unsigned.incrementAndGet();
            }
            if (phase.received.get(index).putIfAbsent(id, at) == null) {
              phase.unique.incrementAndGet();
              phase.lastReceiptMicros.accumulateAndGet(at, Math::max);
              if (phase.bodies != null && body.succeeded()) {
                phase.bodies.putIfAbsent(id, body.result());
              }
            } else {
              phase.duplicates.incrementAndGet();
            }
          }
          request.response().setStatusCode(200).end();
        }))
        .listen(0, "127.0.0.1")
        .await();
  }

  /** Sets synchronous_commit on (the embedded server starts with off) and reads version, fsync, sync commit, postmaster pid. */
  private static String[] prepareDatabase(BenchDatabase database, Integer naptime) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + BenchDatabase.DATABASE + " SET synchronous_commit = on");
      if (naptime != null) {
        s.execute("ALTER SYSTEM SET autovacuum_naptime = " + naptime);
        s.execute("SELECT pg_reload_conf()");
      }
      String version = single(s, "SHOW server_version");
      String fsync = single(s, "SHOW fsync");
      long backend = Long.parseLong(single(s, "SELECT pg_backend_pid()"));
      long postmaster = CpuMeter.parentPid(backend);
      try (Connection fresh = connect(database); Statement t = fresh.createStatement()) {
        return new String[] {version, fsync, single(t, "SHOW synchronous_commit"), Long.toString(postmaster),
            single(t, "SHOW autovacuum_naptime")};
      }
    }
  }

  private static UUID insertSubscriber(Connection c, String url, String secret) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO subscribers (url, events, secret, description) VALUES (?, ARRAY['*'], ?, 'bench') RETURNING id")) {
      ps.setString(1, url);
      ps.setString(2, secret);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1, UUID.class);
      }
    }
  }

  private static List<UUID> seedLeads(Connection c, int n) throws SQLException {
    List<UUID> ids = new ArrayList<>(n);
    try (PreparedStatement ps = c.prepareStatement("""
        INSERT INTO leads (topic, context_kind, context_id, context_name, submitted_fields)
        SELECT 'Bench lead ' || g, 'manual', 'bench', 'Notification bench', jsonb_build_object('n', g)
          FROM generate_series(1, ?) g RETURNING id""")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return ids;
  }

  record WriteStats(long firstWriteMicros, double seconds, int batches, Histogram commitMicros, long maxLagMicros) {
  }

  /**
   * Writes the events at the steady rate (or all at once): each batch is one transaction of
   * {@code rate * batchMillis / 1000} rows whose {@code created_at} is the time the batch was written.
   */
  private static WriteStats writeEvents(Connection c, Options o, List<UUID> leads, Map<String, Long> written,
      Nudger nudger) throws SQLException, InterruptedException {
    int perBatch = o.rate() == 0 ? o.events() : Math.max(1, (int) Math.round(o.rate() * o.batchMillis() / 1000.0));
    Histogram commits = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    c.setAutoCommit(false);
    long start = System.nanoTime();
    long firstWrite = -1;
    long maxLag = 0;
    int batches = 0;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO outbox (id, type, lead_id, payload, created_at) VALUES (?, ?, ?, '{}'::jsonb, ?)")) {
      for (int from = 0; from < o.events(); from += perBatch) {
        long due = start + TimeUnit.MILLISECONDS.toNanos((long) batches * o.batchMillis());
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        } else {
          maxLag = Math.max(maxLag, -wait / 1000);
        }
        long at = nowMicros();
        if (firstWrite < 0) {
          firstWrite = at;
        }
        OffsetDateTime createdAt = Instant.EPOCH.plus(at, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        int to = Math.min(o.events(), from + perBatch);
        for (int i = from; i < to; i++) {
          UUID id = UUID.randomUUID();
          written.put(id.toString(), at);
          ps.setObject(1, id);
          ps.setString(2, EVENT_TYPE);
          ps.setObject(3, leads.get(i));
          ps.setObject(4, createdAt);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
        nudger.committed();
        commits.recordValue(Math.min(nowMicros() - at, commits.getHighestTrackableValue()));
        batches++;
      }
    }
    c.setAutoCommit(true);
    return new WriteStats(firstWrite, (System.nanoTime() - start) / 1e9, batches, commits, maxLag);
  }

  /** Where the time between write and receipt went, from the database's timestamps (all on this machine's clock). */
  record Breakdown(Histogram toFanOut, Histogram toSend, Histogram sendToReceipt, long deliveries, long delivered,
      long pending, long failed, long attempts, long retried) {
  }

  private static Breakdown breakdown(Connection c, List<UUID> subscribers, Phase phase, Map<String, Long> written)
      throws SQLException {
    long max = TimeUnit.MINUTES.toMicros(10);
    Histogram toFanOut = new Histogram(max, 3);
    Histogram toSend = new Histogram(max, 3);
    Histogram toReceipt = new Histogram(max, 3);
    long deliveries = 0;
    long delivered = 0;
    long pending = 0;
    long failed = 0;
    long attempts = 0;
    long retried = 0;
    Map<UUID, Integer> receiverOf = new HashMap<>();
    for (int i = 0; i < subscribers.size(); i++) {
      receiverOf.put(subscribers.get(i), i);
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT d.outbox_id, d.subscriber_id, d.status, d.attempts, o.created_at, o.fanned_out_at,
                   (SELECT min(a.at) FROM delivery_attempts a WHERE a.delivery_id = d.id) AS first_attempt
              FROM deliveries d JOIN outbox o ON o.id = d.outbox_id""")) {
      while (rs.next()) {
        String id = rs.getObject("outbox_id", UUID.class).toString();
        if (!written.containsKey(id)) {
          continue; // the warm-up's
        }
        deliveries++;
        switch (rs.getString("status")) {
          case "delivered" -> delivered++;
          case "pending" -> pending++;
          default -> failed++;
        }
        int n = rs.getInt("attempts");
        attempts += n;
        if (n > 1) {
          retried++;
        }
        long created = micros(rs.getObject("created_at", OffsetDateTime.class));
        OffsetDateTime fanned = rs.getObject("fanned_out_at", OffsetDateTime.class);
        OffsetDateTime first = rs.getObject("first_attempt", OffsetDateTime.class);
        if (fanned != null) {
          toFanOut.recordValue(clamp(micros(fanned) - created, max));
          if (first != null) {
            toSend.recordValue(clamp(micros(first) - micros(fanned), max));
            Integer receiver = receiverOf.get(rs.getObject("subscriber_id", UUID.class));
            Long at = receiver == null ? null : phase.received.get(receiver).get(id);
            if (at != null) {
              toReceipt.recordValue(clamp(at - micros(first), max));
            }
          }
        }
      }
    }
    return new Breakdown(toFanOut, toSend, toReceipt, deliveries, delivered, pending, failed, attempts, retried);
  }

  /** When autovacuum analyzed the queue's tables, in seconds after the first write: the planner's view of them. */
  private static String autoanalyze(Connection c, long firstWriteMicros) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT relname, autoanalyze_count, last_autoanalyze FROM pg_stat_user_tables"
            + " WHERE relname IN ('outbox', 'deliveries', 'delivery_attempts') ORDER BY relname")) {
      while (rs.next()) {
        OffsetDateTime last = rs.getObject(3, OffsetDateTime.class);
        out.append(out.length() == 0 ? "" : "; ").append(rs.getString(1)).append(' ').append(rs.getLong(2))
            .append("x").append(last == null ? "" : String.format(", last %.1f s after the first write",
                (micros(last) - firstWriteMicros) / 1e6));
      }
    }
    return out.toString();
  }

  private static long micros(OffsetDateTime t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant());
  }

  private static long clamp(long v, long max) {
    return Math.max(0, Math.min(v, max));
  }

  record Baseline(int posts, double seconds, Histogram latencyMicros, int failed, int duplicates, CpuMeter.Usage cpu) {
    double throughput() {
      return posts / seconds;
    }
  }

  /**
   * The ceiling: the same bodies the receivers got from the product, signed again (Standard Webhooks,
   * current timestamp) and posted with a plain WebClient to the same receivers, {@code concurrency} in
   * flight in all, as the dispatcher does. Nothing is read from or written to the database.
   */
  private static Baseline baseline(Vertx vertx, Options o, List<HttpServer> servers, Phase product, String secret,
      AtomicReferencePhase current, CpuMeter cpu) throws InterruptedException {
    List<String> ids = new ArrayList<>(product.bodies.keySet());
    List<String> urls = servers.stream().map(s -> "http://127.0.0.1:" + s.actualPort() + "/").toList();
    int total = ids.size() * servers.size();
    Phase phase = new Phase(servers.size(), false);
    current.set(phase);
    WebClient client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
            .setUserAgent("Leadcycle-Webhooks/1"),
        new PoolOptions().setHttp1MaxSize(o.concurrency()));
    Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(o.concurrency());
    List<String> secrets = List.of(secret);
    CpuMeter.Snapshot before = cpu.snapshot(ProcessHandle.current());
    long start = System.nanoTime();
    for (int w = 0; w < o.concurrency(); w++) {
      vertx.runOnContext(v -> postNext(client, ids, urls, product, secrets, next, total, latency, failed, done));
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    CpuMeter.Usage usage = CpuMeter.between(before, cpu.snapshot(ProcessHandle.current()));
    client.close();
    current.set(null);
    return new Baseline(total, seconds, latency, failed.get() + (total - phase.unique.get()), phase.duplicates.get(),
        usage);
  }

  /** One of {@code concurrency} chains: post, and on the answer post the next, until all are sent. */
  private static void postNext(WebClient client, List<String> ids, List<String> urls, Phase product,
      List<String> secrets, AtomicInteger next, int total, Histogram latency, AtomicInteger failed, CountDownLatch done) {
    int n = next.getAndIncrement();
    if (n >= total) {
      done.countDown();
      return;
    }
    // Event-major order, as the product's fan-out creates them: event i to receiver 0, 1, 2, then event i+1.
    String id = ids.get(n / urls.size());
    String url = urls.get(n % urls.size());
    Buffer body = product.bodies.get(id);
    long timestamp = Instant.now().getEpochSecond();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json")
        .add("webhook-id", id)
        .add("webhook-timestamp", Long.toString(timestamp))
        .add("webhook-signature", StandardWebhooks.signAll(secrets, id, timestamp, body.getBytes()));
    long started = System.nanoTime();
    Future<io.vertx.ext.web.client.HttpResponse<Void>> sent = client.postAbs(url).putHeaders(headers).timeout(10_000).as(BodyCodec.none()).sendBuffer(body);
    sent.onComplete(result -> {
      synchronized (latency) {
        latency.recordValue(Math.min((System.nanoTime() - started) / 1000, latency.getHighestTrackableValue()));
      }
      if (result.failed() || result.result().statusCode() != 200) {
        failed.incrementAndGet();
      }
      postNext(client, ids, urls, product, secrets, next, total, latency, failed, done);
    });
  }

  private static Process startServer(Options o, BenchDatabase database, int port, Path log, String token)
      throws IOException {
    ProcessBuilder builder = localServer(o.localJar(), o.serverJvmArgs(), database, port, token, log);
    Map<String, String> env = builder.environment();
    // The product's own schedule and settings: the template's 1 s timer, the dispatcher's defaults.
    env.keySet().removeIf(k -> k.startsWith("LEADCYCLE_SCHEDULE_SECONDS") || k.startsWith("NOTIFICATION_"));
    if (o.dispatcherConcurrency() != null) {
      env.put("NOTIFICATION_CONCURRENCY", o.dispatcherConcurrency().toString());
    }
    return builder.start();
  }

  private static void report(Options o, String command, String startedAt, String load, String[] db, WriteStats writes,
      Phase product, int expected, double seconds, Histogram latency, Breakdown b, String autoanalyze,
      CpuMeter.Usage cpu, ServerThreads.Tally threads, Warmup warmup, Baseline baseline) {
    int received = product.unique.get();
    double rate = received / seconds;
    double p99 = ms(latency.getValueAtPercentile(99));
    boolean p99Met = received == expected && p99 < TARGET_P99_MS;
    StringBuilder r = new StringBuilder();
    header(r, "notification", command, startedAt, load, "both phases");
    line(r, "postgresql", db[0] + " (embedded, fresh), fsync=" + db[1] + ", synchronous_commit=" + db[2]
        + ", autovacuum_naptime=" + db[4]);
    line(r, "load", String.format("%d events x %d loopback receivers (subscribers to '*') = %d deliveries; %s",
        o.events(), o.receivers(), expected, o.rate() == 0 ? "all events in one transaction"
            : String.format("%d events/s in %d batches every %d ms", o.rate(), writes.batches(), o.batchMillis())));
    line(r, "writes", String.format("%.2f s; batch insert+commit p50 %.1f ms, max %.1f ms; writer behind schedule "
            + "by at most %.1f ms", writes.seconds(), ms(writes.commitMicros().getValueAtPercentile(50)),
        ms(writes.commitMicros().getMaxValue()), writes.maxLagMicros() / 1000.0));
    io.leadcycle.notifications.Dispatcher.Settings d = io.leadcycle.notifications.Dispatcher.Settings.DEFAULT;
    if (o.dispatcherConcurrency() != null) {
      d = d.withConcurrency(o.dispatcherConcurrency());
    }
    line(r, "product", "local server, threshold-notification on its 1 s timer (template metadata)"
        + (o.nudge() ? " and notification-nudge nudged after the writes (at most once a second, as the writers do)"
            : " alone (--no-nudge)") + ", dispatcher "
        + (o.dispatcherConcurrency() == null ? "defaults: " : "defaults but NOTIFICATION_CONCURRENCY: ")
        + d.concurrency() + " sends in flight, " + d.claimAhead() + " claimed ahead, fan-out batches of "
        + d.fanOutBatch() + ", up to " + d.recordBatch() + " outcomes per write");
    if (warmup == null) {
      line(r, "warm-up", "none (--warmup 0): the measured events reach a cold server");
    } else {
      line(r, "warm-up", String.format("%d events (%d deliveries) written and drained first, not in the figures "
          + "below; a cold server's: %.0f deliveries/s, write -> receipt p99 %.0f ms, local server %s per delivery "
          + "(JIT compilers %s)", warmup.events(), warmup.deliveries(), warmup.deliveries() / warmup.seconds(),
          ms(warmup.latency().getValueAtPercentile(99)), perDelivery(warmup.cpu().serverSeconds(), warmup.deliveries()),
          String.format("%.0f µs", warmup.threads().compilerMicros(warmup.deliveries()))));
    }
    r.append('\n');
    r.append("Product: outbox row -> fan-out -> claim -> signed POST -> receiver\n");
    line(r, "deliveries", String.format("%.0f deliveries/s  (%d of %d received in %.2f s from first write to last "
        + "receipt)", rate, received, expected, seconds));
    line(r, "latency", "write -> receipt: " + latencies(latency));
    line(r, "per second", receiptsPerSecond(product, writes.firstWriteMicros()) + " (received, each second after the first write)");
    line(r, "duplicates", product.duplicates.get() + " (same webhook-id twice at one receiver)");
    line(r, "missing", Integer.toString(expected - received));
    line(r, "database", String.format("%d deliveries: %d delivered, %d pending, %d failed; %d attempts, %d retried",
        b.deliveries(), b.delivered(), b.pending(), b.failed(), b.attempts(), b.retried()));
    line(r, "breakdown", "write -> fanned out:    " + latencies(b.toFanOut()));
    line(r, "", "fanned out -> send:    " + latencies(b.toSend()));
    line(r, "", "send -> receipt:       " + latencies(b.sendToReceipt()));
    line(r, "autoanalyze", autoanalyze);
    line(r, "cpu", "bench (writer + receivers) " + cpu.cores(cpu.benchSeconds()) + ", local server "
        + cpu.cores(cpu.serverSeconds()) + ", postgres " + cpu.cores(cpu.postgresSeconds()) + "; machine busy "
        + cpu.machineBusy());
    // Per delivery, CPU time depends less on what else the machine runs than deliveries/s do.
    line(r, "", "per delivery: local server " + perDelivery(cpu.serverSeconds(), received) + ", postgres "
        + perDelivery(cpu.postgresSeconds(), received) + ", bench " + perDelivery(cpu.benchSeconds(), received));
    line(r, "", "local server by thread: " + threads.perSubmission(received) + " per delivery (/proc), of which the "
        + String.format("JIT compilers %.0f µs", threads.compilerMicros(received)));
    r.append('\n');
    Double ratio = null;
    if (baseline != null) {
      ratio = rate / baseline.throughput();
      r.append("Ceiling: a plain Vert.x WebClient posts the same bodies, signed, to the same receivers, ")
          .append(o.concurrency()).append(" in flight; no database\n");
      line(r, "deliveries", String.format("%.0f posts/s  (%d posts in %.2f s, %d failed or missing, %d duplicates)",
          baseline.throughput(), baseline.posts(), baseline.seconds(), baseline.failed(), baseline.duplicates()));
      line(r, "latency", "per post: " + latencies(baseline.latencyMicros()));
      line(r, "cpu", "bench " + baseline.cpu().cores(baseline.cpu().benchSeconds()) + "; machine busy "
          + baseline.cpu().machineBusy());
      r.append('\n');
    }
    r.append("Result\n");
    if (ratio != null) {
      line(r, "ratio", String.format("%.2f  (product %.0f deliveries/s / ceiling %.0f posts/s)%s", ratio, rate,
          baseline.throughput(), o.rate() == 0 ? ""
              : String.format("; offered load %d events/s = %d deliveries/s%s", o.rate(), o.rate() * o.receivers(),
                  rate >= 0.9 * o.rate() * o.receivers() ? " caps the product's rate" : ", not kept up with")));
    }
    line(r, "p99", String.format("%.0f ms   target < %.0f ms: %s", p99, TARGET_P99_MS, p99Met ? "MET" : "NOT MET"));
    line(r, "verdict", (p99Met ? "target met" : "target not met") + (product.duplicates.get() == 0 ? "" : ", "
        + product.duplicates.get() + " duplicates") + (received == expected ? "" : ", " + (expected - received)
        + " missing"));
    System.out.print(r);
    System.out.flush();
  }

  private static String latencies(Histogram h) {
    if (h.getTotalCount() == 0) {
      return "(none)";
    }
    return String.format("p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, p99.9 %.0f ms, max %.0f ms",
        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
  }

  /** CPU seconds as microseconds per delivery. */
  private static String perDelivery(double seconds, long deliveries) {
    return seconds < 0 || deliveries == 0 ? "n/a" : String.format("%.0f µs CPU", seconds * 1e6 / deliveries);
  }

}
