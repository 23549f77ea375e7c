package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.connect;
import static io.leadcycle.bench.BenchSupport.freePort;
import static io.leadcycle.bench.BenchSupport.header;
import static io.leadcycle.bench.BenchSupport.line;
import static io.leadcycle.bench.BenchSupport.loadAverage;
import static io.leadcycle.bench.BenchSupport.localServer;
import static io.leadcycle.bench.BenchSupport.newToken;
import static io.leadcycle.bench.BenchSupport.oneOf;
import static io.leadcycle.bench.BenchSupport.prepareDatabase;
import static io.leadcycle.bench.BenchSupport.progress;
import static io.leadcycle.bench.BenchSupport.tail;
import static io.leadcycle.bench.BenchSupport.waitForHealth;

import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.leadcycle.bench.BenchSupport.DatabaseInfo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The contacts file import against plain SQL doing the same job on the same database, in one command
 * (see BENCHMARKS.md; issue 12: "1M rows must import on 2 cores within a 256 MB heap, with progress
 * visible", target ≥ 0.5× the SQL's rows/s):
 *
 * <ol>
 *   <li>a CSV file written row by row ({@link ImportFile}): N rows, P % repeats of earlier emails (some in
 *       other letter case, a field changed), B % bad rows (an empty or invalid email), quoted fields;</li>
 *   <li>a fresh embedded PostgreSQL (fsync on), migrated;</li>
 *   <li>the baseline ({@link ImportBaseline}): {@code COPY} of the file into a staging table and one
 *       set-based upsert keyed on the normalized email, with the rescoring marks; timed; what it wrote is kept
 *       aside for the comparison and the tables are emptied (then {@code CHECKPOINT});</li>
 *   <li>the product: the local server as a child process on the same database with {@code -Xmx256m} and a
 *       GC log; {@code POST /v1/imports}, {@code PUT} of the file to the upload URL (streamed from disk),
 *       {@code GET /v1/imports/{id}} every 500 ms with progress lines, until the job ends;</li>
 *   <li>a report: rows/s of both, the ratio, the server's peak heap, the counts of both and of the file,
 *       and every contact compared with the baseline's.</li>
 * </ol>
 *
 * <p>Run it with {@code infra/bench/run-import.sh [options]}; {@code --help} lists the options.
 */
public final class ImportBenchmark {

  static final double TARGET_RATIO = 0.5;
  static final int TARGET_HEAP_MB = 256;
  private static final Set<String> FINAL = Set.of("completed", "completed_with_errors", "failed");

  private static final String USAGE = """
      Usage: infra/bench/run-import.sh [options]
        --rows N                data rows in the generated file (default 1000000; e.g. 20000 for a quick run)
        --repeat-percent P      rows repeating an earlier row's email, with a field changed (default 10)
        --bad-percent B         rows with an empty or invalid email, which the import counts failed (default 1)
        --baseline-only         generate the file and run only the SQL baseline (no local server)
        --rounds R              R rounds, each the baseline then the product (a new local server), each side from
                                empty contacts (default 1; the ratio is of the means): evens out a shared machine
        --statements N          load pg_stat_statements and print each side's N statements that took the most
                                time (default 0: not loaded)
        --explain               run the baseline's upsert under EXPLAIN (ANALYZE, BUFFERS) and print its plan
                                (per-node timing makes it slower: not for the figures)
        --heap SIZE             the local server's -Xmx (default 256m, as issue 12 demands)
        --server-jvm-arg ARG    extra JVM argument for the local server (repeatable), e.g. a JFR recording
        --poll-ms MS            GET /v1/imports/{id} period (default 500)
        --timeout S             give the product's import S seconds after the upload (default 1800)
        --seed X                the generator's seed (default 42)
        --fsync X               on (default, as in production) or off
        --synchronous-commit X  on (default) or off; applies to both sides
        --local-jar PATH        the local server jar (default infra/local/target/leadcycle-local.jar)
        --keep-files            keep the work directory (the CSV file, server log, GC log)
      """;

  record Options(int rows, double repeatPercent, double badPercent, boolean baselineOnly, boolean explain, int statements,
      int rounds, String heap,
      List<String> serverJvmArgs, int pollMillis, int timeoutSeconds, long seed, boolean fsync,
      String synchronousCommit, Path localJar, boolean keepFiles) {

    static Options parse(String[] args) {
      int rows = 1_000_000;
      double repeat = 10;
      double bad = 1;
      boolean baselineOnly = false;
      boolean explain = false;
      int statements = 0;
      int rounds = 1;
      String heap = "256m";
      List<String> jvmArgs = new ArrayList<>();
      int poll = 500;
      int timeout = 1800;
      long seed = 42;
      boolean fsync = true;
      String synchronousCommit = "on";
      Path localJar = Path.of("infra/local/target/leadcycle-local.jar");
      boolean keep = false;
      for (BenchSupport.Argument argument : BenchSupport.arguments(args, USAGE,
          Set.of("--keep-files", "--baseline-only", "--explain"))) {
        String name = argument.name();
        String value = argument.value();
        switch (name) {
          case "--keep-files" -> keep = true;
          case "--baseline-only" -> baselineOnly = true;
          case "--explain" -> explain = true;
          case "--rows" -> rows = integer(name, value, 1);
          case "--repeat-percent" -> repeat = percent(name, value);
          case "--bad-percent" -> bad = percent(name, value);
          case "--heap" -> heap = heap(value);
          case "--statements" -> statements = integer(name, value, 0);
          case "--rounds" -> rounds = integer(name, value, 1);
          case "--server-jvm-arg" -> jvmArgs.add(value);
          case "--poll-ms" -> poll = integer(name, value, 10);
          case "--timeout" -> timeout = integer(name, value, 1);
          case "--seed" -> seed = seed(value);
          case "--fsync" -> fsync = oneOf(name, value, "on", "off").equals("on");
          case "--synchronous-commit" -> synchronousCommit = oneOf(name, value, "on", "off");
          case "--local-jar" -> localJar = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      if (repeat + bad > 100) {
        throw new IllegalArgumentException("--repeat-percent and --bad-percent must add up to at most 100");
      }
      if (statements > 0 && !fsync) {
        throw new IllegalArgumentException("--statements needs --fsync on");
      }
      return new Options(rows, repeat, bad, baselineOnly, explain, statements, rounds, heap, List.copyOf(jvmArgs), poll, timeout, seed, fsync,
          synchronousCommit, localJar, keep);
    }

    private static int integer(String name, String value, int min) {
      try {
        int n = Integer.parseInt(value.replace("_", ""));
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new IllegalArgumentException(name + " must be an integer >= " + min + ", got " + value);
    }

    private static double percent(String name, String value) {
      try {
        double d = Double.parseDouble(value);
        if (d >= 0 && d <= 100) {
          return d;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new IllegalArgumentException(name + " must be a number from 0 to 100, got " + value);
    }

    private static String heap(String value) {
      if (value.matches("[0-9]+[kKmMgG]?")) {
        return value;
      }
      throw new IllegalArgumentException("--heap must be a -Xmx size such as 256m, got " + value);
    }

    private static long seed(String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seed must be an integer, got " + value);
      }
    }
  }

  /** Everything started by a run, stopped in reverse order on success, failure and Ctrl-C alike. */
  private static final class Resources extends BenchSupport.Resources {
    volatile BenchDatabase database;
    volatile Process server;
    private boolean closed;

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      BenchSupport.stop(server);
      closeDatabaseAndFiles(database);
    }
  }

  /**
   * What one side made PostgreSQL do, from its statistics and WAL position: read after the side's
   * connections closed (a backend reports its statistics when it ends, or when idle).
   */
  record DbWork(long walBytes, long commits, long contactSeqScans, long contactIndexScans, long tempBytes) {

    static DbWork now(BenchDatabase database) throws SQLException {
      try (Connection c = connect(database); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("""
              SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                     (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
                     (SELECT coalesce(seq_scan, 0) FROM pg_stat_user_tables WHERE relname = 'contacts'),
                     (SELECT coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'contacts'),
                     (SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database())""")) {
        rs.next();
        return new DbWork(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
      }
    }

    DbWork minus(DbWork o) {
      return new DbWork(walBytes - o.walBytes, commits - o.commits, contactSeqScans - o.contactSeqScans,
          contactIndexScans - o.contactIndexScans, tempBytes - o.tempBytes);
    }

    String describe() {
      return String.format(Locale.ROOT, "WAL %.0f MB, %,d commits, temp files %.0f MB; contacts: %,d sequential scans, "
          + "%,d index scans", walBytes / 1e6, commits, tempBytes / 1e6, contactSeqScans, contactIndexScans);
    }
  }

  /** What the database holds after one side. */
  record State(long contacts, long distinctEmails, long marks) {
  }

  /** How the product's contacts compare with the baseline's, by normalized email. */
  record Comparison(long onlyProduct, long onlyBaseline, Map<String, Long> differing, List<String> examples) {

    boolean equal() {
      return onlyProduct == 0 && onlyBaseline == 0 && differing.values().stream().allMatch(n -> n == 0);
    }
  }

  /** One poll of the job while it ran. */
  record Poll(double secondsSinceUpload, String status, long rowsRead) {
  }

  /** The product's side. */
  record Product(String jobId, int putStatus, double uploadSeconds, double wallSeconds, Long durationMs,
      String status, JsonObject job, List<Poll> polls, HeapUse.Summary heap, double heapAtStartMb,
      double heapAtEndMb, CpuMeter.Usage cpu, boolean outOfMemory) {

    long count(String name) {
      JsonObject counts = job.getJsonObject("counts");
      Object v = counts == null ? null : counts.getValue(name);
      return v instanceof Number n ? n.longValue() : -1;
    }

    long rowsRead() {
      JsonObject progress = job.getJsonObject("progress");
      Object v = progress == null ? null : progress.getValue("rowsRead");
      return v instanceof Number n ? n.longValue() : -1;
    }

    /** Polls while running that showed some but not all rows read. */
    long progressSteps() {
      return polls.stream().filter(p -> "running".equals(p.status())).mapToLong(Poll::rowsRead).distinct().count();
    }
  }

  private ImportBenchmark() {
  }

  public static void main(String[] args) {
    Options options = BenchSupport.optionsOrExit(() -> Options.parse(args));
    if (!options.baselineOnly() && !Files.isRegularFile(options.localJar())) {
      System.err.println("bench: " + options.localJar().toAbsolutePath() + " does not exist. Run infra/bench/run-import.sh "
          + "(it builds it), or pass --baseline-only.");
      System.exit(2);
    }
    Resources resources = new Resources();
    BenchSupport.runAndExit(resources, "(the CSV file, the server's and GC logs)", () -> run(options, args, resources));
  }

  /** The baseline's side of one round, with what PostgreSQL did. */
  record SqlSide(ImportBaseline.Result result, CpuMeter.Usage cpu, DbWork work, List<String> statements, State state) {
  }

  /** The product's side of one round, with what PostgreSQL did and how its contacts compare with the baseline's. */
  record ProductSide(Product product, DbWork work, List<String> statements, State state, Comparison comparison) {

    double rowsPerSecond(long rows) {
      return rows / product.wallSeconds();
    }
  }

  private static void run(Options o, String[] args, Resources resources) throws Exception {
    String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    resources.keepFiles = o.keepFiles();
    Path work = Files.createTempDirectory("leadcycle-bench-import-");
    resources.workDirectory = work;
    String loadBefore = loadAverage();

    Path file = work.resolve("bench-" + o.rows() + ".csv");
    progress(String.format(Locale.ROOT, "writing %s: %,d rows, %.1f %% repeats, %.1f %% bad rows", file, o.rows(),
        o.repeatPercent(), o.badPercent()));
    ImportFile.Summary csv = ImportFile.write(file, o.rows(), o.repeatPercent(), o.badPercent(), o.seed());
    progress(String.format(Locale.ROOT, "    %.1f MB in %.1f s: %,d new people, %,d repeats, %,d bad rows, %,d quoted "
        + "fields", csv.bytes() / 1e6, csv.seconds(), csv.newPeople(), csv.repeats(), csv.bad(), csv.quotedFields()));

    progress("starting a fresh embedded PostgreSQL and migrating it");
    BenchDatabase database = BenchDatabase.startMigrated(o.fsync(), o.statements() == 0 ? Map.of()
        : Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "top"));
    resources.database = database;
    DatabaseInfo dbInfo = prepareDatabase(database, o.synchronousCommit());
    if (o.statements() > 0) {
      maintain(database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    progress("PostgreSQL " + dbInfo.version() + " on port " + database.port() + " (psql -h localhost -p "
        + database.port() + " -U postgres)");
    CpuMeter cpu = new CpuMeter(dbInfo.postmasterPid());

    // Round by round, the baseline and then the product, each from empty contacts and marks, so that both
    // sides see the same background load on a shared machine.
    List<SqlSide> sqls = new ArrayList<>();
    List<ProductSide> products = new ArrayList<>();
    for (int round = 1; round <= o.rounds(); round++) {
      String of = o.rounds() == 1 ? "" : String.format(Locale.ROOT, " (round %d of %d)", round, o.rounds());
      if (round > 1) {
        maintain(database, "TRUNCATE contacts, contacts_to_rescore CASCADE");
      }
      maintain(database, "VACUUM (ANALYZE)");
      maintain(database, "CHECKPOINT");
      progress("baseline: COPY into a staging table, one set-based upsert keyed on lower(btrim(email)) with the "
          + "rescoring marks" + of);
      resetStatements(o, database);
      DbWork workBefore = DbWork.now(database);
      CpuMeter.Snapshot before = cpu.snapshot(ProcessHandle.current());
      ImportBaseline.Result sql;
      try (Connection c = connect(database)) {
        sql = ImportBaseline.run(c, file, o.explain());
      }
      CpuMeter.Usage sqlCpu = CpuMeter.between(before, cpu.snapshot(ProcessHandle.current()));
      DbWork sqlWork = DbWork.now(database).minus(workBefore);
      List<String> sqlStatements = topStatements(o, database);
      progress(String.format(Locale.ROOT, "    %.2f s (COPY %.2f s, ANALYZE %.2f s, upsert %.2f s): %,.0f rows/s; %,d "
              + "inserted, %,d updated, %,d marked", sql.seconds(), sql.copySeconds(), sql.analyzeSeconds(),
          sql.upsertSeconds(), sql.rowsPerSecond(), sql.inserted(), sql.updated(), sql.marked()));
      if (sql.plan() != null) {
        System.out.print(sql.plan());
      }
      sqls.add(new SqlSide(sql, sqlCpu, sqlWork, sqlStatements, state(database)));
      if (o.baselineOnly()) {
        continue;
      }
      if (round == 1) {
        // What the baseline wrote, kept aside to compare each product round's contacts with.
        maintain(database, "CREATE TABLE bench_import_expected AS SELECT email_norm, email, first_name, last_name, "
            + "company_name, job_title, phone, country FROM contacts");
        maintain(database, "CREATE INDEX ON bench_import_expected (email_norm)");
      }
      // The tables the import writes are emptied: the product starts from the state the baseline started from.
      maintain(database, "TRUNCATE contacts, contacts_to_rescore CASCADE");
      maintain(database, "VACUUM (ANALYZE)");
      maintain(database, "CHECKPOINT");
      resetStatements(o, database);
      workBefore = DbWork.now(database);
      Product product = product(o, database, work, file, cpu, resources, round, of);
      DbWork productWork = DbWork.now(database).minus(workBefore);
      List<String> productStatements = topStatements(o, database);
      State productState = state(database);
      progress("    comparing the product's contacts with the baseline's");
      products.add(new ProductSide(product, productWork, productStatements, productState, compare(database)));
    }

    String command = System.getenv().getOrDefault("LEADCYCLE_BENCH_COMMAND",
        ("java -cp infra/bench/target/leadcycle-bench.jar " + ImportBenchmark.class.getName() + " "
            + String.join(" ", args)).strip());
    boolean passed = report(o, command, startedAt, loadBefore + " before, " + loadAverage() + " after", dbInfo, csv, sqls,
        products, work);
    if (!passed) {
      throw new BenchmarkFailure("a check failed (see the report above)");
    }
  }

  private static Product product(Options o, BenchDatabase database, Path work, Path file, CpuMeter cpu,
      Resources resources, int round, String of) throws Exception {
    int port = freePort();
    String token = newToken();
    String suffix = o.rounds() == 1 ? "" : "-" + round;
    Path log = work.resolve("server" + suffix + ".log");
    Path gcLog = work.resolve("gc" + suffix + ".log");
    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + o.heap());
    jvm.add("-Xlog:gc:file=" + gcLog);
    jvm.addAll(o.serverJvmArgs());
    ProcessBuilder builder = localServer(o.localJar(), jvm, database, port, token, log);
    Map<String, String> env = builder.environment();
    env.put("LEADCYCLE_DATA_DIR", work.resolve("local-data" + suffix).toString());
    env.put("LEADCYCLE_BUCKET_SCAN_MILLIS", "250");
    // The timers that would compete for the same two cores and drain the rescoring marks are off; every
    // other function (the import's, and whatever it hands work to) keeps the template's setting.
    env.keySet().removeIf(name -> name.startsWith("LEADCYCLE_SCHEDULE_SECONDS"));
    for (String timer : List.of("SCORE_RECALCULATION", "THRESHOLD_NOTIFICATION", "MAINTENANCE")) {
      env.put("LEADCYCLE_SCHEDULE_SECONDS_" + timer, "0");
    }
    // Since imports nudge score recalculation through its queue, the queues wait too (a day), or the nudged runs
    // would drain the marks the comparison counts and share the cores with the import.
    env.put("LEADCYCLE_QUEUE_DELIVERY_MILLIS", Integer.toString(24 * 3600 * 1000));
    progress("product: starting the local server (-Xmx" + o.heap() + ") on port " + port + " (log: " + log + ")" + of);
    Process server = builder.start();
    resources.server = server;
    waitForHealth(server, port, log);
    double heapAtStart = HeapUse.usedNowMb(server.pid());
    int firstCollection = HeapUse.nextCollection(gcLog);

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://localhost:" + port;
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/imports"))
        .header("authorization", "Bearer " + token).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("entity", "contacts")
            .put("fileName", file.getFileName().toString()).encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new BenchmarkFailure("POST /v1/imports answered " + created.statusCode() + ": " + created.body() + "\n"
          + tail(log));
    }
    JsonObject job = new JsonObject(created.body());
    String id = job.getString("id");
    String uploadUrl = job.getString("uploadUrl");
    if (id == null || uploadUrl == null) {
      throw new BenchmarkFailure("POST /v1/imports returned no id or uploadUrl: " + created.body());
    }
    URI upload = uploadUrl.startsWith("/") ? URI.create(base + uploadUrl) : URI.create(uploadUrl);
    progress("product: import " + id + ": PUT " + Files.size(file) / 1_000_000 + " MB to " + upload);

    CpuMeter.Snapshot before = cpu.snapshot(server.toHandle());
    long t0 = System.nanoTime();
    HttpResponse<String> put = put(http, upload, file, null);
    if (put.statusCode() == 401 || put.statusCode() == 403) {
      // An upload URL the local server guards like its management routes.
      put = put(http, upload, file, token);
    }
    double uploadSeconds = (System.nanoTime() - t0) / 1e9;
    if (put.statusCode() / 100 != 2) {
      throw new BenchmarkFailure("PUT " + upload + " answered " + put.statusCode() + ": " + put.body() + "\n" + tail(log));
    }
    progress(String.format(Locale.ROOT, "    uploaded in %.2f s (%d); polling GET /v1/imports/%s every %d ms", uploadSeconds,
        put.statusCode(), id, o.pollMillis()));

    List<Poll> polls = new ArrayList<>();
    long deadline = t0 + Duration.ofSeconds(o.timeoutSeconds()).toNanos();
    long lastPrinted = 0;
    long lastRows = 0;
    double lastRowsAt = 0;
    String status;
    double wallSeconds;
    while (true) {
      HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/imports/" + id))
          .header("authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      long now = System.nanoTime();
      if (got.statusCode() != 200) {
        throw new BenchmarkFailure("GET /v1/imports/" + id + " answered " + got.statusCode() + ": " + got.body());
      }
      job = new JsonObject(got.body());
      status = job.getString("status");
      JsonObject progress = job.getJsonObject("progress");
      long rowsRead = progress != null && progress.getValue("rowsRead") instanceof Number n ? n.longValue() : 0;
      double since = (now - t0) / 1e9;
      polls.add(new Poll(since, status, rowsRead));
      if (FINAL.contains(status)) {
        wallSeconds = since;
        break;
      }
      if (now - lastPrinted >= 5_000_000_000L) {
        HeapUse.Summary heap = HeapUse.read(gcLog, firstCollection);
        double rate = since > lastRowsAt && lastPrinted > 0 ? (rowsRead - lastRows) / (since - lastRowsAt) : 0;
        progress(String.format(Locale.ROOT, "    %6.1f s  %-15s rows read %,9d (%5.1f %%)%s  %s", since, status, rowsRead,
            100.0 * rowsRead / o.rows(), lastPrinted > 0 ? String.format(Locale.ROOT, ", %,.0f rows/s", rate) : "",
            heap.collections() == 0 ? "no GC yet" : String.format(Locale.ROOT, "heap peak %.0f MB, after the last GC "
                + "%.0f MB", heap.peakBeforeMb(), heap.lastAfterMb())));
        lastPrinted = now;
        lastRows = rowsRead;
        lastRowsAt = since;
      }
      if (!server.isAlive()) {
        throw new BenchmarkFailure("the local server exited with " + server.exitValue() + " during the import:\n"
            + tail(log));
      }
      if (now > deadline) {
        throw new BenchmarkFailure("the import is still " + status + " " + o.timeoutSeconds() + " s after the upload "
            + "(--timeout): " + job.encode() + "\n" + tail(log));
      }
      Thread.sleep(o.pollMillis());
    }
    CpuMeter.Usage usage = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
    Object duration = job.getValue("durationMs");
    Long durationMs = duration instanceof Number n ? n.longValue() : null;
    progress(String.format(Locale.ROOT, "    %s after %.2f s (the job says %s ms): %s", status, wallSeconds,
        durationMs, job.encode()));
    double heapAtEnd = HeapUse.usedNowMb(server.pid());
    HeapUse.Summary heap = HeapUse.read(gcLog, firstCollection).plusCurrent(Math.max(heapAtEnd, 0));
    boolean oom = serverLogMentions(log, "OutOfMemoryError");
    BenchSupport.stop(server);
    resources.server = null;
    return new Product(id, put.statusCode(), uploadSeconds, wallSeconds, durationMs, status, job, polls, heap,
        heapAtStart, heapAtEnd, usage, oom);
  }

  private static HttpResponse<String> put(HttpClient http, URI upload, Path file, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(upload).header("content-type", "text/csv")
        .timeout(Duration.ofMinutes(10)).PUT(HttpRequest.BodyPublishers.ofFile(file));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean serverLogMentions(Path log, String text) {
    try (var lines = Files.lines(log)) {
      return lines.anyMatch(l -> l.contains(text));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static State state(BenchDatabase database) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM contacts), (SELECT count(DISTINCT email_norm) FROM "
            + "contacts), (SELECT count(*) FROM contacts_to_rescore)")) {
      rs.next();
      return new State(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }

  private static final List<String> COMPARED = List.of("email", "first_name", "last_name", "company_name", "job_title",
      "phone", "country");

  /** The product's contacts against the baseline's, one by one, by normalized email. */
  private static Comparison compare(BenchDatabase database) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT count(*) FILTER (WHERE e.email_norm IS NULL), "
        + "count(*) FILTER (WHERE p.email_norm IS NULL)");
    for (String column : COMPARED) {
      sql.append(", count(*) FILTER (WHERE e.email_norm IS NOT NULL AND p.email_norm IS NOT NULL AND p.")
          .append(column).append(" IS DISTINCT FROM e.").append(column).append(')');
    }
    sql.append(" FROM (SELECT DISTINCT ON (email_norm) * FROM contacts ORDER BY email_norm, updated_at DESC) p "
        + "FULL JOIN bench_import_expected e ON e.email_norm = p.email_norm");
    Map<String, Long> differing = new java.util.LinkedHashMap<>();
    long onlyProduct;
    long onlyBaseline;
    List<String> examples = new ArrayList<>();
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(sql.toString())) {
        rs.next();
        onlyProduct = rs.getLong(1);
        onlyBaseline = rs.getLong(2);
        for (int i = 0; i < COMPARED.size(); i++) {
          differing.put(COMPARED.get(i), rs.getLong(3 + i));
        }
      }
      StringBuilder where = new StringBuilder("e.email_norm IS NULL OR p.email_norm IS NULL");
      for (String column : COMPARED) {
        where.append(" OR p.").append(column).append(" IS DISTINCT FROM e.").append(column);
      }
      try (ResultSet rs = s.executeQuery("SELECT coalesce(p.email_norm, e.email_norm), row(p.email, p.first_name, "
          + "p.last_name, p.company_name, p.job_title, p.phone, p.country)::text, row(e.email, e.first_name, e.last_name, "
          + "e.company_name, e.job_title, e.phone, e.country)::text FROM contacts p FULL JOIN bench_import_expected e ON "
          + "e.email_norm = p.email_norm WHERE " + where + " ORDER BY 1 LIMIT 5")) {
        while (rs.next()) {
          examples.add(rs.getString(1) + ": product " + rs.getString(2) + ", SQL " + rs.getString(3));
        }
      }
    }
    return new Comparison(onlyProduct, onlyBaseline, differing, examples);
  }

  private static void resetStatements(Options o, BenchDatabase database) throws SQLException {
    if (o.statements() > 0) {
      maintain(database, "SELECT pg_stat_statements_reset()");
    }
  }

  /** The side's statements that took the most time, from pg_stat_statements (empty unless --statements). */
  private static List<String> topStatements(Options o, BenchDatabase database) throws SQLException {
    List<String> top = new ArrayList<>();
    if (o.statements() == 0) {
      return top;
    }
    try (Connection c = connect(database); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT calls, total_exec_time, rows, mean_exec_time, sum(total_exec_time) OVER (),
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 150)
              FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY total_exec_time DESC LIMIT %d""".formatted(o.statements()))) {
      while (rs.next()) {
        if (top.isEmpty()) {
          top.add(String.format(Locale.ROOT, "%.1f s in all statements; the most:", rs.getDouble(5) / 1000));
        }
        top.add(String.format(Locale.ROOT, "%8.2f s %,9d calls %,10d rows %8.2f ms/call  %s", rs.getDouble(2) / 1000,
            rs.getLong(1), rs.getLong(3), rs.getDouble(4), rs.getString(6)));
      }
    }
    return top;
  }

  private static void statementLines(StringBuilder r, List<String> statements) {
    for (int i = 0; i < statements.size(); i++) {
      line(r, i == 0 ? "statements" : "", statements.get(i));
    }
  }

  /** VACUUM, ANALYZE, CHECKPOINT and the like between the sides. */
  private static void maintain(BenchDatabase database, String command) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute(command);
    }
  }

  /** Prints the report; false when a check failed. */
  private static boolean report(Options o, String command, String startedAt, String load, DatabaseInfo db,
      ImportFile.Summary csv, List<SqlSide> sqls, List<ProductSide> products, Path work) {
    StringBuilder r = new StringBuilder();
    int rounds = sqls.size();
    header(r, "file import", command, startedAt, load, "both sides");
    line(r, "postgresql", db.version() + " (embedded, fresh), fsync=" + db.fsync() + ", synchronous_commit="
        + db.synchronousCommit() + ", shared_buffers=" + db.sharedBuffers() + "; VACUUM (ANALYZE) and CHECKPOINT "
        + "before each side, each from empty contacts" + (o.statements() > 0 ? "; pg_stat_statements loaded" : ""));
    line(r, "file", String.format(Locale.ROOT, "%,d rows + header, %.1f MB, UTF-8, written row by row in %.1f s: %,d new "
            + "people, %,d repeats of an earlier email (%.1f %%; some in other letter case, job title changed), %,d "
            + "bad rows (%.1f %%: empty or invalid email); %,d quoted fields (commas, doubled quotes)", csv.rows(),
        csv.bytes() / 1e6, csv.seconds(), csv.newPeople(), csv.repeats(), o.repeatPercent(), csv.bad(),
        o.badPercent(), csv.quotedFields()));
    line(r, "expected", String.format(Locale.ROOT, "created %,d, updated %,d, unchanged 0, failed %,d; %,d contacts",
        csv.newPeople(), csv.repeats(), csv.bad(), csv.newPeople()));
    if (rounds > 1) {
      line(r, "rounds", rounds + ", each the baseline then the product, each side from empty contacts; the ratio is of "
          + "the means");
    }
    r.append('\n');

    r.append("Baseline: plain SQL, same file, same database (COPY into an unlogged staging table, one set-based upsert)\n");
    line(r, "how", "COPY (FORMAT csv, HEADER) streamed from the file by pgjdbc's CopyManager; ANALYZE; one statement "
        + "and transaction: the last valid row per lower(btrim(email)) (DISTINCT ON) spelt as its first (a window), UPDATE ... FROM of existing "
        + "contacts, INSERT ... WHERE NOT EXISTS of new ones, a contacts_to_rescore mark for each");
    List<String> missed = new ArrayList<>();
    boolean baselineAsExpected = true;
    for (int i = 0; i < rounds; i++) {
      SqlSide side = sqls.get(i);
      ImportBaseline.Result sql = side.result();
      line(r, "round " + (i + 1), String.format(Locale.ROOT, "%,.0f rows/s  (%.2f s: COPY %.2f s, ANALYZE %.2f s, upsert "
              + "%.2f s); inserted %,d, updated %,d, marked %,d", sql.rowsPerSecond(), sql.seconds(), sql.copySeconds(),
          sql.analyzeSeconds(), sql.upsertSeconds(), sql.inserted(), sql.updated(), sql.marked()));
      line(r, "  cpu", "bench JVM " + side.cpu().cores(side.cpu().benchSeconds()) + ", postgres "
          + side.cpu().cores(side.cpu().postgresSeconds()) + "; machine busy " + side.cpu().machineBusy());
      line(r, "  postgres", side.work().describe());
      statementLines(r, side.statements());
      baselineAsExpected &= sql.copied() == csv.rows() && sql.inserted() == csv.newPeople()
          && sql.validRows() - sql.distinctEmails() == csv.repeats() && sql.copied() - sql.validRows() == csv.bad()
          && side.state().contacts() == csv.newPeople() && side.state().marks() == csv.newPeople();
    }
    ImportBaseline.Result first = sqls.get(0).result();
    double sqlSeconds = sqls.stream().mapToDouble(s -> s.result().seconds()).average().orElseThrow();
    double sqlRate = csv.rows() / sqlSeconds;
    line(r, "rows", String.format(Locale.ROOT, "%,d valid, %,d rejected by ContactFields' rules, %,d distinct emails, "
        + "%,d repeats", first.validRows(), first.copied() - first.validRows(), first.distinctEmails(),
        first.validRows() - first.distinctEmails()));
    line(r, "database", String.format(Locale.ROOT, "%,d contacts (%,d distinct emails), %,d rescoring marks",
        sqls.get(0).state().contacts(), sqls.get(0).state().distinctEmails(), sqls.get(0).state().marks()));
    line(r, "throughput", String.format(Locale.ROOT, "%,.0f rows/s  (%,d rows in %.2f s%s)", sqlRate, csv.rows(),
        sqlSeconds, rounds > 1 ? ", mean of the rounds" : ""));
    r.append('\n');
    if (!baselineAsExpected) {
      missed.add("the baseline's counts differ from the file's");
    }
    if (products.isEmpty()) {
      r.append("Product: not run (--baseline-only)\n\n");
      r.append("Result\n");
      line(r, "baseline", String.format(Locale.ROOT, "%,.0f rows/s; target for the product >= %.1f x = %,.0f rows/s",
          sqlRate, TARGET_RATIO, TARGET_RATIO * sqlRate));
      line(r, "verdict", missed.isEmpty() ? "baseline counts as expected" : "not met: " + String.join(", ", missed));
      print(r, o, work);
      return missed.isEmpty();
    }

    r.append("Product: POST /v1/imports, PUT the file to its upload URL, the file-import function on the local server "
        + "(-Xmx" + o.heap() + ", a new server each round)\n");
    boolean countsMet = true;
    boolean contactsMet = true;
    boolean contentsMet = true;
    boolean progressMet = true;
    boolean heapMet = true;
    double peakHeap = 0;
    for (int i = 0; i < products.size(); i++) {
      ProductSide side = products.get(i);
      Product p = side.product();
      double wallRate = side.rowsPerSecond(csv.rows());
      Double jobRate = p.durationMs() == null || p.durationMs() <= 0 ? null : csv.rows() / (p.durationMs() / 1000.0);
      line(r, "round " + (i + 1), String.format(Locale.ROOT, "%,.0f rows/s wall clock  (%.2f s from the start of the PUT "
              + "to the poll that saw %s; PUT %.2f s: %d)%s", wallRate, p.wallSeconds(), p.status(), p.uploadSeconds(),
          p.putStatus(), jobRate == null ? "; the job reports no durationMs" : String.format(Locale.ROOT,
              "; %,.0f rows/s by the job's durationMs %,d", jobRate, p.durationMs())));
      line(r, "  job", String.format(Locale.ROOT, "%s %s: rows read %,d; created %,d, updated %,d, unchanged %,d, "
              + "failed %,d", p.jobId(), p.status(), p.rowsRead(), p.count("created"), p.count("updated"),
          p.count("unchanged"), p.count("failed")));
      long running = p.polls().stream().filter(x -> "running".equals(x.status())).count();
      Poll firstRunning = p.polls().stream().filter(x -> !"awaiting_upload".equals(x.status())).findFirst().orElse(null);
      line(r, "  progress", String.format(Locale.ROOT, "%d polls (every %d ms) while running, %d distinct rowsRead "
              + "values%s", running, o.pollMillis(), p.progressSteps(), firstRunning == null ? ""
              : String.format(Locale.ROOT, "; %s first seen %.1f s after the PUT started", firstRunning.status(),
                  firstRunning.secondsSinceUpload())));
      HeapUse.Summary h = p.heap();
      line(r, "  heap", String.format(Locale.ROOT, "peak used %.0f MB (the fullest heap, just before a collection), "
              + "peak after a collection %.0f MB, at the end %.0f MB (%.0f MB before the import); %s, %d pauses (%d "
              + "full), %.0f ms paused in all, committed up to %.0f MB", h.peakBeforeMb(), h.peakAfterMb(),
          p.heapAtEndMb(), p.heapAtStartMb(), h.collector(), h.collections(), h.fullCollections(), h.pauseMillis(),
          h.maxCommittedMb()));
      line(r, "  cpu", "local server " + p.cpu().cores(p.cpu().serverSeconds()) + ", postgres "
          + p.cpu().cores(p.cpu().postgresSeconds()) + ", bench JVM (polling) " + p.cpu().cores(p.cpu().benchSeconds())
          + "; machine busy " + p.cpu().machineBusy());
      line(r, "  postgres", side.work().describe() + " (the local server from start to stop)");
      statementLines(r, side.statements());
      line(r, "  database", String.format(Locale.ROOT, "%,d contacts (%,d distinct emails), %,d rescoring marks",
          side.state().contacts(), side.state().distinctEmails(), side.state().marks()));
      Comparison cmp = side.comparison();
      StringBuilder fields = new StringBuilder();
      cmp.differing().forEach((k, v) -> fields.append(fields.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
      line(r, "  contents", String.format(Locale.ROOT, "each contact compared with the baseline's by email_norm: %,d only "
          + "in the product, %,d only in the baseline; values differing: %s", cmp.onlyProduct(), cmp.onlyBaseline(),
          fields));
      for (String example : cmp.examples()) {
        line(r, "", "  " + example);
      }
      peakHeap = Math.max(peakHeap, h.peakBeforeMb());
      heapMet &= !p.outOfMemory() && !"failed".equals(p.status());
      countsMet &= p.count("created") == csv.newPeople() && p.count("updated") == csv.repeats()
          && p.count("failed") == csv.bad() && p.rowsRead() == csv.rows();
      contactsMet &= side.state().contacts() == sqls.get(i).state().contacts()
          && side.state().distinctEmails() == side.state().contacts() && side.state().marks() == sqls.get(i).state().marks();
      contentsMet &= cmp.equal();
      progressMet &= p.progressSteps() >= 2 || p.wallSeconds() <= 5;
    }
    double productSeconds = products.stream().mapToDouble(s -> s.product().wallSeconds()).average().orElseThrow();
    double productRate = csv.rows() / productSeconds;
    boolean jobDurations = products.stream().allMatch(s -> s.product().durationMs() != null);
    double jobSeconds = jobDurations ? products.stream().mapToDouble(s -> s.product().durationMs() / 1000.0).average()
        .orElseThrow() : Double.NaN;
    line(r, "throughput", String.format(Locale.ROOT, "%,.0f rows/s wall clock  (%,d rows in %.2f s%s)%s", productRate,
        csv.rows(), productSeconds, rounds > 1 ? ", mean of the rounds" : "", jobDurations ? String.format(Locale.ROOT,
            "; %,.0f rows/s by the job's durationMs (%.2f s)", csv.rows() / jobSeconds, jobSeconds) : ""));
    r.append('\n');

    ProductSide last = products.get(products.size() - 1);
    SqlSide lastSql = sqls.get(products.size() - 1);
    r.append("Comparison (product / baseline" + (rounds > 1 ? ", last round" : "") + ")\n");
    line(r, "contacts", String.format(Locale.ROOT, "%,d / %,d (expected from the file %,d); duplicates by email_norm "
            + "%,d / %,d", last.state().contacts(), lastSql.state().contacts(), csv.newPeople(),
        last.state().contacts() - last.state().distinctEmails(),
        lastSql.state().contacts() - lastSql.state().distinctEmails()));
    line(r, "marks", String.format(Locale.ROOT, "contacts_to_rescore %,d / %,d", last.state().marks(),
        lastSql.state().marks()));
    Product lp = last.product();
    ImportBaseline.Result ls = lastSql.result();
    line(r, "counts", String.format(Locale.ROOT, "created %,d / %,d, updated %,d / %,d (the baseline's repeated rows), "
            + "failed %,d / %,d%s", lp.count("created"), ls.inserted(), lp.count("updated"),
        ls.validRows() - ls.distinctEmails(), lp.count("failed"), ls.copied() - ls.validRows(),
        countsMet ? "; as the file says" + (rounds > 1 ? " in every round" : "") : "; the file says created "
            + csv.newPeople() + ", updated " + csv.repeats() + ", failed " + csv.bad() + ", rows " + csv.rows()));
    line(r, "contents", contentsMet ? "every contact equal to the baseline's" + (rounds > 1 ? " in every round" : "")
        : "differences: see the rounds above");
    r.append('\n');

    double ratio = productRate / sqlRate;
    boolean ratioMet = ratio >= TARGET_RATIO;
    r.append("Result\n");
    StringBuilder perRound = new StringBuilder();
    for (int i = 0; i < products.size() && rounds > 1; i++) {
      perRound.append(i == 0 ? "; rounds " : ", ").append(String.format(Locale.ROOT, "%.2f",
          products.get(i).rowsPerSecond(csv.rows()) / sqls.get(i).result().rowsPerSecond()));
    }
    line(r, "ratio", String.format(Locale.ROOT, "%.2f  (product %,.0f rows/s wall clock / SQL %,.0f rows/s%s)   target >= "
            + "%.1f: %s%s%s", ratio, productRate, sqlRate, rounds > 1 ? ", means" : "", TARGET_RATIO,
        ratioMet ? "MET" : "NOT MET", jobDurations ? String.format(Locale.ROOT, "; by the job's durationMs %.2f",
            sqlSeconds / jobSeconds) : "", perRound));
    line(r, "heap", String.format(Locale.ROOT, "peak %.0f MB used of -Xmx%s%s   within %d MB: %s", peakHeap, o.heap(),
        heapMet ? ", no OutOfMemoryError, no failed job" : ", an OutOfMemoryError in the server log or a failed job",
        TARGET_HEAP_MB, heapMet ? "MET" : "NOT MET"));
    line(r, "progress", progressMet ? "visible: rowsRead grew poll by poll while running" : "NOT visible");
    if (!ratioMet) {
      missed.add("ratio");
    }
    if (!heapMet) {
      missed.add("heap / job failed");
    }
    if (!progressMet) {
      missed.add("progress not visible");
    }
    if (!countsMet) {
      missed.add("the job's counts");
    }
    if (!contactsMet) {
      missed.add("contacts or marks differ from the baseline's");
    }
    if (!contentsMet) {
      missed.add("contact contents differ from the baseline's");
    }
    line(r, "verdict", missed.isEmpty() ? "all targets met, counts and contents equal" : "not met: "
        + String.join(", ", missed));
    print(r, o, work);
    return countsMet && contactsMet && contentsMet && baselineAsExpected;
  }

  private static void print(StringBuilder r, Options o, Path work) {
    if (o.keepFiles()) {
      line(r, "files", work.toString());
    }
    System.out.print(r);
    System.out.flush();
  }
}
