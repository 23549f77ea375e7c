package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.analyze;
import static io.leadcycle.bench.BenchSupport.freePort;
import static io.leadcycle.bench.BenchSupport.line;
import static io.leadcycle.bench.BenchSupport.loadAverage;
import static io.leadcycle.bench.BenchSupport.localServer;
import static io.leadcycle.bench.BenchSupport.ms;
import static io.leadcycle.bench.BenchSupport.newToken;
import static io.leadcycle.bench.BenchSupport.header;
import static io.leadcycle.bench.BenchSupport.prepareDatabase;
import static io.leadcycle.bench.BenchSupport.oneOf;
import static io.leadcycle.bench.BenchSupport.positive;
import static io.leadcycle.bench.BenchSupport.progress;
import static io.leadcycle.bench.BenchSupport.randomBytes;
import static io.leadcycle.bench.BenchSupport.tail;
import static io.leadcycle.bench.BenchSupport.waitForHealth;

import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.leadcycle.bench.BenchSupport.DatabaseInfo;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Intake throughput and latency against the ceiling, in one command (see /BENCHMARKS.md):
 *
 * <ol>
 *   <li>a fresh temporary embedded PostgreSQL, migrated;</li>
 *   <li>the local server ({@code infra/local/target/leadcycle-local.jar}) as a child process on it, with
 *       {@code DB_POOL_SIZE} = the concurrency;</li>
 *   <li>a warm-up, then N signed submissions (each a new person) at concurrency C, latencies in an
 *       HdrHistogram; any answer but 201 fails the run;</li>
 *   <li>pgbench running the same transaction (see {@link PgbenchIntake}) with C clients on the same,
 *       now loaded, database;</li>
 *   <li>a report: throughput, p50/p90/p99/max, pgbench tps, the ratio and the targets
 *       (ratio &gt;= 0.7, p99 &lt; 50 ms), plus who used the CPU in each phase.</li>
 * </ol>
 *
 * <p>Run it with {@code infra/bench/run-intake.sh [options]}; {@code --help} lists the options.
 */
public final class IntakeBenchmark {

  static final double TARGET_RATIO = 0.7;
  static final double TARGET_P99_MS = 50;

  private static final String USAGE = """
      Usage: infra/bench/run-intake.sh [options]
        --requests N            measured submissions (default 20000)
        --concurrency C         submissions in flight, pgbench clients and DB_POOL_SIZE (default 16)
        --warmup W              submissions before measuring (default 2000)
        --pgbench-seconds S     pgbench duration (default 20)
        --pgbench-protocol P    pgbench -M: prepared (default: like the product, which caches its
                                prepared statements), extended (unnamed statements, as the product with
                                DB_PREPARED_STATEMENTS=false) or simple (pgbench's own default)
        --fsync X               on (default, as in production) or off (the project's EmbeddedDatabase,
                                which starts PostgreSQL with -F for tests)
        --synchronous-commit X  on (default: commits wait for the WAL flush, as in production) or off
                                (the embedded PostgreSQL's own default); applies to both sides
        --rounds R              alternate R product phases of N/R requests with R pgbench phases of S/R
                                seconds (default 1: all of the product, then pgbench); R > 1 evens out
                                background noise on a shared machine
        --no-analyze            do not ANALYZE after the warm-up and before pgbench (by default both
                                phases run on fresh planner statistics)
        --handler-threads T     LEADCYCLE_HANDLER_THREADS of the local server (default: its own, 64)
        --server-jvm-arg ARG    extra JVM argument for the local server (repeatable), e.g. a JFR recording
        --local-jar PATH        the local server jar (default infra/local/target/leadcycle-local.jar)
        --keep-files            keep the work directory (pgbench script and logs, server log)
      """;

  record Options(int requests, int concurrency, int warmup, int pgbenchSeconds, int rounds, String pgbenchProtocol,
      boolean fsync, String synchronousCommit, boolean analyze, Integer handlerThreads, List<String> serverJvmArgs,
      Path localJar, boolean keepFiles) {

    static Options parse(String[] args) {
      int requests = 20_000;
      int concurrency = 16;
      int warmup = 2_000;
      int pgbenchSeconds = 20;
      int rounds = 1;
      String protocol = "prepared";
      boolean fsync = true;
      String synchronousCommit = "on";
      boolean analyze = true;
      Integer handlerThreads = null;
      List<String> jvmArgs = new ArrayList<>();
      Path localJar = Path.of("infra/local/target/leadcycle-local.jar");
      boolean keep = false;
      for (BenchSupport.Argument argument : BenchSupport.arguments(args, USAGE,
          Set.of("--keep-files", "--no-analyze"))) {
        String name = argument.name();
        String value = argument.value();
        switch (name) {
          case "--keep-files" -> keep = true;
          case "--no-analyze" -> analyze = false;
          case "--requests" -> requests = positive(name, value, 1);
          case "--concurrency" -> concurrency = positive(name, value, 1);
          case "--warmup" -> warmup = positive(name, value, 0);
          case "--pgbench-seconds" -> pgbenchSeconds = positive(name, value, 1);
          case "--rounds" -> rounds = positive(name, value, 1);
          case "--pgbench-protocol" -> protocol = oneOf(name, value, "simple", "extended", "prepared");
          case "--fsync" -> fsync = oneOf(name, value, "on", "off").equals("on");
          case "--synchronous-commit" -> synchronousCommit = oneOf(name, value, "on", "off");
          case "--handler-threads" -> handlerThreads = positive(name, value, 1);
          case "--server-jvm-arg" -> jvmArgs.add(value);
          case "--local-jar" -> localJar = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      if (rounds > requests) {
        throw new IllegalArgumentException("--rounds must not exceed --requests");
      }
      return new Options(requests, concurrency, warmup, pgbenchSeconds, rounds, protocol, fsync, synchronousCommit, analyze,
          handlerThreads, List.copyOf(jvmArgs), localJar, keep);
    }
  }

  /** Everything started by a run, stopped in reverse order on success, failure and Ctrl-C alike. */
  private static final class Resources extends BenchSupport.Resources {
    volatile BenchDatabase database;
    volatile Process server;
    volatile Process pgbench;
    volatile Vertx vertx;
    private boolean closed;

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (pgbench != null && pgbench.isAlive()) {
        pgbench.destroyForcibly();
      }
      if (vertx != null) {
        try {
          vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.err.println("bench: closing Vert.x: " + e);
        }
      }
      BenchSupport.stop(server);
      closeDatabaseAndFiles(database);
    }
  }

  private IntakeBenchmark() {
  }

  public static void main(String[] args) {
    Options options = BenchSupport.optionsOrExit(() -> Options.parse(args));
    if (!PgbenchIntake.available()) {
      System.err.println("bench: pgbench is not on the PATH. It comes with the PostgreSQL client tools: "
          + "apt-get install postgresql-client");
      System.exit(2);
    }
    if (!Files.isRegularFile(options.localJar())) {
      System.err.println("bench: " + options.localJar().toAbsolutePath() + " does not exist. Run infra/bench/run-intake.sh "
          + "(it builds it), or ./mvnw -q -B -DskipTests package -pl infra/local -am from the repository root.");
      System.exit(2);
    }
    Resources resources = new Resources();
    BenchSupport.runAndExit(resources, "(server.log, pgbench script and logs)", () -> run(options, args, resources));
  }

  private static void run(Options o, String[] args, Resources resources) throws Exception {
    String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    resources.keepFiles = o.keepFiles();
    Path work = Files.createTempDirectory("leadcycle-bench-");
    resources.workDirectory = work;

    progress("starting a fresh embedded PostgreSQL and migrating it");
    String loadBefore = loadAverage();
    BenchDatabase database = BenchDatabase.startMigrated(o.fsync());
    resources.database = database;
    DatabaseInfo dbInfo = prepareDatabase(database, o.synchronousCommit());
    progress("PostgreSQL " + dbInfo.version() + " on port " + database.port() + " (psql -h localhost -p "
        + database.port() + " -U postgres)");

    int port = freePort();
    String token = newToken();
    Path serverLog = work.resolve("server.log");
    progress("starting the local server on port " + port + " (log: " + serverLog + ")");
    Process server = startServer(o, database, port, token, serverLog);
    resources.server = server;
    waitForHealth(server, port, serverLog);

    String runId = HexFormat.of().formatHex(randomBytes(4));
    String formId = "bench-" + runId;
    String formName = "Bench";
    String secret = createForm(port, token, formId, formName);

    Vertx vertx = Vertx.vertx();
    resources.vertx = vertx;
    WebClient client = WebClient.create(vertx,
        new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true).setUserAgent("leadcycle-bench"),
        new PoolOptions().setHttp1MaxSize(o.concurrency()));
    SubmissionLoad load = new SubmissionLoad(vertx, client, port, formId, secret, runId);

    if (o.warmup() > 0) {
      progress("warm-up: " + o.warmup() + " submissions at concurrency " + o.concurrency());
      SubmissionLoad.Result warm = load.run("warm-up", 0, o.warmup(), o.concurrency());
      requireAllCreated(warm, serverLog);
    }
    if (o.analyze()) {
      analyze(database);
    }
    CpuMeter cpu = new CpuMeter(dbInfo.postmasterPid());
    // Measured phases alternate (product, pgbench) round by round, so that both see the same
    // background noise on a shared machine; with --rounds 1 it is one product phase, then pgbench.
    String script = PgbenchIntake.script(formId, formName);
    SubmissionLoad.Result product = null;
    CpuMeter.Usage productCpu = null;
    List<PgbenchIntake.Result> ceilings = new ArrayList<>();
    CpuMeter.Usage pgbenchCpu = null;
    int sent = o.warmup();
    for (int round = 1; round <= o.rounds(); round++) {
      int requests = o.requests() / o.rounds() + (round <= o.requests() % o.rounds() ? 1 : 0);
      String of = o.rounds() == 1 ? "" : " (round " + round + " of " + o.rounds() + ")";
      progress("measuring: " + requests + " submissions at concurrency " + o.concurrency() + of);
      CpuMeter.Snapshot before = cpu.snapshot(server.toHandle());
      SubmissionLoad.Result part = load.run("measured", sent, requests, o.concurrency());
      CpuMeter.Usage partCpu = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
      requireAllCreated(part, serverLog);
      sent += requests;
      product = product == null ? part : product.plus(part);
      productCpu = productCpu == null ? partCpu : productCpu.plus(partCpu);

      if (o.analyze()) {
        analyze(database);
      }
      int seconds = Math.max(1, Math.round((float) o.pgbenchSeconds() / o.rounds()));
      progress("pgbench: the same transaction, " + o.concurrency() + " clients, " + seconds + " s, -M "
          + o.pgbenchProtocol() + of);
      before = cpu.snapshot(server.toHandle());
      PgbenchIntake.Result ceiling = PgbenchIntake.run(work, Integer.toString(round), script, database.port(),
          o.concurrency(), seconds, o.pgbenchProtocol());
      CpuMeter.Usage ceilingCpu = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
      if (ceiling.failed() > 0) {
        throw new BenchmarkFailure("pgbench reported " + ceiling.failed() + " failed transactions:\n"
            + ceiling.output());
      }
      ceilings.add(ceiling);
      pgbenchCpu = pgbenchCpu == null ? ceilingCpu : pgbenchCpu.plus(ceilingCpu);
      if (o.analyze() && round < o.rounds()) {
        analyze(database);
      }
    }
    long stored = countContacts(database, "bench-" + runId + "-%");
    if (stored != sent) {
      throw new BenchmarkFailure("expected " + sent + " new contacts from the HTTP run in the database, found " + stored);
    }
    PgbenchIntake.Result ceiling = PgbenchIntake.combine(ceilings);

    String command = System.getenv().getOrDefault("LEADCYCLE_BENCH_COMMAND",
        ("java -jar infra/bench/target/leadcycle-bench.jar " + String.join(" ", args)).strip());
    report(o, command, startedAt, loadBefore + " before, " + loadAverage() + " after", dbInfo, product, productCpu,
        ceiling, pgbenchCpu, serverLog);
  }

  private static long countContacts(BenchDatabase database, String emailPattern) throws SQLException {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), BenchDatabase.USER, "");
        var ps = c.prepareStatement("SELECT count(*) FROM contacts WHERE email_norm LIKE ?")) {
      ps.setString(1, emailPattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Process startServer(Options o, BenchDatabase database, int port, String token, Path log)
      throws IOException {
    ProcessBuilder builder = localServer(o.localJar(), o.serverJvmArgs(), database, port, token, log);
    Map<String, String> env = builder.environment();
    env.put("DB_POOL_SIZE", Integer.toString(o.concurrency()));
    if (o.handlerThreads() != null) {
      env.put("LEADCYCLE_HANDLER_THREADS", Integer.toString(o.handlerThreads()));
    }
    return builder.start();
  }

  private static String createForm(int port, String token, String formId, String name) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body = new JsonObject().put("name", name).put("kind", "marketing_page").encode();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
            + "/v1/forms/" + formId))
        .header("authorization", "Bearer " + token)
        .header("content-type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new BenchmarkFailure("PUT /v1/forms/" + formId + " answered " + response.statusCode() + ": "
          + response.body());
    }
    String secret = new JsonObject(response.body()).getString("signingSecret");
    if (secret == null) {
      throw new BenchmarkFailure("PUT /v1/forms/" + formId + " returned no signingSecret: " + response.body());
    }
    return secret;
  }

  private static void requireAllCreated(SubmissionLoad.Result result, Path serverLog) {
    if (result.failed() > 0) {
      throw new BenchmarkFailure(result.failed() + " of " + result.requests()
          + " submissions were not answered with 201. First ones:\n  " + String.join("\n  ", result.failureSamples())
          + "\nserver log (tail):\n" + tail(serverLog));
    }
  }

  private static void report(Options o, String command, String startedAt, String load, DatabaseInfo db,
      SubmissionLoad.Result product, CpuMeter.Usage productCpu, PgbenchIntake.Result ceiling,
      CpuMeter.Usage pgbenchCpu, Path serverLog) {
    Histogram h = product.latencyMicros();
    Histogram p = ceiling.latencyMicros();
    double ratio = product.throughput() / ceiling.tps();
    double p99 = ms(h.getValueAtPercentile(99));
    boolean ratioMet = ratio >= TARGET_RATIO;
    boolean p99Met = p99 < TARGET_P99_MS;
    StringBuilder r = new StringBuilder();
    header(r, "intake", command, startedAt, load, "both phases");
    line(r, "postgresql", db.version() + " (embedded, fresh), fsync=" + db.fsync() + ", synchronous_commit="
        + db.synchronousCommit() + ", shared_buffers=" + db.sharedBuffers()
        + (o.analyze() ? ", ANALYZE after warm-up and before pgbench" : ", no ANALYZE"));
    line(r, "load", String.format("%d signed submissions (after %d warm-up), concurrency %d, DB_POOL_SIZE=%d, "
        + "handler threads %s; each a new contact + lead%s", o.requests(), o.warmup(), o.concurrency(),
        o.concurrency(), o.handlerThreads() == null ? "64 (default)" : o.handlerThreads(),
        o.rounds() == 1 ? "" : "; " + o.rounds() + " alternating rounds of product and pgbench"));
    r.append('\n');
    r.append("Product: HTTP -> local server (signature, validation, matching) -> PostgreSQL\n");
    line(r, "throughput", String.format("%.0f req/s  (%d requests in %.2f s, %d non-201)", product.throughput(),
        product.requests(), product.seconds(), product.failed()));
    line(r, "latency", latencies(h));
    line(r, "cpu", "load generator " + productCpu.cores(productCpu.benchSeconds()) + ", local server "
        + productCpu.cores(productCpu.serverSeconds()) + ", postgres " + productCpu.cores(productCpu.postgresSeconds())
        + "; machine busy " + productCpu.machineBusy());
    r.append('\n');
    r.append("Ceiling: pgbench, same statements in one transaction, same database, same clients\n");
    line(r, "command", ceiling.command());
    line(r, "throughput", String.format("%.0f tps  (%d transactions, %d failed)", ceiling.tps(),
        ceiling.transactions(), ceiling.failed()));
    line(r, "latency", String.format("average %.2f ms; ", ceiling.latencyAverageMs()) + latencies(p));
    line(r, "cpu", "pgbench " + pgbenchCpu.cores(pgbenchCpu.pgbenchSeconds()) + ", postgres "
        + pgbenchCpu.cores(pgbenchCpu.postgresSeconds()) + "; machine busy " + pgbenchCpu.machineBusy());
    r.append('\n');
    r.append("Result\n");
    line(r, "ratio", String.format("%.2f  (product %.0f req/s / pgbench %.0f tps)   target >= %.1f: %s", ratio,
        product.throughput(), ceiling.tps(), TARGET_RATIO, ratioMet ? "MET" : "NOT MET"));
    line(r, "p99", String.format("%.2f ms   target < %.0f ms: %s", p99, TARGET_P99_MS, p99Met ? "MET" : "NOT MET"));
    line(r, "verdict", ratioMet && p99Met ? "both targets met" : "target(s) not met");
    if (o.keepFiles()) {
      line(r, "files", serverLog.getParent().toString());
    }
    System.out.print(r);
    System.out.flush();
  }

  private static String latencies(Histogram h) {
    return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
  }

}
