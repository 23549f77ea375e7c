package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.connect;
import static io.leadcycle.bench.BenchSupport.line;
import static io.leadcycle.bench.BenchSupport.loadAverage;
import static io.leadcycle.bench.BenchSupport.header;
import static io.leadcycle.bench.BenchSupport.prepareDatabase;
import static io.leadcycle.bench.BenchSupport.oneOf;
import static io.leadcycle.bench.BenchSupport.progress;

import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.leadcycle.bench.BenchSupport.DatabaseInfo;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.DatabaseSettings;
import io.leadcycle.scoring.ModelDefinition;
import io.leadcycle.store.RescoringMarks;
import io.leadcycle.store.ScoringModelStore;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Score recalculation against plain SQL doing the same work, in one command (see BENCHMARKS.md,
 * "Rescoring"):
 *
 * <ol>
 *   <li>a fresh embedded PostgreSQL (fsync on), migrated; the product's JVM warmed up on throw-away
 *       data, which is then emptied;</li>
 *   <li>the data seeded set-based ({@link ScoringSeed}: 100k contacts with a lead each, 10k accounts,
 *       1M interactions over 90 days), and a 10-rule model ({@link ScoringBaseline#MODEL}) created and
 *       published through {@link ScoringModelStore}: its full rescoring is pending;</li>
 *   <li>(a) full, in rounds: the baseline ({@link ScoringBaseline}: one aggregate, then the writes, in
 *       one transaction rolled back after it is timed), then the product ({@link RecalculationService}
 *       runs until the rescoring is done), from the same state; the ratio of the means; the product's
 *       scores checked against the baseline's SQL at the times the product scored, and its writes
 *       (scores, stage moves, timeline rows, events) counted against the baseline's;</li>
 *   <li>(b) incremental: 1k random contacts get one new interaction each and are marked; the baseline
 *       for their leads (rolled back), then one product run, checked the same way;</li>
 *   <li>(c) time to score: the local server on the same database, its recalculation timer at the
 *       template's 1 s; an interaction for one contact at a time through {@code POST /v1/interactions}
 *       (inserted and marked in SQL, as intake does, on a build without that route), and
 *       {@code GET /v1/leads/{id}} polled until the score moves;</li>
 *   <li>a report with the command, machine, load, the figures, the ratios and the targets.</li>
 * </ol>
 *
 * <p>{@code --through-functions} measures (a) as users get it ({@link FunctionPathRescoring}: the local
 * server started cold, the model published through its API, its scheduled runs until no lead is left in
 * inquiry), beside the in-process product; {@code --parallel} and {@code --workers} measure scale-out.
 *
 * <p>Run it with {@code infra/bench/run-scoring.sh [options]}; {@code --help} lists the options.
 */
public final class ScoringBenchmark {

  static final double TARGET_FULL_RATIO = 1.5;
  static final double TARGET_INCREMENTAL_SECONDS = 1.0;
  static final double TARGET_TIME_TO_SCORE_SECONDS = 5.0;

  private static final String USAGE = """
      Usage: infra/bench/run-scoring.sh [options]
        --contacts N            contacts, each with one open lead (default 100000)
        --accounts N            accounts (default 10000); 80 %% of the contacts belong to one
        --interactions N        interactions over the last 90 days (default 1000000)
        --changed N             contacts that get a new interaction for the incremental run (default 1000)
        --samples N             time-to-score samples through the local server (default 20; 0 skips the phase)
        --rounds R              phase (a) R times, baseline and product alternating, each from the seeded
                                state (default 3; the ratio is of the means); evens out a shared machine's noise
        --warmup N              warm the product's JVM up first on N throw-away contacts (default 5000; 0: cold)
        --batch-size N          RecalculationService's batch (default: its own, %d)
        --part-size N           leads per part of a full rescoring (default: its own, %d)
        --parallel N            (a) in-process: N runs at once rescore the model, as N function invocations
                                would (default 1)
        --workers N             (a) in-process: batches in flight per run (default: its own, %d; 1: one
                                part at a time, to measure one part's throughput)
        --through-functions     (a) through the function path as users get it: the local server started cold
                                as a child process, the model published through its API, timed until no lead
                                is left in inquiry through its scheduled score-recalculation runs (1 s timer,
                                template.yaml's budget); each round also runs the in-process product (after the
                                SQL baseline, before the local server) for comparison
        --rescoring-parallelism N  with --through-functions: the local server's RESCORING_PARALLELISM, the
                                nudged runs a publish starts at once (default: the product's own, %d)
        --seed X                setseed() value for the data, between -1 and 1 (default 0.42)
        --fsync X               on (default, as in production) or off
        --synchronous-commit X  on (default) or off; applies to both sides
        --local-jar PATH        the local server jar (default infra/local/target/leadcycle-local.jar)
        --keep-files            keep the work directory (server log)
      """.formatted(RecalculationService.DEFAULT_BATCH, RecalculationService.DEFAULT_PART,
      RecalculationService.DEFAULT_WORKERS, io.leadcycle.runtime.RescoringGroups.DEFAULT);

  record Options(int contacts, int accounts, int interactions, int changed, int samples, int rounds, int warmup,
      int batchSize, double seed, boolean fsync, String synchronousCommit, Path localJar, boolean keepFiles,
      int partSize, int parallel, boolean throughFunctions, int workers, int rescoringParallelism) {

    static Options parse(String[] args) {
      int contacts = 100_000;
      int accounts = 10_000;
      int interactions = 1_000_000;
      int changed = 1_000;
      int samples = 20;
      int rounds = 3;
      int warmup = 5_000;
      int batch = RecalculationService.DEFAULT_BATCH;
      double seed = 0.42;
      boolean fsync = true;
      String synchronousCommit = "on";
      Path localJar = Path.of("infra/local/target/leadcycle-local.jar");
      boolean keep = false;
      int part = RecalculationService.DEFAULT_PART;
      int parallel = 1;
      int workers = RecalculationService.DEFAULT_WORKERS;
      boolean throughFunctions = false;
      int rescoringParallelism = 0; // the product's own
      for (BenchSupport.Argument argument : BenchSupport.arguments(args, USAGE,
          Set.of("--keep-files", "--through-functions"))) {
        String name = argument.name();
        String value = argument.value();
        switch (name) {
          case "--keep-files" -> keep = true;
          case "--through-functions" -> throughFunctions = true;
          case "--part-size" -> part = integer(name, value, 1);
          case "--parallel" -> parallel = integer(name, value, 1);
          case "--workers" -> workers = integer(name, value, 1);
          case "--rescoring-parallelism" -> rescoringParallelism = integer(name, value, 1);
          case "--contacts" -> contacts = integer(name, value, 1);
          case "--accounts" -> accounts = integer(name, value, 1);
          case "--interactions" -> interactions = integer(name, value, 0);
          case "--changed" -> changed = integer(name, value, 1);
          case "--samples" -> samples = integer(name, value, 0);
          case "--rounds" -> rounds = integer(name, value, 1);
          case "--warmup" -> warmup = integer(name, value, 0);
          case "--batch-size" -> batch = integer(name, value, 1);
          case "--seed" -> seed = seed(value);
          case "--fsync" -> fsync = oneOf(name, value, "on", "off").equals("on");
          case "--synchronous-commit" -> synchronousCommit = oneOf(name, value, "on", "off");
          case "--local-jar" -> localJar = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      if (changed > contacts) {
        throw new IllegalArgumentException("--changed must not exceed --contacts");
      }
      return new Options(contacts, accounts, interactions, changed, samples, rounds, warmup, batch, seed, fsync,
          synchronousCommit, localJar, keep, part, parallel, throughFunctions, workers, rescoringParallelism);
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

    private static double seed(String value) {
      try {
        double d = Double.parseDouble(value);
        if (d >= -1 && d <= 1) {
          return d;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new IllegalArgumentException("--seed must be a number from -1 to 1, got " + value);
    }
  }

  /** Everything started by a run, stopped in reverse order on success, failure and Ctrl-C alike. */
  private static final class Resources extends BenchSupport.Resources {
    volatile BenchDatabase database;
    volatile Database product;
    volatile Database baseline;
    volatile Process server;
    private boolean closed;

    void setServer(Process process) {
      server = process;
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      BenchSupport.stop(server);
      for (Database db : new Database[] {product, baseline}) {
        if (db != null) {
          try {
            db.close();
          } catch (RuntimeException e) {
            System.err.println("bench: closing a pool: " + e);
          }
        }
      }
      closeDatabaseAndFiles(database);
    }
  }

  private ScoringBenchmark() {
  }

  public static void main(String[] args) {
    Options options = BenchSupport.optionsOrExit(() -> Options.parse(args));
    if ((options.samples() > 0 || options.throughFunctions()) && !Files.isRegularFile(options.localJar())) {
      System.err.println("bench: " + options.localJar().toAbsolutePath() + " does not exist. Run infra/bench/run-scoring.sh "
          + "(it builds it), or pass --samples 0 to skip the time-to-score phase.");
      System.exit(2);
    }
    Resources resources = new Resources();
    BenchSupport.runAndExit(resources, "(server log)", () -> run(options, args, resources));
  }

  /** The product's side of phase (a). */
  record FullProduct(double seconds, int runs, RunSummary total, CpuMeter.Usage cpu, String how) {
  }

  /** What the database holds after a side's writes: to compare the product's with the baseline's. */
  record Written(long scores, long leftInquiry, long salesReady, long timelineRows, long outboxRows) {
  }

  /** The product's scores checked against the baseline's SQL. */
  record Check(long compared, long mismatches, List<String> examples, long equalToBaselineRun, long offByOne,
      long offByMore) {
  }

  /** One round of phase (a): the baseline and the product from the same state. */
  record Round(ScoringBaseline.Result sql, CpuMeter.Usage sqlCpu, FullProduct product, FullProduct inProcess) {

    double ratio() {
      return product.seconds() / sql.seconds();
    }
  }

  private static void run(Options o, String[] args, Resources resources) throws Exception {
    String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    resources.keepFiles = o.keepFiles();
    Path work = Files.createTempDirectory("leadcycle-bench-scoring-");
    resources.workDirectory = work;

    progress("starting a fresh embedded PostgreSQL and migrating it");
    String loadBefore = loadAverage();
    BenchDatabase database = BenchDatabase.startMigrated(o.fsync());
    resources.database = database;
    DatabaseInfo dbInfo = prepareDatabase(database, o.synchronousCommit());
    progress("PostgreSQL " + dbInfo.version() + " on port " + database.port() + " (psql -h localhost -p "
        + database.port() + " -U postgres)");

    // The product's pools as the functions have them (prepared statements, production timeouts); the
    // baseline's without timeouts (one long transaction is what it is).
    DatabaseSettings settings = new DatabaseSettings("localhost", database.port(), BenchDatabase.DATABASE,
        BenchDatabase.USER, "", "disable", 2);
    Database baseline = Database.connect(settings.withPoolSize(1)
        .withTimeouts(new DatabaseSettings.Timeouts(0, 0, true)), 1);
    resources.baseline = baseline;
    CpuMeter cpu = new CpuMeter(dbInfo.postmasterPid());

    String warmup = "none: the product's JVM starts cold";
    if (o.warmup() > 0) {
      warmup = warmUp(o, database, settings, baseline, resources);
    }

    ScoringSeed.Sizes sizes = new ScoringSeed.Sizes(o.accounts(), o.contacts(), o.interactions(), 0.8);
    progress(String.format("seeding %,d accounts, %,d contacts with a lead each, %,d interactions", o.accounts(),
        o.contacts(), o.interactions()));
    long seedStart = System.nanoTime();
    try (Connection c = connect(database)) {
      ScoringSeed.seed(c, sizes, o.seed());
    }
    double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

    // Through the functions the API publishes the model, so it stays a draft until then.
    UUID modelId = o.throughFunctions() ? createDraftModel(settings, ScoringBaseline.MODEL)
        : createLiveModel(settings, ScoringBaseline.MODEL);
    long leads = count(baseline, "SELECT count(*) FROM leads WHERE status = 'open' AND contact_id IS NOT NULL");

    // (a) Full rescoring, round by round: the baseline (rolled back), then the product, from the same
    // state; between rounds the scoring's writes are undone and the model's rescoring is pending again.
    List<Round> rounds = new ArrayList<>();
    Database product = null;
    for (int round = 1; round <= o.rounds(); round++) {
      String of = o.rounds() == 1 ? "" : String.format(" (round %d of %d)", round, o.rounds());
      if (round > 1) {
        undoScoring(database, settings, modelId, !o.throughFunctions());
      }
      maintain(database, "VACUUM (ANALYZE)");
      maintain(database, "CHECKPOINT");
      progress(String.format("(a) baseline: plain SQL scores %,d leads in one transaction, rolled back after timing%s",
          leads, of));
      CpuMeter.Snapshot before = cpu.snapshot(ProcessHandle.current());
      ScoringBaseline.Result sql = ScoringBaseline.run(baseline.pool(), modelId, Instant.now(), null);
      CpuMeter.Usage sqlCpu = CpuMeter.between(before, cpu.snapshot(ProcessHandle.current()));
      progress(String.format("    %.2f s (aggregate %.2f s, writes %.2f s: %s)", sql.seconds(), sql.aggregateSeconds(),
          sql.writeSeconds(), sql.writeParts()));
      maintain(database, "VACUUM (ANALYZE)");
      maintain(database, "CHECKPOINT");

      // A fresh pool each round, as a function environment gets after its connections' lifetime.
      if (product != null) {
        product.close();
      }
      product = Database.connect(settings.withPoolSize(Math.max(2, o.parallel() * o.workers())), 1);
      resources.product = product;
      FullProduct full;
      FullProduct inProcess = null;
      if (o.throughFunctions()) {
        // The same work in this JVM first (RecalculationService, no timers, no HTTP), so that the
        // function path's cost shows against both sides under the same background load.
        progress(String.format("(a) in-process: RecalculationService until the full rescoring is done%s", of));
        publishModel(settings, modelId);
        inProcess = fullRescoring(o, product, modelId, cpu, cpu.snapshot(ProcessHandle.current()));
        progress(String.format("    %.2f s (%s); ratio %.2f", inProcess.seconds(), inProcess.how(),
            inProcess.seconds() / sql.seconds()));
        product.close();
        product = Database.connect(settings.withPoolSize(Math.max(2, o.parallel() * o.workers())), 1);
        resources.product = product;
        undoScoring(database, settings, modelId, false);
        maintain(database, "VACUUM (ANALYZE)");
        maintain(database, "CHECKPOINT");
        progress(String.format("(a) product: the local server started cold, the model published through its API, "
            + "until no lead is left in inquiry%s", of));
        full = FunctionPathRescoring.measure(o.localJar(), database, work, round, product, modelId, cpu,
            resources::setServer, o.rescoringParallelism());
        BenchSupport.stop(resources.server);
      } else {
        progress(String.format("(a) product: RecalculationService (batches of %d, parts of %,d, %d run(s) at once) "
            + "until the full rescoring is done%s", o.batchSize(), o.partSize(), o.parallel(), of));
        before = cpu.snapshot(ProcessHandle.current());
        full = fullRescoring(o, product, modelId, cpu, before);
      }
      progress(String.format("    %.2f s (%s); ratio %.2f", full.seconds(), full.how(), full.seconds() / sql.seconds()));
      if (full.total().leadsScored() != leads) {
        throw new BenchmarkFailure("the product scored " + full.total().leadsScored() + " of " + leads + " leads");
      }
      rounds.add(new Round(sql, sqlCpu, full, inProcess));
    }
    Round last = rounds.get(rounds.size() - 1);
    Written productWrites = written(product, modelId);
    ScoringBaseline.Result fullSql = last.sql();
    Written sqlWrites = new Written(fullSql.leads(), fullSql.leftInquiry(), fullSql.salesReady(), fullSql.timelineRows(),
        fullSql.outboxRows());
    progress("    cross-check: the product's scores against the baseline's SQL at the product's scoring times");
    Check fullCheck = check(product, baseline, modelId, null, fullSql.scores());
    String grades = grades(product, modelId);
    RecalculationService service = new RecalculationService(product, Clock.systemUTC(), o.batchSize());

    // (b) Incremental: changed contacts, the baseline (rolled back), then one product run.
    maintain(database, "VACUUM (ANALYZE)");
    maintain(database, "CHECKPOINT");
    List<UUID> changed = changeContacts(product, o.changed(), 0.17);
    progress(String.format("(b) %,d contacts got one new interaction each and are marked for rescoring", changed.size()));
    CpuMeter.Snapshot before = cpu.snapshot(ProcessHandle.current());
    ScoringBaseline.Result incrementalSql = ScoringBaseline.run(baseline.pool(), modelId, Instant.now(), changed);
    CpuMeter.Usage incrementalSqlCpu = CpuMeter.between(before, cpu.snapshot(ProcessHandle.current()));
    progress(String.format("    baseline %.3f s (rolled back)", incrementalSql.seconds()));
    before = cpu.snapshot(ProcessHandle.current());
    long start = System.nanoTime();
    RunSummary incremental = service.run(Duration.ofSeconds(50));
    double incrementalSeconds = (System.nanoTime() - start) / 1e9;
    CpuMeter.Usage incrementalCpu = CpuMeter.between(before, cpu.snapshot(ProcessHandle.current()));
    progress(String.format("    product %.3f s: %s", incrementalSeconds, incremental.toJson().encode()));
    long marksLeft = count(product, "SELECT count(*) FROM contacts_to_rescore");
    if (incremental.contactsRescored() != changed.size() || marksLeft != 0) {
      throw new BenchmarkFailure("the incremental run rescored " + incremental.contactsRescored() + " of "
          + changed.size() + " marked contacts; " + marksLeft + " marks left");
    }
    Check incrementalCheck = check(product, baseline, modelId, changed, incrementalSql.scores());

    // (c) Time to score through the local server.
    TimeToScore.Result latency = null;
    if (o.samples() > 0) {
      maintain(database, "VACUUM (ANALYZE)");
      latency = TimeToScore.measure(o.localJar(), database, work, o.samples(), resources::setServer);
      BenchSupport.stop(resources.server);
    }

    String command = System.getenv().getOrDefault("LEADCYCLE_BENCH_COMMAND",
        ("java -cp infra/bench/target/leadcycle-bench.jar " + ScoringBenchmark.class.getName() + " "
            + String.join(" ", args)).strip());
    report(o, command, startedAt, loadBefore + " before, " + loadAverage() + " after", dbInfo, sizes, leads,
        seedSeconds, warmup, rounds, grades, productWrites, sqlWrites, fullCheck, changed.size(), incremental,
        incrementalSeconds, incrementalCpu, incrementalSql, incrementalSqlCpu, incrementalCheck, latency);
  }

  /**
   * Warms the product's JVM up (class loading, JIT) as a long-running function environment is: a full
   * rescoring and an incremental run on throw-away data, then every table the benchmark fills is emptied.
   * The baseline's SQL runs once on it too. Returns what the report says about it.
   */
  private static String warmUp(Options o, BenchDatabase database, DatabaseSettings settings, Database baseline,
      Resources resources) throws SQLException {
    int contacts = o.warmup();
    progress(String.format("warm-up: %,d throw-away contacts with leads, %,d interactions; a full and an incremental "
        + "run, then the tables are emptied", contacts, contacts * 10));
    try (Connection c = connect(database)) {
      ScoringSeed.seed(c, new ScoringSeed.Sizes(Math.max(1, contacts / 10), contacts, contacts * 10, 0.8), 0.99);
    }
    maintain(database, "VACUUM (ANALYZE)");
    UUID model = createLiveModel(settings, ScoringBaseline.MODEL);
    ScoringBaseline.run(baseline.pool(), model, Instant.now(), null);
    Database product = Database.connect(settings, 1);
    resources.product = product;
    RecalculationService service = new RecalculationService(product, Clock.systemUTC(), o.batchSize());
    long start = System.nanoTime();
    RunSummary full = service.run(Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - start) / 1e9;
    service.run(Duration.ofMinutes(1));
    changeContacts(product, Math.max(1, contacts / 10), 0.5);
    service.run(Duration.ofMinutes(1));
    product.close();
    resources.product = null;
    maintain(database, "TRUNCATE lead_scores, lead_timeline, outbox, contacts_to_rescore, opportunities, interactions, "
        + "leads, contacts, accounts, scoring_models CASCADE");
    return String.format(Locale.ROOT, "the product's JVM first scored %,d throw-away leads (cold: %.1f s) and ran an "
        + "incremental run; those tables were then emptied", full.leadsScored(), seconds);
  }

  private static void publishModel(DatabaseSettings settings, UUID modelId) {
    try (Database db = Database.connect(settings.withPoolSize(1), 1)) {
      db.inTransaction(conn -> new ScoringModelStore().publish(conn, modelId)).await();
    }
  }

  /** A draft model, as the management API creates it. */
  private static UUID createDraftModel(DatabaseSettings settings, String json) {
    ModelDefinition definition = ModelDefinition.parse(new JsonObject(json).getMap());
    try (Database db = Database.connect(settings.withPoolSize(1), 1)) {
      return db.inTransaction(conn -> new ScoringModelStore().create(conn, definition, null)).await().id();
    }
  }

  /** A model created and published as the management API does it: its full rescoring is pending. */
  private static UUID createLiveModel(DatabaseSettings settings, String json) {
    ScoringModelStore models = new ScoringModelStore();
    ModelDefinition definition = ModelDefinition.parse(new JsonObject(json).getMap());
    try (Database db = Database.connect(settings.withPoolSize(1), 1)) {
      return db.inTransaction(conn -> models.create(conn, definition, null)
          .compose(draft -> models.publish(conn, draft.id()))).await().id();
    }
  }

  /**
   * Undoes a round's scoring, back to the seeded state: no scores, timeline rows or events, every lead
   * in inquiry without score, and the model's full rescoring pending again (published anew).
   */
  private static void undoScoring(BenchDatabase database, DatabaseSettings settings, UUID modelId, boolean publish)
      throws SQLException {
    maintain(database, "TRUNCATE lead_scores, lead_timeline, outbox, contacts_to_rescore CASCADE");
    maintain(database, "UPDATE leads SET stage = 'inquiry', sales_ready = false, score = NULL, grade = NULL, version = 0");
    if (!publish) {
      // Back to a draft, for the API to publish again.
      maintain(database, "DELETE FROM rescoring_partitions");
      maintain(database, "UPDATE scoring_models SET status = 'draft', published_at = NULL, rescoring_status = 'idle', "
          + "rescoring_after = NULL, rescoring_leads_scored = 0, rescoring_started_at = NULL, rescoring_finished_at = NULL");
      return;
    }
    try (Database db = Database.connect(settings.withPoolSize(1), 1)) {
      db.inTransaction(conn -> new ScoringModelStore().publish(conn, modelId)).await();
    }
  }

  /**
   * Runs the recalculation (each run with the scheduled function's 50 s budget, again while it ends with
   * work left) until the model's full rescoring is done: {@code --parallel} such runs at once, each on
   * its own thread and connection, as that many function invocations would.
   */
  private static FullProduct fullRescoring(Options o, Database product, UUID modelId, CpuMeter cpu,
      CpuMeter.Snapshot before) throws Exception {
    long start = System.nanoTime();
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(o.parallel());
    List<java.util.concurrent.Future<RunSummary[]>> invocations = new ArrayList<>();
    try {
      for (int i = 0; i < o.parallel(); i++) {
        RecalculationService service = new RecalculationService(product, Clock.systemUTC(), o.batchSize(), o.partSize(),
            o.workers());
        invocations.add(threads.submit(() -> {
          int runs = 0;
          RunSummary total = null;
          while (true) {
            RunSummary summary = service.run(Duration.ofSeconds(50));
            runs++;
            total = total == null ? summary : plus(total, summary);
            if (!summary.more()) {
              return new RunSummary[] {total, new RunSummary(runs, 0, 0, 0, 0, 0, false, 0)};
            }
          }
        }));
      }
      RunSummary total = null;
      int runs = 0;
      List<String> perRun = new ArrayList<>();
      for (java.util.concurrent.Future<RunSummary[]> invocation : invocations) {
        RunSummary[] result = invocation.get();
        total = total == null ? result[0] : plus(total, result[0]);
        runs += result[1].contactsRescored();
        perRun.add(String.format(Locale.ROOT, "%,d", result[0].fullRescoringLeads()));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      CpuMeter.Usage usage = CpuMeter.between(before, cpu.snapshot(ProcessHandle.current()));
      String status = product.read(conn -> conn.preparedQuery("SELECT rescoring_status FROM scoring_models WHERE id = $1")
          .execute(Tuple.of(modelId))).await().iterator().next().getString(0);
      if (!"idle".equals(status)) {
        throw new BenchmarkFailure("the model's rescoring is " + status + " after " + runs + " runs");
      }
      long parts = count(product, "SELECT count(*) FROM rescoring_partitions WHERE model_id = '" + modelId + "'");
      String how = String.format(Locale.ROOT, "RecalculationService, batches of %d (one transaction each) in %,d parts "
          + "of up to %,d leads, %d invocation(s) at once with %d batch(es) in flight each, %d run(s) in all; leads per "
          + "invocation %s; %,.0f leads/s", o.batchSize(), parts, o.partSize(), o.parallel(), o.workers(), runs,
          String.join(" + ", perRun),
          total.fullRescoringLeads() / seconds);
      return new FullProduct(seconds, runs, total, usage, how);
    } finally {
      threads.shutdownNow();
    }
  }

  private static RunSummary plus(RunSummary a, RunSummary b) {
    return new RunSummary(a.contactsRescored() + b.contactsRescored(), a.leadsScored() + b.leadsScored(),
        a.firstScored() + b.firstScored(), a.salesReady() + b.salesReady(), a.gradeChanges() + b.gradeChanges(),
        a.fullRescoringLeads() + b.fullRescoringLeads(), b.more(), a.millis() + b.millis());
  }

  /** The product's writes as the database holds them. */
  private static Written written(Database db, UUID modelId) {
    Row row = db.read(conn -> conn.preparedQuery("""
            SELECT (SELECT count(*) FROM lead_scores WHERE model_id = $1),
                   (SELECT count(*) FROM leads WHERE stage <> 'inquiry'),
                   (SELECT count(*) FROM leads WHERE sales_ready),
                   (SELECT count(*) FROM lead_timeline WHERE actor = 'scoring'),
                   (SELECT count(*) FROM outbox)""").execute(Tuple.of(modelId))).await().iterator().next();
    return new Written(row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
  }

  /**
   * Compares the product's stored scores (of every lead, or of the leads of {@code contacts}) with what
   * the baseline's aggregate gives at the very time the product scored each batch ({@code scored_at}):
   * these must be equal. Also compares them with the baseline's own run, a little earlier, where decay
   * may move a score by a point.
   */
  private static Check check(Database product, Database baseline, UUID modelId, List<UUID> contacts,
      Map<UUID, Integer> baselineRun) {
    Map<Instant, List<UUID>> contactsByTime = new HashMap<>();
    Map<UUID, Integer> stored = new HashMap<>();
    for (Row row : product.read(conn -> conn.preparedQuery("""
            SELECT s.scored_at, l.contact_id, s.lead_id, s.score FROM lead_scores s JOIN leads l ON l.id = s.lead_id
             WHERE s.model_id = $1 AND ($2::uuid[] IS NULL OR l.contact_id = ANY($2))""")
        .execute(Tuple.tuple().addUUID(modelId).addArrayOfUUID(contacts == null ? null : contacts.toArray(UUID[]::new))))
        .await()) {
      contactsByTime.computeIfAbsent(row.getOffsetDateTime(0).toInstant(), t -> new ArrayList<>()).add(row.getUUID(1));
      stored.put(row.getUUID(2), row.getInteger(3));
    }
    long mismatches = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<Instant, List<UUID>> batch : contactsByTime.entrySet()) {
      Map<UUID, Integer> expected = ScoringBaseline.scoresAt(baseline.pool(), modelId, batch.getKey(), batch.getValue());
      for (Map.Entry<UUID, Integer> e : expected.entrySet()) {
        Integer actual = stored.get(e.getKey());
        if (!e.getValue().equals(actual)) {
          mismatches++;
          if (examples.size() < 5) {
            examples.add("lead " + e.getKey() + ": product " + actual + ", SQL " + e.getValue() + " at " + batch.getKey());
          }
        }
      }
    }
    long equal = 0;
    long offByOne = 0;
    long offByMore = 0;
    for (Map.Entry<UUID, Integer> e : stored.entrySet()) {
      Integer sql = baselineRun.get(e.getKey());
      int difference = sql == null ? Integer.MAX_VALUE : Math.abs(sql - e.getValue());
      if (difference == 0) {
        equal++;
      } else if (difference == 1) {
        offByOne++;
      } else {
        offByMore++;
      }
    }
    return new Check(stored.size(), mismatches, examples, equal, offByOne, offByMore);
  }

  /**
   * Gives {@code n} random contacts one new interaction each, now (of a type a rule counts, or a form
   * submission), and marks them for rescoring as intake and the interactions route do.
   */
  private static List<UUID> changeContacts(Database product, int n, double seed) {
    List<UUID> contacts = new ArrayList<>();
    product.inTransaction(conn -> conn.query("SELECT setseed(" + seed + ")").execute()
        .compose(seeded -> conn.preparedQuery("""
            WITH picked AS (SELECT id FROM contacts ORDER BY random() LIMIT $1)
            INSERT INTO interactions (contact_id, type, occurred_at, context_kind, context_id, source_key)
            SELECT p.id, t.type, now(), CASE WHEN t.type = 'event_attended' THEN 'event' END,
                   CASE WHEN t.type = 'event_attended' THEN 'webinar-7' END, 'bench:changed:' || p.id || ':' || clock_timestamp()
              FROM picked p
             CROSS JOIN LATERAL (SELECT (ARRAY['website_visited', 'email_clicked', 'email_opened', 'event_attended',
                                               'form_submitted'])[1 + floor(random() * 5)::int] AS type
                                  WHERE p.id IS NOT NULL) t
            RETURNING contact_id""").execute(Tuple.of(n)))
        .compose(rows -> {
          rows.forEach(row -> contacts.add(row.getUUID(0)));
          return new RescoringMarks().markAll(conn, contacts);
        })).await();
    return contacts;
  }

  /** How the model's scores fall into its grades: "A 4.1 %, B 20.3 %, ...". */
  private static String grades(Database db, UUID modelId) {
    List<String> parts = new ArrayList<>();
    for (Row row : db.read(conn -> conn.preparedQuery("""
            SELECT grade, 100.0 * count(*) / sum(count(*)) OVER (), min(score), max(score) FROM lead_scores
             WHERE model_id = $1 GROUP BY grade ORDER BY grade""").execute(Tuple.of(modelId))).await()) {
      parts.add(String.format(Locale.ROOT, "%s %.1f %% (%d..%d)", row.getString(0), row.getDouble(1), row.getInteger(2),
          row.getInteger(3)));
    }
    return String.join(", ", parts);
  }

  private static long count(Database db, String sql) {
    return db.read(conn -> conn.query(sql).execute()).await().iterator().next().getLong(0);
  }

  /** VACUUM, ANALYZE or CHECKPOINT between phases, so that each side starts from a settled database. */
  private static void maintain(BenchDatabase database, String command) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute(command);
    }
  }

  private static void report(Options o, String command, String startedAt, String load, DatabaseInfo db,
      ScoringSeed.Sizes sizes, long leads, double seedSeconds, String warmup, List<Round> rounds, String grades,
      Written productWrites, Written sqlWrites, Check fullCheck, int changed, RunSummary incremental,
      double incrementalSeconds, CpuMeter.Usage incrementalCpu, ScoringBaseline.Result incrementalSql,
      CpuMeter.Usage incrementalSqlCpu, Check incrementalCheck, TimeToScore.Result latency) {
    double productSeconds = rounds.stream().mapToDouble(x -> x.product().seconds()).sum() / rounds.size();
    double sqlSeconds = rounds.stream().mapToDouble(x -> x.sql().seconds()).sum() / rounds.size();
    double fullRatio = productSeconds / sqlSeconds;
    boolean fullMet = fullRatio <= TARGET_FULL_RATIO;
    boolean incrementalMet = incrementalSeconds < TARGET_INCREMENTAL_SECONDS;
    boolean writesAgree = writesAgree(productWrites, sqlWrites, fullCheck);
    boolean checksPass = fullCheck.mismatches() == 0 && incrementalCheck.mismatches() == 0 && writesAgree;
    boolean latencyMet = latency == null || latency.maxSeconds() < TARGET_TIME_TO_SCORE_SECONDS;
    StringBuilder r = new StringBuilder();
    header(r, "scoring", command, startedAt, load, "both sides");
    line(r, "postgresql", db.version() + " (embedded, fresh), fsync=" + db.fsync() + ", synchronous_commit="
        + db.synchronousCommit() + ", shared_buffers=" + db.sharedBuffers() + "; VACUUM (ANALYZE) and CHECKPOINT "
        + "before each side");
    line(r, "data", String.format(Locale.ROOT, "%,d accounts, %,d contacts (%.0f %% in an account), %,d open leads in "
        + "inquiry (one per contact), %,d interactions over 90 days; seeded in %.1f s", sizes.accounts(),
        sizes.contacts(), 100 * sizes.accountShare(), leads, sizes.interactions(), seedSeconds));
    line(r, "model", "10 rules (demographic in/contains/eq/exists, firmographic eq/gt, behavioral each+window+cap, "
        + "each+decay, at_least_once+context, none -10), threshold " + ScoringBaseline.THRESHOLD);
    line(r, "warm-up", warmup);
    r.append('\n');

    r.append(String.format(Locale.ROOT, "(a) Full rescoring of a model that went live: %,d leads%s%n", leads,
        rounds.size() == 1 ? "" : ", " + rounds.size() + " rounds, each side from the same state"));
    for (int i = 0; i < rounds.size(); i++) {
      Round x = rounds.get(i);
      RunSummary t = x.product().total();
      String label = rounds.size() == 1 ? "times" : "round " + (i + 1);
      line(r, label, String.format(Locale.ROOT, "product %.2f s, SQL %.2f s: ratio %.2f", x.product().seconds(),
          x.sql().seconds(), x.ratio()));
      line(r, "  product", String.format(Locale.ROOT, "%s; %,d scored, %,d first scored, %,d sales-ready",
          x.product().how(), t.leadsScored(), t.firstScored(), t.salesReady()));
      line(r, "    cpu", o.throughFunctions() ? serverCpuLine(x.product().cpu())
          : cpuLine(x.product().cpu(), "bench JVM (the product)"));
      if (x.inProcess() != null) {
        line(r, "  in-process", String.format(Locale.ROOT, "%.2f s (ratio %.2f to SQL; function path / in-process "
            + "%.2f): %s", x.inProcess().seconds(), x.inProcess().seconds() / x.sql().seconds(),
            x.product().seconds() / x.inProcess().seconds(), x.inProcess().how()));
        line(r, "    cpu", cpuLine(x.inProcess().cpu(), "bench JVM (the product)"));
      }
      line(r, "  SQL", String.format(Locale.ROOT, "one transaction: aggregate %.2f s + writes %.2f s (%s)",
          x.sql().aggregateSeconds(), x.sql().writeSeconds(), x.sql().writeParts()));
      line(r, "    cpu", cpuLine(x.sqlCpu(), "bench JVM"));
    }
    line(r, "ratio", String.format(Locale.ROOT, "%.2f  (product %.2f s / SQL %.2f s%s)   target <= %.1f: %s", fullRatio,
        productSeconds, sqlSeconds, rounds.size() == 1 ? "" : ", means of the rounds", TARGET_FULL_RATIO,
        fullMet ? "MET" : "NOT MET"));
    line(r, "writes", String.format(Locale.ROOT, "product / SQL%s: scores %,d / %,d, left inquiry %,d / %,d, "
            + "sales-ready %,d / %,d, timeline rows %,d / %,d, outbox events %,d / %,d",
        rounds.size() == 1 ? "" : " (last round)", productWrites.scores(),
        sqlWrites.scores(), productWrites.leftInquiry(), sqlWrites.leftInquiry(), productWrites.salesReady(),
        sqlWrites.salesReady(), productWrites.timelineRows(), sqlWrites.timelineRows(), productWrites.outboxRows(),
        sqlWrites.outboxRows()));
    if (!productWrites.equals(sqlWrites)) {
      line(r, "", writesAgree
          ? "the sales-ready leads differ by no more than the scores that moved between the baseline's run and "
              + "the product's (decay, windows), two timeline rows and two events each: agree"
          : "DIFFERENT beyond what the scores that moved between the two runs explain");
    }
    checkLines(r, fullCheck);
    line(r, "grades", grades);
    r.append('\n');

    r.append(String.format(Locale.ROOT, "(b) Incremental: %,d contacts with one new interaction each%n", changed));
    line(r, "product", String.format(Locale.ROOT, "%.3f s  one RecalculationService run: %,d contacts, %,d leads "
        + "scored, %,d grade changes announced, %,d sales-ready   target < %.0f s: %s", incrementalSeconds,
        incremental.contactsRescored(), incremental.leadsScored(), incremental.gradeChanges(), incremental.salesReady(),
        TARGET_INCREMENTAL_SECONDS, incrementalMet ? "MET" : "NOT MET"));
    line(r, "  cpu", cpuLine(incrementalCpu, "bench JVM (the product)"));
    line(r, "baseline", String.format(Locale.ROOT, "%.3f s  the same SQL for these contacts' leads: aggregate %.3f s "
            + "+ writes %.3f s (with the grade-change events and the marks)", incrementalSql.seconds(),
        incrementalSql.aggregateSeconds(), incrementalSql.writeSeconds()));
    line(r, "  cpu", cpuLine(incrementalSqlCpu, "bench JVM"));
    line(r, "ratio", String.format(Locale.ROOT, "%.2f  (product / SQL; for information)",
        incrementalSeconds / incrementalSql.seconds()));
    checkLines(r, incrementalCheck);
    r.append('\n');

    if (latency != null) {
      r.append("(c) Time to score through the local server (recalculation timer: template.yaml's 1 s)\n");
      line(r, "path", latency.path());
      line(r, "samples", String.format(Locale.ROOT, "%d leads, one at a time, 0-1 s apart; GET polled every %d ms",
          latency.samples(), TimeToScore.POLL_MILLIS));
      line(r, "seconds", String.format(Locale.ROOT, "p50 %.2f, p90 %.2f, max %.2f   target < %.0f s: %s",
          latency.p50Seconds(), latency.p90Seconds(), latency.maxSeconds(), TARGET_TIME_TO_SCORE_SECONDS,
          latencyMet ? "MET" : "NOT MET"));
      r.append('\n');
    }

    r.append("Result\n");
    List<String> missed = new ArrayList<>();
    if (!fullMet) {
      missed.add("full ratio");
    }
    if (!incrementalMet) {
      missed.add("incremental time");
    }
    if (!latencyMet) {
      missed.add("time to score");
    }
    if (!checksPass) {
      missed.add("score cross-check");
    }
    line(r, "verdict", missed.isEmpty() ? "all targets met, scores equal" : "not met: " + String.join(", ", missed));
    if (o.keepFiles()) {
      line(r, "files", "kept");
    }
    System.out.print(r);
    System.out.flush();
  }

  /**
   * Whether the product's writes are the baseline's: equal, or apart only by leads whose score moved
   * between the baseline's run and the product's (a longer run: decay carries a lead across the
   * threshold), each such sales-ready lead with its two timeline rows and two events.
   */
  static boolean writesAgree(Written product, Written sql, Check check) {
    if (product.equals(sql)) {
      return true;
    }
    long salesReady = product.salesReady() - sql.salesReady();
    return product.scores() == sql.scores() && product.leftInquiry() == sql.leftInquiry()
        && Math.abs(salesReady) <= check.offByOne() + check.offByMore()
        && product.timelineRows() - sql.timelineRows() == 2 * salesReady
        && product.outboxRows() - sql.outboxRows() == 2 * salesReady;
  }

  private static void checkLines(StringBuilder r, Check c) {
    line(r, "check", String.format(Locale.ROOT, "%,d scores compared with the baseline's SQL at the product's scoring "
        + "times: %,d mismatches%s", c.compared(), c.mismatches(), c.mismatches() == 0 ? "" : " (" + c.examples() + ")"));
    line(r, "", String.format(Locale.ROOT, "with the baseline's own run (earlier: decay and windows move with time): %,d "
        + "equal, %,d off by 1, %,d off by more", c.equalToBaselineRun(), c.offByOne(), c.offByMore()));
  }

  private static String serverCpuLine(CpuMeter.Usage u) {
    return "local server " + u.cores(u.serverSeconds()) + ", postgres " + u.cores(u.postgresSeconds())
        + "; machine busy " + u.machineBusy();
  }

  private static String cpuLine(CpuMeter.Usage u, String jvm) {
    return jvm + " " + u.cores(u.benchSeconds()) + ", postgres " + u.cores(u.postgresSeconds()) + "; machine busy "
        + u.machineBusy();
  }
}
