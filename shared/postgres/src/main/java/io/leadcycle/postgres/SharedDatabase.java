package io.leadcycle.postgres;

import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.Lazy;
import io.leadcycle.runtime.LeadcycleRuntime;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The database of an execution environment: one {@link io.vertx.core.Vertx} with one event loop and one
 * small pool, built from the environment on first use (not at class load, so paths that never touch it,
 * such as LinkedIn's challenge, stay fast on a cold start) and reused by every later invocation. A host
 * that builds its own (the local server) {@link #install}s it before it creates handlers.
 *
 * <p>In a Lambda execution environment it also gets ready ahead of the first event ({@link #warmingUp})
 * and takes part in SnapStart's snapshots: before one, it waits for the warm-up, runs the queries' code
 * paths once and closes, so no connection or secret is kept in the snapshot; after a restore it warms up
 * again while the runtime reads the first event.
 */
public final class SharedDatabase {

  private static final String WARM_UP_THREAD = "leadcycle-warm-up";

  /** Where the database is, read from the environment (and Secrets Manager) once. */
  private static final Lazy<DatabaseSettings> SETTINGS =
      Lazy.of(() -> DatabaseSettings.fromEnvironment(System.getenv()));

  // Settings first: when they (or the secret) fail, no Vert.x threads are left behind.
  private static final Lazy<Database> DATABASE = Lazy.of(() -> Database.connect(SETTINGS.get(), 1));

  private static volatile CompletableFuture<Void> warming;
  private static volatile boolean hooked;

  private SharedDatabase() {
  }

  /** The shared database, created from the environment on first call (or ready from {@link #warmingUp}). */
  public static Database get() {
    CompletableFuture<Void> warm = warming;
    if (warm != null && !warm.isDone() && !Thread.currentThread().getName().equals(WARM_UP_THREAD)) {
      // Its connection is being opened: wait for it rather than open a second one.
      warm.exceptionally(failure -> null).join();
    }
    return DATABASE.get();
  }

  /** Where the database is, read from the environment (and Secrets Manager) once. */
  public static DatabaseSettings settings() {
    return SETTINGS.get();
  }

  /**
   * The database for a function's Lambda constructor. In a Lambda execution environment, and once: reads
   * the settings (and their secret), starts Vert.x and opens one pooled connection on a background thread
   * while the runtime finishes its own start and reads the first event, and joins SnapStart's hooks. A
   * failure here is logged and left to the first request, which tries again and answers it (503).
   */
  public static Supplier<Database> warmingUp() {
    if (LeadcycleRuntime.inLambda()) {
      synchronized (SharedDatabase.class) {
        if (!hooked) {
          LeadcycleRuntime.onSnapshot(new Snapshots());
          hooked = true;
        }
        if (warming == null) {
          warming = CompletableFuture.runAsync(SharedDatabase::connect, task -> {
            Thread thread = new Thread(task, WARM_UP_THREAD);
            thread.setDaemon(true);
            thread.start();
          });
        }
      }
    }
    return SharedDatabase::get;
  }

  /** For a host that builds its own pool (the local server): handlers created afterwards use it. */
  public static void install(DatabaseSettings where, Database shared) {
    SETTINGS.install(where);
    DATABASE.install(shared);
  }

  private static void connect() {
    try {
      get().pool().getConnection().compose(connection -> connection.close()).await();
    } catch (Exception | Error e) {
      JsonLog.warn(null, "getting the database ready failed; the first request tries again",
          new JsonObject().put("failure", e.getClass().getSimpleName()).put("reason", String.valueOf(e.getMessage())));
    }
  }

  /** The database's part in a SnapStart snapshot. */
  private static final class Snapshots implements LeadcycleRuntime.SnapshotHook {

    @Override
    public void beforeSnapshot() {
      CompletableFuture<Void> warm = warming;
      if (warm != null) {
        warm.join();
        primeQueries();
      }
      synchronized (SharedDatabase.class) {
        warming = null;
        SETTINGS.forget();
        Database db = DATABASE.forget();
        if (db != null) {
          db.close();
        }
      }
    }

    @Override
    public void afterRestore() {
      warmingUp();
    }

    /** One round trip through the types the stores read and write (best effort: priming never fails a deploy). */
    private static void primeQueries() {
      Database db = DATABASE.peek();
      if (db == null) {
        return;
      }
      try {
        db.pool().preparedQuery("SELECT $1::text AS t, $2::int AS i, now() AS at, gen_random_uuid() AS id, "
            + "'{\"a\": [1]}'::jsonb AS j, 1.5::numeric AS n, true AS b")
            .execute(Tuple.of("x", 1)).await()
            .forEach(row -> row.toJson());
      } catch (Exception e) {
        JsonLog.warn(null, "priming the queries failed", new JsonObject().put("reason", String.valueOf(e.getMessage())));
      }
    }
  }
}
