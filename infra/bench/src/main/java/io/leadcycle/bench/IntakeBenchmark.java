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
import io.vertx.core.http.HttpClientOptions;
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
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
        --warmup W              submissions before measuring, at least (default 2000); then the warm-up goes
                                on in slices of --warmup-slice (2000) until the JIT compiler threads
                                (local server + load generator) used less than --warmup-jit (25) µs per
                                submission in the last slice, or --warmup-max (60000) were sent in all
        --warmup-slice N, --warmup-jit MICROS, --warmup-max N   see --warmup
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
        --short                 the CI check: 3000 submissions after 500-2000 warm-up (slices of 500), pgbench
                                for 4 s;
                                prints the ratio and the CPU per submission without judging them (a
                                short run on a shared machine is noisy), and still fails on any answer
                                but 201 (later options override its sizes)
        --jfr FILE              record the local server with JFR over the measured phases (jcmd
                                JFR.start/JFR.stop) into FILE and print where its CPU samples went
        --record                append this run's row to the dated table in docs/performance.md
        --background B          the local server's other functions that the submissions give work (score
                                recalculation: the marked contacts; threshold notification: the lead.created
                                events): "after" (default) holds their timers and nudges back during the
                                measured phases and runs them by hand afterwards, printing their CPU per
                                submission separately; "during" runs them as template.yaml says (every
                                second, nudged), so both phases share the machine with them
        --statements N          load pg_stat_statements and print each phase's N statements that took the
                                most time (of the last round), with calls per submission / transaction
        --keep-files            keep the work directory (pgbench script and logs, server log)
      """;

  record Options(int requests, int concurrency, int warmup, int warmupSlice, int warmupJitMicros, int warmupMax, int pgbenchSeconds, int rounds, String pgbenchProtocol,
      boolean fsync, String synchronousCommit, boolean analyze, Integer handlerThreads, List<String> serverJvmArgs,
      Path localJar, boolean keepFiles, boolean shortMode, Path jfr, boolean record, int statements,
      boolean backgroundDuring) {

    static Options parse(String[] args) {
      int requests = 20_000;
      int concurrency = 16;
      int warmup = 2_000;
      int warmupSlice = 2_000;
      int warmupJit = 25;
      int warmupMax = 60_000;
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
      boolean shortMode = false;
      Path jfr = null;
      boolean record = false;
      int statements = 0;
      boolean backgroundDuring = false;
      List<BenchSupport.Argument> arguments = BenchSupport.arguments(args, USAGE,
          Set.of("--keep-files", "--no-analyze", "--short", "--record"));
      // --short sets the sizes first, so that an explicit --requests (wherever it is written) wins.
      if (arguments.stream().anyMatch(a -> a.name().equals("--short"))) {
        shortMode = true;
        requests = 3_000;
        warmup = 500;
        warmupSlice = 500;
        warmupMax = 2_000;
        pgbenchSeconds = 4;
      }
      for (BenchSupport.Argument argument : arguments) {
        String name = argument.name();
        String value = argument.value();
        switch (name) {
          case "--keep-files" -> keep = true;
          case "--no-analyze" -> analyze = false;
          case "--short" -> shortMode = true;
          case "--record" -> record = true;
          case "--jfr" -> jfr = Path.of(value).toAbsolutePath();
          case "--requests" -> requests = positive(name, value, 1);
          case "--concurrency" -> concurrency = positive(name, value, 1);
          case "--warmup" -> warmup = positive(name, value, 0);
          case "--warmup-slice" -> warmupSlice = positive(name, value, 1);
          case "--warmup-jit" -> warmupJit = positive(name, value, 0);
          case "--warmup-max" -> warmupMax = positive(name, value, 0);
          case "--pgbench-seconds" -> pgbenchSeconds = positive(name, value, 1);
          case "--rounds" -> rounds = positive(name, value, 1);
          case "--pgbench-protocol" -> protocol = oneOf(name, value, "simple", "extended", "prepared");
          case "--fsync" -> fsync = oneOf(name, value, "on", "off").equals("on");
          case "--synchronous-commit" -> synchronousCommit = oneOf(name, value, "on", "off");
          case "--handler-threads" -> handlerThreads = positive(name, value, 1);
          case "--server-jvm-arg" -> jvmArgs.add(value);
          case "--local-jar" -> localJar = Path.of(value);
          case "--statements" -> statements = positive(name, value, 1);
          case "--background" -> backgroundDuring = oneOf(name, value, "after", "during").equals("during");
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      if (rounds > requests) {
        throw new IllegalArgumentException("--rounds must not exceed --requests");
      }
      return new Options(requests, concurrency, warmup, warmupSlice, warmupJit, Math.max(warmup, warmupMax), pgbenchSeconds, rounds, protocol, fsync, synchronousCommit, analyze,
          handlerThreads, List.copyOf(jvmArgs), localJar, keep, shortMode, jfr, record, statements,
          backgroundDuring);
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
    BenchDatabase database = BenchDatabase.startMigrated(o.fsync(), o.statements() == 0 ? Map.of()
        : Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all"));
    resources.database = database;
    DatabaseInfo dbInfo = prepareDatabase(database, o.synchronousCommit());
    if (o.statements() > 0) {
      sql(database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
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
    io.vertx.core.http.HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(o.concurrency()));
    SubmissionLoad load = new SubmissionLoad(vertx, client, port, formId, secret, runId);

    WarmUp warmUp = warmUp(o, load, server, serverLog);
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
    int sent = warmUp.submissions();
    ServerThreads.Tally threads = new ServerThreads.Tally();
    List<String> productStatements = List.of();
    List<String> pgbenchStatements = List.of();
    if (o.jfr() != null) {
      ServerProfile.start(server);
    }
    for (int round = 1; round <= o.rounds(); round++) {
      int requests = o.requests() / o.rounds() + (round <= o.requests() % o.rounds() ? 1 : 0);
      String of = o.rounds() == 1 ? "" : " (round " + round + " of " + o.rounds() + ")";
      progress("measuring: " + requests + " submissions at concurrency " + o.concurrency() + of);
      // Signed before the clock starts (the load generator's CPU in the phase is then its sending).
      List<SubmissionLoad.Prepared> prepared = load.prepare(sent, requests);
      CpuMeter.Snapshot before = cpu.snapshot(server.toHandle());
      // Per thread group over the product phases only (pgbench's phases in between would add idle time).
      ServerThreads.Snapshot threadsStart = ServerThreads.snapshot(server.pid());
      resetStatements(o, database);
      SubmissionLoad.Result part = load.run("measured", prepared, o.concurrency());
      CpuMeter.Usage partCpu = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
      threads.add(threadsStart, ServerThreads.snapshot(server.pid()));
      requireAllCreated(part, serverLog);
      productStatements = topStatements(o, database, part.requests());
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
      resetStatements(o, database);
      PgbenchIntake.Result ceiling = PgbenchIntake.run(work, Integer.toString(round), script, database.port(),
          o.concurrency(), seconds, o.pgbenchProtocol());
      CpuMeter.Usage ceilingCpu = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
      if (ceiling.failed() > 0) {
        throw new BenchmarkFailure("pgbench reported " + ceiling.failed() + " failed transactions:\n"
            + ceiling.output());
      }
      ceilings.add(ceiling);
      pgbenchStatements = topStatements(o, database, ceiling.transactions());
      pgbenchCpu = pgbenchCpu == null ? ceilingCpu : pgbenchCpu.plus(ceilingCpu);
      if (o.analyze() && round < o.rounds()) {
        analyze(database);
      }
    }
    if (o.jfr() != null) {
      ServerProfile.stop(server, o.jfr());
    }
    Background background = o.backgroundDuring() ? null : catchUp(cpu, server, database, port, token);
    long stored = countContacts(database, "bench-" + runId + "-%");
    if (stored != sent) {
      throw new BenchmarkFailure("expected " + sent + " new contacts from the HTTP run in the database, found " + stored);
    }
    PgbenchIntake.Result ceiling = PgbenchIntake.combine(ceilings);

    String command = System.getenv().getOrDefault("LEADCYCLE_BENCH_COMMAND",
        ("java -jar infra/bench/target/leadcycle-bench.jar " + String.join(" ", args)).strip());
    String profile = o.jfr() == null ? null : ServerProfile.summary(o.jfr(), 25);
    String row = report(o, command, startedAt, loadBefore + " before, " + loadAverage() + " after", dbInfo, product,
        productCpu, ceiling, pgbenchCpu, serverLog, profile, threads, productStatements, pgbenchStatements, background, warmUp);
    if (o.record()) {
      RunTable.append(Path.of("docs/performance.md"), row);
      progress("added this run's row to the table in docs/performance.md");
    }
  }

  /** How long the warm-up went on, and the JIT compilers' CPU per submission in its last slice. */
  record WarmUp(int submissions, int slices, double seconds, double lastSliceJitMicros) {
  }

  /**
   * Warms the local server up until its JIT compilers have quieted: the compilation that follows the first
   * requests is the JVM's start-up, not what a submission costs once it runs (a function environment serves
   * many). Slices go on until the compiler threads (the local server's and this JVM's) used less than {@code --warmup-jit} µs per submission in
   * the last one, or {@code --warmup-max} submissions were sent.
   */
  private static WarmUp warmUp(Options o, SubmissionLoad load, Process server, Path serverLog) {
    int sent = 0;
    int slices = 0;
    double jit = Double.NaN;
    double seconds = 0;
    int size = o.warmup();
    long self = ProcessHandle.current().pid();
    while (size > 0) {
      ServerThreads.Snapshot start = ServerThreads.snapshot(server.pid());
      // The load generator's JVM compiles too, on the same two cores: its warm-up counts as well.
      ServerThreads.Snapshot loadStart = ServerThreads.snapshot(self);
      SubmissionLoad.Result slice = load.run("warm-up", sent, size, o.concurrency());
      requireAllCreated(slice, serverLog);
      jit = ServerThreads.compilerMicros(start, ServerThreads.snapshot(server.pid()), size)
          + ServerThreads.compilerMicros(loadStart, ServerThreads.snapshot(self), size);
      sent += size;
      slices++;
      seconds += slice.seconds();
      progress(String.format(Locale.ROOT, "warm-up: %d submissions so far (%.0f req/s); JIT compilers (local server + "
          + "load generator) %.0f µs per submission in the last %d", sent, slice.throughput(), jit, size));
      size = jit < o.warmupJitMicros() ? 0 : Math.min(o.warmupSlice(), o.warmupMax() - sent);
    }
    return new WarmUp(sent, slices, seconds, jit);
  }

  /** The held-back work of the other functions, done after the measured phases. */
  record Background(long marks, long events, int scoringRuns, int notificationRuns, CpuMeter.Usage cpu) {
  }

  /**
   * Runs score recalculation and threshold notification by hand (their scheduled event, as the timers send it)
   * until no contact is marked and no event waits to be fanned out; their CPU is the submissions' background cost.
   */
  private static Background catchUp(CpuMeter cpu, Process server, BenchDatabase database, int port, String token)
      throws Exception {
    long marks = count(database, "SELECT count(*) FROM contacts_to_rescore");
    long events = count(database, "SELECT count(*) FROM outbox WHERE fanned_out_at IS NULL");
    progress("the other functions' held-back work: scoring " + marks + " marked contacts, fanning out " + events
        + " lead.created events");
    HttpClient http = HttpClient.newHttpClient();
    CpuMeter.Snapshot before = cpu.snapshot(server.toHandle());
    int scoringRuns = 0;
    int notificationRuns = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
    boolean scoring = marks > 0;
    boolean notifying = events > 0;
    while (scoring || notifying) {
      if (System.nanoTime() > deadline) {
        throw new BenchmarkFailure("the other functions' held-back work did not finish in 20 minutes");
      }
      if (scoring) {
        invoke(http, port, token, "score-recalculation");
        scoringRuns++;
        scoring = count(database, "SELECT count(*) FROM contacts_to_rescore") > 0;
      }
      if (notifying) {
        invoke(http, port, token, "threshold-notification");
        notificationRuns++;
        notifying = count(database, "SELECT count(*) FROM outbox WHERE fanned_out_at IS NULL") > 0;
      }
    }
    return new Background(marks, events, scoringRuns, notificationRuns,
        CpuMeter.between(before, cpu.snapshot(server.toHandle())));
  }

  /** {@code POST /_local/invoke/{function}} with EventBridge's scheduled event, as the local timers send it. */
  private static void invoke(HttpClient http, int port, String token, String function) throws Exception {
    String event = new JsonObject().put("version", "0").put("id", java.util.UUID.randomUUID().toString())
        .put("detail-type", "Scheduled Event").put("source", "aws.events").put("account", "000000000000")
        .put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .put("region", "eu-central-1").put("resources", new io.vertx.core.json.JsonArray()
            .add("arn:aws:events:eu-central-1:000000000000:rule/" + function))
        .put("detail", new JsonObject()).encode();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
            + "/_local/invoke/" + function))
        .header("authorization", "Bearer " + token).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || response.headers().firstValue("x-amz-function-error").isPresent()) {
      throw new BenchmarkFailure("POST /_local/invoke/" + function + " answered " + response.statusCode() + ": "
          + response.body());
    }
  }

  private static long count(BenchDatabase database, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), BenchDatabase.USER, "");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(BenchDatabase database, String command) throws SQLException {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), BenchDatabase.USER, "");
        Statement s = c.createStatement()) {
      s.execute(command);
    }
  }

  private static void resetStatements(Options o, BenchDatabase database) throws SQLException {
    if (o.statements() > 0) {
      sql(database, "SELECT pg_stat_statements_reset()");
    }
  }

  /**
   * The phase's statements that took the most time (pg_stat_statements, every database user: the local
   * server's other functions too), with calls per submission or pgbench transaction.
   */
  private static List<String> topStatements(Options o, BenchDatabase database, long units) throws SQLException {
    List<String> top = new ArrayList<>();
    if (o.statements() == 0) {
      return top;
    }
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), BenchDatabase.USER, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT calls, total_exec_time, rows, sum(total_exec_time) OVER (), sum(calls) OVER (),
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
              FROM pg_stat_statements
             WHERE query NOT LIKE '%%pg_stat_statements%%'
             ORDER BY total_exec_time DESC LIMIT %d""".formatted(o.statements()))) {
      while (rs.next()) {
        if (top.isEmpty()) {
          top.add(String.format(Locale.ROOT, "%.0f µs executing, %.1f statements per unit; the most:",
              rs.getDouble(4) * 1000 / units, rs.getDouble(5) / units));
        }
        top.add(String.format(Locale.ROOT, "%6.1f µs %5.2f calls %6.2f rows  %s", rs.getDouble(2) * 1000 / units,
            rs.getLong(1) / (double) units, rs.getLong(3) / (double) units, rs.getString(6)));
      }
    }
    return top;
  }

  private static void statementLines(StringBuilder r, List<String> statements) {
    for (int i = 0; i < statements.size(); i++) {
      line(r, i == 0 ? "statements" : "", statements.get(i));
    }
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
    List<String> jvmArgs = new ArrayList<>(o.serverJvmArgs());
    if (o.jfr() != null) {
      jvmArgs.add(ServerProfile.STACK_DEPTH);
    }
    ProcessBuilder builder = localServer(o.localJar(), jvmArgs, database, port, token, log);
    Map<String, String> env = builder.environment();
    env.put("DB_POOL_SIZE", Integer.toString(o.concurrency()));
    if (o.handlerThreads() != null) {
      env.put("LEADCYCLE_HANDLER_THREADS", Integer.toString(o.handlerThreads()));
    }
    if (!o.backgroundDuring()) {
      // The work the submissions give the other functions (scoring the marked contacts, fanning out the
      // lead.created events) is real, but not intake: held back here, run by hand after the measured
      // phases and reported on its own line (docs/performance.md).
      env.keySet().removeIf(name -> name.startsWith("LEADCYCLE_SCHEDULE_SECONDS"));
      env.put("LEADCYCLE_SCHEDULE_SECONDS", "0");
      env.put("LEADCYCLE_QUEUE_DELIVERY_MILLIS", Integer.toString(24 * 3600 * 1000));
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

  /** Prints the report; returns the run's row for the dated table in docs/performance.md. */
  private static String report(Options o, String command, String startedAt, String load, DatabaseInfo db,
      SubmissionLoad.Result product, CpuMeter.Usage productCpu, PgbenchIntake.Result ceiling,
      CpuMeter.Usage pgbenchCpu, Path serverLog, String profile, ServerThreads.Tally threads,
      List<String> productStatements, List<String> pgbenchStatements, Background background,
      WarmUp warmUp) {
    Histogram h = product.latencyMicros();
    Histogram p = ceiling.latencyMicros();
    double ratio = product.throughput() / ceiling.tps();
    double p99 = ms(h.getValueAtPercentile(99));
    boolean ratioMet = ratio >= TARGET_RATIO;
    boolean p99Met = p99 < TARGET_P99_MS;
    // The local server's CPU time in the measured phase over its submissions: what one submission costs the
    // JVM, whatever else the machine runs (unlike the ratio, which the cores' sharing moves).
    double serverMicros = perSubmission(productCpu.serverSeconds(), product.requests());
    double postgresMicros = perSubmission(productCpu.postgresSeconds(), product.requests());
    double pgbenchPostgresMicros = perSubmission(pgbenchCpu.postgresSeconds(), ceiling.transactions());
    StringBuilder r = new StringBuilder();
    header(r, "intake", command, startedAt, load, "both phases");
    line(r, "postgresql", db.version() + " (embedded, fresh), fsync=" + db.fsync() + ", synchronous_commit="
        + db.synchronousCommit() + ", shared_buffers=" + db.sharedBuffers()
        + (o.analyze() ? ", ANALYZE after warm-up and before pgbench" : ", no ANALYZE"));
    line(r, "load", String.format("%d signed submissions (after %d warm-up), concurrency %d, DB_POOL_SIZE=%d, "
        + "handler threads %s; each a new contact + lead%s", o.requests(), warmUp.submissions(), o.concurrency(),
        o.concurrency(), o.handlerThreads() == null ? "64 (default)" : o.handlerThreads(),
        o.rounds() == 1 ? "" : "; " + o.rounds() + " alternating rounds of product and pgbench"));
    line(r, "warm-up", String.format(Locale.ROOT, "%d submissions in %d slices, %.1f s; the JIT compilers (local server "
        + "+ load generator) used %.0f µs "
        + "per submission in the last slice (stops below %d µs, or at %d submissions)", warmUp.submissions(),
        warmUp.slices(), warmUp.seconds(), warmUp.lastSliceJitMicros(), o.warmupJitMicros(), o.warmupMax()));
    r.append('\n');
    r.append("Product: HTTP -> local server (signature, validation, matching) -> PostgreSQL\n");
    line(r, "throughput", String.format("%.0f req/s  (%d requests in %.2f s, %d non-201)", product.throughput(),
        product.requests(), product.seconds(), product.failed()));
    line(r, "latency", latencies(h));
    line(r, "cpu", "load generator " + productCpu.cores(productCpu.benchSeconds()) + ", local server "
        + productCpu.cores(productCpu.serverSeconds()) + ", postgres " + productCpu.cores(productCpu.postgresSeconds())
        + "; machine busy " + productCpu.machineBusy());
    line(r, "cpu/subm.", "local server " + micros(serverMicros) + ", postgres " + micros(postgresMicros)
        + ", load generator " + micros(perSubmission(productCpu.benchSeconds(), product.requests()))
        + " per submission");
    line(r, "by thread", threads.perSubmission(product.requests()) + " per submission (local server, /proc)");
    statementLines(r, productStatements);
    r.append('\n');
    r.append("Ceiling: pgbench, same statements in one transaction, same database, same clients\n");
    line(r, "command", ceiling.command());
    line(r, "throughput", String.format("%.0f tps  (%d transactions, %d failed)", ceiling.tps(),
        ceiling.transactions(), ceiling.failed()));
    line(r, "latency", String.format("average %.2f ms; ", ceiling.latencyAverageMs()) + latencies(p));
    line(r, "cpu", "pgbench " + pgbenchCpu.cores(pgbenchCpu.pgbenchSeconds()) + ", postgres "
        + pgbenchCpu.cores(pgbenchCpu.postgresSeconds()) + "; machine busy " + pgbenchCpu.machineBusy());
    line(r, "cpu/tx", "postgres " + micros(pgbenchPostgresMicros) + " per transaction");
    statementLines(r, pgbenchStatements);
    r.append('\n');
    if (background == null) {
      r.append("Other functions (score recalculation, threshold notification): ran during both phases, as template.yaml"
          + " says (--background during)\n");
    } else {
      r.append("Other functions' work caused by the submissions: held back during both phases, run by hand after them\n");
      line(r, "work", String.format("score recalculation of %d marked contacts and threshold notification of %d "
          + "lead.created events (every submission and pgbench transaction leaves one of each), %.1f s, %d + %d runs",
          background.marks(), background.events(), background.cpu().wallSeconds(), background.scoringRuns(),
          background.notificationRuns()));
      line(r, "cpu/subm.", "local server " + micros(perSubmission(background.cpu().serverSeconds(), background.marks()))
          + ", postgres " + micros(perSubmission(background.cpu().postgresSeconds(), background.marks()))
          + " per submission, on top of intake's (in AWS: other function invocations, in batches as here)");
    }
    r.append('\n');
    r.append("Result\n");
    line(r, "ratio", String.format("%.2f  (product %.0f req/s / pgbench %.0f tps)   target >= %.1f: %s", ratio,
        product.throughput(), ceiling.tps(), TARGET_RATIO, ratioMet ? "MET" : "NOT MET"));
    line(r, "p99", String.format("%.2f ms   target < %.0f ms: %s", p99, TARGET_P99_MS, p99Met ? "MET" : "NOT MET"));
    line(r, "cpu/subm.", "local server " + micros(serverMicros) + " per submission (its CPU time in the measured "
        + "phase / submissions), of which the JIT compilers " + micros(threads.compilerMicros(product.requests())));
    line(r, "verdict", o.shortMode() ? "short mode: figures printed, not judged (a short run on a shared machine is "
        + "noisy); every answer was 201" : ratioMet && p99Met ? "both targets met" : "target(s) not met");
    if (o.keepFiles()) {
      line(r, "files", serverLog.getParent().toString());
    }
    if (profile != null) {
      r.append('\n');
      r.append("Where the local server's CPU went (JFR over the measured phases: " + o.jfr() + ")\n");
      r.append(profile);
    }
    String row = String.format("| %s | %s | %.2f | %.1f ms | %s | %.0f req/s / %.0f tps | %s |",
        startedAt.substring(0, Math.min(16, startedAt.length())).replace('T', ' '), mode(o, warmUp), ratio, p99,
        micros(serverMicros), product.throughput(), ceiling.tps(),
        load.replaceAll("^(\\S+) \\S+ \\S+ before, (\\S+) .*$", "$1 → $2"));
    r.append('\n');
    line(r, "table row", "(docs/performance.md, intake runs; --record appends it)");
    r.append(row).append('\n');
    System.out.print(r);
    System.out.flush();
    return row;
  }

  /** How this run differs from the full default run, for the table: "short", "full", plus what was changed. */
  private static String mode(Options o, WarmUp warmUp) {
    String mode = o.shortMode() ? "short" : "full";
    String sizes = String.format("%d req after %d warm-up, %d s pgbench", o.requests(), warmUp.submissions(),
        o.pgbenchSeconds());
    String extras = (o.rounds() > 1 ? ", " + o.rounds() + " rounds" : "")
        + (o.pgbenchProtocol().equals("prepared") ? "" : ", -M " + o.pgbenchProtocol())
        + (o.fsync() ? "" : ", fsync off") + (o.jfr() != null ? ", JFR" : "")
        + (o.backgroundDuring() ? ", other functions during" : "")
        + (o.serverJvmArgs().isEmpty() ? "" : ", server " + String.join(" ", o.serverJvmArgs()))
        + (o.localJar().equals(Path.of("infra/local/target/leadcycle-local.jar")) ? "" : ", jar " + o.localJar());
    return mode + " (" + sizes + extras + ")";
  }

  private static double perSubmission(double seconds, long count) {
    return seconds < 0 || count == 0 ? -1 : seconds * 1e6 / count;
  }

  private static String micros(double micros) {
    return micros < 0 ? "n/a" : String.format("%.0f µs", micros);
  }

  private static String latencies(Histogram h) {
    return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
  }

}
