package io.leadcycle.platform;

import io.leadcycle.notifications.Nudge;
import io.leadcycle.runtime.Database;
import io.leadcycle.runtime.DatabaseSettings;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.S3ImportFiles;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The per-execution-environment singletons: the database (one {@link io.vertx.core.Vertx} with one
 * event loop and one small pool), the dead-letter queue and the notification nudge, built from the
 * environment on first use (not at class load, so paths that never touch them, such as LinkedIn's
 * challenge, stay fast on a cold start) and reused by every later invocation. A host that builds its own (the local server)
 * installs them before it creates handlers.
 *
 * <p>In a Lambda execution environment it also gets ready ahead of the first event ({@link #warmUp}) and
 * registers SnapStart's runtime hooks ({@link Priming}).
 */
public final class LeadcycleRuntime {

  /** The variable Lambda sets for its runtime: present only in a Lambda execution environment. */
  static final String RUNTIME_API_VARIABLE = "AWS_LAMBDA_RUNTIME_API";

  private static final Priming PRIMING = new Priming();
  private static volatile CompletableFuture<Void> warming;

  private static volatile DatabaseSettings settings;
  private static volatile Database database;
  private static volatile DeadLetters deadLetters;
  private static volatile Nudge nudge;
  private static volatile ImportFiles importFiles;

  private LeadcycleRuntime() {
  }

  /** The shared database, created from the environment on first call (or ready from {@link #warmUp}). */
  public static Database database() {
    CompletableFuture<Void> warm = warming;
    if (warm != null && !warm.isDone() && !isWarmingThread()) {
      // Its connection is being opened: wait for it rather than open a second one.
      warm.exceptionally(failure -> null).join();
    }
    Database db = database;
    if (db == null) {
      synchronized (LeadcycleRuntime.class) {
        db = database;
        if (db == null) {
          // Settings first: when they (or the secret) fail, no Vert.x threads are left behind.
          db = Database.connect(databaseSettings(), 1);
          database = db;
        }
      }
    }
    return db;
  }

  /** Where the database is, read from the environment (and Secrets Manager) once. */
  public static DatabaseSettings databaseSettings() {
    DatabaseSettings known = settings;
    if (known == null) {
      synchronized (LeadcycleRuntime.class) {
        if (settings == null) {
          settings = DatabaseSettings.fromEnvironment(System.getenv());
        }
        known = settings;
      }
    }
    return known;
  }

  /** Where refused queue messages go: {@code DEAD_LETTER_QUEUE_URL}, or nowhere (the redrive policy ends them). */
  public static DeadLetters deadLetters() {
    DeadLetters letters = deadLetters;
    if (letters == null) {
      synchronized (LeadcycleRuntime.class) {
        if (deadLetters == null) {
          deadLetters = SqsDeadLetters.fromEnvironment(System.getenv());
        }
        letters = deadLetters;
      }
    }
    return letters;
  }

  /** How writers nudge threshold notification: {@code NOTIFICATION_NUDGE_QUEUE_URL}, or not at all. */
  public static Nudge nudge() {
    Nudge known = nudge;
    if (known == null) {
      synchronized (LeadcycleRuntime.class) {
        if (nudge == null) {
          nudge = Nudge.fromEnvironment(System.getenv());
        }
        known = nudge;
      }
    }
    return known;
  }

  /** Where imported files live: {@code IMPORT_BUCKET}, or nowhere (imports refused). */
  public static ImportFiles importFiles() {
    ImportFiles known = importFiles;
    if (known == null) {
      synchronized (LeadcycleRuntime.class) {
        if (importFiles == null) {
          importFiles = S3ImportFiles.fromEnvironment(System.getenv());
        }
        known = importFiles;
      }
    }
    return known;
  }

  /** True in a Lambda execution environment (not on the local server, not in tests). */
  public static boolean inLambda() {
    return System.getenv(RUNTIME_API_VARIABLE) != null;
  }

  /**
   * In a Lambda execution environment, and once: reads the database settings (and their secret), starts
   * Vert.x and opens one pooled connection on a background thread while the runtime finishes its own
   * start and reads the first event; and registers {@link Priming} with SnapStart. Called by the
   * constructor Lambda uses, of functions that use the database. A failure here is logged and left to
   * the first request, which tries again and answers it (503).
   */
  public static void warmUp() {
    if (!inLambda()) {
      return;
    }
    register();
    synchronized (LeadcycleRuntime.class) {
      if (warming == null) {
        warming = CompletableFuture.runAsync(LeadcycleRuntime::connect, WARM_UP);
      }
    }
  }

  /**
   * In a Lambda execution environment: registers SnapStart's hooks (once) and {@code priming}, a function's
   * own work before the snapshot ({@link LeadcycleFunction#prime}).
   */
  public static void primeBeforeSnapshot(Runnable priming) {
    if (inLambda()) {
      register();
      PRIMING.functions.add(priming);
    }
  }

  private static final Executor WARM_UP = task -> {
    Thread thread = new Thread(task, "leadcycle-warm-up");
    thread.setDaemon(true);
    thread.start();
  };

  private static boolean isWarmingThread() {
    return Thread.currentThread().getName().equals("leadcycle-warm-up");
  }

  private static void connect() {
    try {
      database().pool().getConnection().compose(connection -> connection.close()).await();
    } catch (Exception | Error e) {
      JsonLog.warn(null, "getting the database ready failed; the first request tries again",
          new JsonObject().put("failure", Failure.of(e).kind().name()).put("reason", Failure.of(e).message()));
    }
  }

  private static void register() {
    if (!PRIMING.registered) {
      synchronized (PRIMING) {
        if (!PRIMING.registered) {
          Core.getGlobalContext().register(PRIMING);
          PRIMING.registered = true;
        }
      }
    }
  }

  /**
   * SnapStart's runtime hooks (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html).
   * Before the snapshot: wait for {@link #warmUp}, run the queries' code paths once (the pg client's row
   * decoders), build the AWS callers this function has (the SQS sender, the S3 signer: classes loaded,
   * nothing sent) and each function's own priming (its route table); then close the database, so no connection or secret is
   * kept in the snapshot. After a restore: warm up again in the background (settings and secret read
   * afresh, a new connection), while the runtime reads the first event.
   */
  static final class Priming implements Resource {

    private final List<Runnable> functions = new CopyOnWriteArrayList<>();
    private volatile boolean registered;
    /** Whether this function warmed the database up before the snapshot, and so does again after a restore. */
    private volatile boolean usesDatabase;

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
      CompletableFuture<Void> warm = warming;
      usesDatabase = warm != null;
      if (warm != null) {
        warm.join();
        primeQueries();
      }
      var env = System.getenv();
      if (env.get(SqsDeadLetters.QUEUE_URL_VARIABLE) != null) {
        deadLetters().prime();
      }
      if (env.get(Nudge.QUEUE_URL_VARIABLE) != null) {
        nudge().prime();
      }
      if (env.get(S3ImportFiles.BUCKET_VARIABLE) != null) {
        importFiles().prime();
      }
      // Priming builds what requests use but sends no event; were one added, it would not take the cold start.
      ColdStart.priming(() -> functions.forEach(Runnable::run));
      forgetDatabase();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
      ColdStart.afterRestore();
      synchronized (LeadcycleRuntime.class) {
        warming = null;
      }
      if (usesDatabase) {
        warmUp();
      }
    }

    /** One round trip through the types the stores read and write (best effort: priming never fails a deploy). */
    private static void primeQueries() {
      Database db = database;
      if (db == null) {
        return;
      }
      try {
        db.pool().preparedQuery("SELECT $1::text AS t, $2::int AS i, now() AS at, gen_random_uuid() AS id, "
            + "'{\"a\": [1]}'::jsonb AS j, 1.5::numeric AS n, true AS b")
            .execute(Tuple.of("x", 1)).await()
            .forEach(row -> row.toJson());
      } catch (Exception e) {
        JsonLog.warn(null, "priming the queries failed", new JsonObject().put("reason", Failure.of(e).message()));
      }
    }

    private static void forgetDatabase() {
      synchronized (LeadcycleRuntime.class) {
        Database db = database;
        database = null;
        settings = null;
        if (db != null) {
          db.close();
        }
      }
    }
  }

  /** For a host that keeps imported files itself (the local server: a directory). */
  public static synchronized void install(ImportFiles shared) {
    importFiles = shared;
  }

  /** For a host (or test) that nudges in its own way. */
  public static synchronized void install(Nudge shared) {
    nudge = shared;
  }

  /** For a host that builds its own pool (the local server): handlers created afterwards use it. */
  public static synchronized void install(DatabaseSettings where, Database shared) {
    settings = where;
    database = shared;
  }

  /** For a host with its own dead-letter lists (the local server). */
  public static synchronized void install(DeadLetters shared) {
    deadLetters = shared;
  }
}
