package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.connect;
import static io.leadcycle.bench.BenchSupport.freePort;
import static io.leadcycle.bench.BenchSupport.line;
import static io.leadcycle.bench.BenchSupport.progress;
import static io.leadcycle.bench.BenchSupport.tail;
import static io.leadcycle.bench.BenchSupport.waitForHealth;

import com.sun.net.httpserver.HttpServer;
import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.DatabaseSettings;
import io.leadcycle.segmentation.SegmentEvaluation;
import io.leadcycle.segmentation.SegmentService;
import io.leadcycle.segments.Segment;
import io.leadcycle.segments.SegmentParser;
import io.leadcycle.store.SegmentStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Segment benchmark (issue 26, point 5; docs/performance.md). Seeds contacts, accounts, one lead each with a score
 * in one model, and interactions ({@link ScoringSeed}, {@code generate_series}), then:
 * <ol>
 *   <li>(a) a full evaluation of a segment on account size, a lead score and three email clicks in 30 days,
 *   through the product ({@link SegmentEvaluation}: the compiled statement that also writes the members, their
 *   events and the count), against the same query written by hand doing the same writes (members and events)
 *   in the same run, from the same empty membership, alternating; medians and their ratio (target: 1.5×). Both
 *   sides' members are compared.</li>
 *   <li>(b) through the local server (a child process on the same database, its timers as template.yaml suggests):
 *   a contact one click short of the segment gets its clicks through {@code POST /v1/interactions}; the time from
 *   that write to its signed {@code contact.segment_joined} webhook at a receiver on loopback (target: under 5 s).</li>
 * </ol>
 * {@code --short}: 10k contacts, 100k interactions, 3 rounds, 5 samples (about a minute).
 */
public final class SegmentBenchmark {

  private static final String USAGE = """
      usage: infra/bench/run-segments.sh [--short] [--contacts N] [--interactions N] [--rounds N] [--samples N]
                                         [--timers SECONDS] [--fsync on|off] [--keep-files]
        defaults: 100,000 contacts, 1,000,000 interactions, 5 rounds of (a), 20 samples of (b), fsync on
        --short: 10,000 contacts, 100,000 interactions, 3 rounds, 5 samples
        --timers 60: the local server's score-recalculation, segment-evaluation and threshold-notification timers
          every 60 s, as AWS's schedules, so (b) measures the nudges alone (default: template.yaml's 1 s)
      """;

  record Options(int contacts, int interactions, int rounds, int samples, boolean fsync, boolean keepFiles,
      Path localJar, int timers) {
    static Options parse(String[] args) {
      int contacts = 100_000;
      int interactions = 1_000_000;
      int rounds = 5;
      int samples = 20;
      boolean fsync = true;
      boolean keep = false;
      int timers = 0;
      for (BenchSupport.Argument a : BenchSupport.arguments(args, USAGE, Set.of("--short", "--keep-files"))) {
        switch (a.name()) {
          case "--short" -> {
            contacts = 10_000;
            interactions = 100_000;
            rounds = 3;
            samples = 5;
          }
          case "--keep-files" -> keep = true;
          case "--contacts" -> contacts = BenchSupport.positive(a.name(), a.value(), 100);
          case "--interactions" -> interactions = BenchSupport.positive(a.name(), a.value(), 100);
          case "--rounds" -> rounds = BenchSupport.positive(a.name(), a.value(), 1);
          case "--samples" -> samples = BenchSupport.positive(a.name(), a.value(), 0);
          case "--timers" -> timers = BenchSupport.positive(a.name(), a.value(), 1);
          case "--fsync" -> fsync = BenchSupport.oneOf(a.name(), a.value(), "on", "off").equals("on");
          default -> throw new IllegalArgumentException("unknown option " + a.name() + "\n" + USAGE);
        }
      }
      return new Options(contacts, interactions, rounds, samples, fsync, keep,
          Path.of("infra/local/target/leadcycle-local.jar"), timers);
    }
  }

  private static final class Resources extends BenchSupport.Resources {
    volatile BenchDatabase database;
    volatile Database product;
    volatile Process server;
    volatile HttpServer receiver;
    private boolean closed;

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (receiver != null) {
        receiver.stop(0);
      }
      BenchSupport.stop(server);
      if (product != null) {
        try {
          product.close();
        } catch (RuntimeException e) {
          System.err.println("bench: closing the pool: " + e);
        }
      }
      closeDatabaseAndFiles(database);
    }
  }

  private SegmentBenchmark() {
  }

  public static void main(String[] args) {
    Options options = BenchSupport.optionsOrExit(() -> Options.parse(args));
    if (options.samples() > 0 && !Files.isRegularFile(options.localJar())) {
      System.err.println("bench: " + options.localJar().toAbsolutePath() + " does not exist. Run infra/bench/run-segments.sh "
          + "(it builds it), or pass --samples 0.");
      System.exit(2);
    }
    Resources resources = new Resources();
    BenchSupport.runAndExit(resources, "(server.log)", () -> run(options, resources));
  }

  /** The segment: "people at companies over 500 employees with a lead scoring 50+ who clicked 3 emails in 30 days". */
  static Map<String, Object> definition(UUID modelId) {
    return Map.of("all", List.of(
        Map.of("field", "account.employeeCount", "op", "gt", "value", 500),
        Map.of("leads", "any", "where", List.of(
            Map.of("field", "score", "model", modelId.toString(), "op", "gte", "value", 50))),
        Map.of("interactions", "any", "atLeast", 3, "where", List.of(
            Map.of("field", "type", "op", "equals", "value", "email_clicked"),
            Map.of("field", "occurredAt", "op", "withinDays", "value", 30)))));
  }

  /**
   * The same query as a person would write it for this one segment (the clicks aggregated once, then joined), with
   * the same writes: members and one event each.
   */
  private static final String BASELINE = """
      WITH clicked AS (
        SELECT contact_id FROM interactions
         WHERE type = 'email_clicked' AND occurred_at >= now() - interval '30 days'
         GROUP BY contact_id HAVING count(*) >= 3
      ), target AS (
        SELECT c.id FROM clicked k JOIN contacts c ON c.id = k.contact_id JOIN accounts a ON a.id = c.account_id
         WHERE a.employee_count > 500
           AND EXISTS (SELECT 1 FROM leads l JOIN lead_scores s ON s.lead_id = l.id AND s.model_id = ?
                        WHERE l.contact_id = c.id AND s.score >= 50)
      ), joined AS (
        INSERT INTO segment_members (segment_id, contact_id, joined_at) SELECT ?, id, now() FROM target
        RETURNING contact_id
      )
      INSERT INTO outbox (type, contact_id, payload)
      SELECT 'contact.segment_joined', c.id, jsonb_build_object('schemaVersion', 1,
               'segment', jsonb_build_object('id', ?::uuid, 'name', 'baseline'),
               'contact', jsonb_build_object('id', c.id, 'email', c.email, 'firstName', c.first_name,
                                             'lastName', c.last_name, 'accountId', c.account_id), 'at', now()::text)
        FROM joined j JOIN contacts c ON c.id = j.contact_id""";

  private static void run(Options o, Resources resources) throws Exception {
    String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    resources.keepFiles = o.keepFiles();
    Path work = Files.createTempDirectory("leadcycle-bench-segments-");
    resources.workDirectory = work;
    String load = BenchSupport.loadAverage();

    progress("starting a fresh embedded PostgreSQL and migrating it");
    BenchDatabase database = BenchDatabase.startMigrated(o.fsync());
    resources.database = database;
    BenchSupport.prepareDatabase(database, "on");
    long t0 = System.nanoTime();
    UUID modelId = UUID.randomUUID();
    progress(String.format(Locale.ROOT, "seeding %,d contacts, %,d interactions, one scored lead each",
        o.contacts(), o.interactions()));
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      ScoringSeed.seed(c, new ScoringSeed.Sizes(Math.max(1, o.contacts() / 4), o.contacts(), o.interactions(), 0.8), 0.26);
      // A retired model (segments may name one; score recalculation leaves it alone) and a score per lead.
      s.execute("INSERT INTO scoring_models (id, name, target, status, definition) VALUES ('" + modelId
          + "', 'Bench fit', 'contact', 'retired', '{}')");
      s.execute("INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at) "
          + "SELECT id, '" + modelId + "', floor(random() * 101)::int, 'B', false, '[]', now() FROM leads");
    }
    BenchSupport.analyze(database);
    double seedSeconds = (System.nanoTime() - t0) / 1e9;

    DatabaseSettings settings = new DatabaseSettings("localhost", database.port(), BenchDatabase.DATABASE,
        BenchDatabase.USER, "", "disable", 2);
    Database product = Database.connect(settings.withPoolSize(2), 1);
    resources.product = product;
    SegmentService segments = new SegmentService(product, Clock.systemUTC());
    SegmentEvaluation evaluation = new SegmentEvaluation(product, Clock.systemUTC());
    Segment segment = segments.create(SegmentParser.segment(Map.of("name", "Large, scored, clicking", "kind", "dynamic",
        "definition", definition(modelId)))).await();
    Segment baselineSegment = segments.create(SegmentParser.segment(Map.of("name", "baseline", "kind", "static"))).await();
    long members = segment.memberCount();
    progress(String.format(Locale.ROOT, "(a) the segment has %,d members; %d rounds, baseline and product alternating",
        members, o.rounds()));

    List<Double> productSeconds = new ArrayList<>();
    List<Double> baselineSeconds = new ArrayList<>();
    Set<UUID> productMembers = Set.of();
    Set<UUID> baselineMembers = Set.of();
    for (int round = 0; round < o.rounds(); round++) {
      empty(database, baselineSegment.id());
      long b0 = System.nanoTime();
      try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement(BASELINE)) {
        ps.setObject(1, modelId);
        ps.setObject(2, baselineSegment.id());
        ps.setObject(3, baselineSegment.id());
        ps.executeUpdate();
      }
      baselineSeconds.add((System.nanoTime() - b0) / 1e9);
      baselineMembers = members(database, baselineSegment.id());

      empty(database, segment.id());
      long p0 = System.nanoTime();
      SegmentStore.Changes changes = evaluation.evaluate(segment.id()).await();
      productSeconds.add((System.nanoTime() - p0) / 1e9);
      productMembers = members(database, segment.id());
      if (changes.joined() != productMembers.size()) {
        throw new BenchmarkFailure("the product announced " + changes.joined() + " joins for " + productMembers.size()
            + " members");
      }
      progress(String.format(Locale.ROOT, "(a) round %d: baseline %.3f s, product %.3f s", round + 1,
          baselineSeconds.get(round), productSeconds.get(round)));
    }
    if (!productMembers.equals(baselineMembers)) {
      throw new BenchmarkFailure("the product's members differ from the hand-written query's: " + productMembers.size()
          + " vs " + baselineMembers.size());
    }
    double productMedian = median(productSeconds);
    double baselineMedian = median(baselineSeconds);

    List<Double> latencies = o.samples() == 0 ? List.of()
        : throughTheLocalServer(o, database, work, resources, segment.id(), modelId);

    StringBuilder r = new StringBuilder();
    BenchSupport.header(r, "segment", System.getenv().getOrDefault("LEADCYCLE_BENCH_COMMAND", "SegmentBenchmark"),
        startedAt, load, "both phases");
    line(r, "data", String.format(Locale.ROOT, "%,d contacts (80 %% in %,d accounts), one lead each scored in one model, "
        + "%,d interactions over 90 days; seeded in %.1f s; fsync %s", o.contacts(), Math.max(1, o.contacts() / 4),
        o.interactions(), seedSeconds, o.fsync() ? "on" : "off"));
    line(r, "segment", "account.employeeCount > 500, a lead scoring >= 50 in the model, >= 3 email_clicked in 30 days: "
        + String.format(Locale.ROOT, "%,d members (the same with both sides)", productMembers.size()));
    line(r, "(a) sql", String.format(Locale.ROOT, "median %.3f s of %d (hand-written: the query, members, events)",
        baselineMedian, baselineSeconds.size()));
    line(r, "(a) product", String.format(Locale.ROOT, "median %.3f s of %d (SegmentEvaluation.evaluate: compiled "
        + "statement, members, events, count)", productMedian, productSeconds.size()));
    line(r, "(a) ratio", String.format(Locale.ROOT, "%.2f× (target 1.5×) %s", productMedian / baselineMedian,
        productMedian / baselineMedian <= 1.5 ? "MET" : "NOT MET"));
    if (!latencies.isEmpty()) {
      List<Double> sorted = latencies.stream().sorted().toList();
      double max = sorted.get(sorted.size() - 1);
      line(r, "(b) change", String.format(Locale.ROOT, "POST /v1/interactions → contact.segment_joined webhook: p50 %.2f s,"
          + " p90 %.2f s, max %.2f s of %d (target < 5 s) %s; timers %s", rank(sorted, 0.5), rank(sorted, 0.9), max,
          sorted.size(), max < 5 ? "MET" : "NOT MET", o.timers() > 0 ? "every " + o.timers() + " s (the nudges alone)"
              : "template.yaml's (1 s) and the nudges"));
    }
    System.out.print(r);
  }

  private static List<Double> throughTheLocalServer(Options o, BenchDatabase database, Path work, Resources resources,
      UUID segmentId, UUID modelId) throws Exception {
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/journeys", exchange -> {
      long at = System.nanoTime();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonObject event = new JsonObject(body);
      if ("contact.segment_joined".equals(event.getString("type"))) {
        arrived.putIfAbsent(event.getJsonObject("data").getJsonObject("contact").getString("id"), at);
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    resources.receiver = receiver;

    int port = freePort();
    String token = BenchSupport.newToken();
    Path log = work.resolve("server.log");
    progress("(b) starting the local server on port " + port + " (log: " + log + ")");
    ProcessBuilder builder = BenchSupport.localServer(o.localJar(), List.of(), database, port, token, log);
    builder.environment().put("LEADCYCLE_DATA_DIR", work.resolve("local-data").toString());
    builder.environment().keySet().removeIf(name -> name.startsWith("LEADCYCLE_SCHEDULE_SECONDS"));
    if (o.timers() > 0) {
      for (String function : List.of("SCORE_RECALCULATION", "SEGMENT_EVALUATION", "THRESHOLD_NOTIFICATION")) {
        builder.environment().put("LEADCYCLE_SCHEDULE_SECONDS_" + function, Integer.toString(o.timers()));
      }
    }
    Process server = builder.start();
    resources.server = server;
    waitForHealth(server, port, log);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    call(http, port, token, "POST", "/v1/subscribers", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/journeys")
        .put("events", new JsonArray().add("contact.segment_joined")), log);

    List<Candidate> candidates = candidates(database, segmentId, modelId, o.samples());
    progress("(b) " + candidates.size() + " contacts one to three clicks short of the segment, one at a time");
    List<Double> seconds = new ArrayList<>();
    int n = 0;
    for (Candidate candidate : candidates) {
      Thread.sleep(200 + (n++ * 137) % 800); // anywhere in the timers' periods
      JsonArray interactions = new JsonArray();
      for (int i = 0; i < 3 - candidate.clicks(); i++) {
        interactions.add(new JsonObject().put("sourceId", "bench:segment:" + candidate.id() + ":" + i)
            .put("type", "email_clicked").put("contactId", candidate.id().toString())
            .put("occurredAt", Instant.now().toString())
            .put("context", new JsonObject().put("kind", "campaign").put("id", "newsletter-1").put("name", "Newsletter")));
      }
      long written = System.nanoTime();
      call(http, port, token, "POST", "/v1/interactions", new JsonObject().put("interactions", interactions), log);
      long deadline = written + Duration.ofSeconds(60).toNanos();
      while (!arrived.containsKey(candidate.id().toString())) {
        if (System.nanoTime() > deadline) {
          throw new BenchmarkFailure("no join for " + candidate.id() + " 60 s after its clicks:\n" + tail(log));
        }
        Thread.sleep(5);
      }
      seconds.add((arrived.get(candidate.id().toString()) - written) / 1e9);
    }
    return seconds;
  }

  private record Candidate(UUID id, int clicks) {
  }

  /** Contacts that fit but for their clicks (0–2 in 30 days), not members. */
  private static List<Candidate> candidates(BenchDatabase database, UUID segmentId, UUID modelId, int n) throws SQLException {
    List<Candidate> found = new ArrayList<>();
    try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement("""
        SELECT c.id, (SELECT count(*) FROM interactions i WHERE i.contact_id = c.id AND i.type = 'email_clicked'
                         AND i.occurred_at >= now() - interval '30 days') AS clicks
          FROM contacts c JOIN accounts a ON a.id = c.account_id
         WHERE a.employee_count > 500
           AND EXISTS (SELECT 1 FROM leads l JOIN lead_scores s ON s.lead_id = l.id AND s.model_id = ?
                        WHERE l.contact_id = c.id AND s.score >= 50)
           AND NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.contact_id = c.id)
         ORDER BY md5(c.id::text) LIMIT ?""")) {
      ps.setObject(1, modelId);
      ps.setObject(2, segmentId);
      ps.setInt(3, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(new Candidate(rs.getObject(1, UUID.class), rs.getInt(2)));
        }
      }
    }
    if (found.size() < n) {
      throw new BenchmarkFailure("only " + found.size() + " contacts to sample");
    }
    return found;
  }

  private static void call(HttpClient http, int port, String token, String method, String path, JsonObject body, Path log)
      throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + token)
        .header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new BenchmarkFailure(method + " " + path + " answered " + response.statusCode() + ": " + response.body()
          + "\n" + tail(log));
    }
  }

  /** Empties a segment's membership and its events, so each round starts from the same state. */
  private static void empty(BenchDatabase database, UUID segmentId) throws SQLException {
    try (Connection c = connect(database); PreparedStatement members = c.prepareStatement(
        "DELETE FROM segment_members WHERE segment_id = ?");
        Statement s = c.createStatement()) {
      members.setObject(1, segmentId);
      members.executeUpdate();
      s.execute("DELETE FROM outbox WHERE contact_id IS NOT NULL");
      s.execute("UPDATE segments SET member_count = 0");
      s.execute("VACUUM ANALYZE segment_members");
      s.execute("VACUUM outbox");
    }
  }

  private static Set<UUID> members(BenchDatabase database, UUID segmentId) throws SQLException {
    Set<UUID> members = new HashSet<>();
    try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement(
        "SELECT contact_id FROM segment_members WHERE segment_id = ?")) {
      ps.setObject(1, segmentId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          members.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return members;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  private static double rank(List<Double> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
