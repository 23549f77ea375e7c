package io.leadcycle.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The per-execution-environment singletons: one {@link Vertx} with one event loop and one small
 * pool, built on first use (not at class load, so paths that never touch the database, such as
 * LinkedIn's challenge, stay fast on a cold start) and reused by every later invocation.
 */
public final class LeadcycleRuntime {

  private static volatile Database database;

  private LeadcycleRuntime() {
  }

  /** The shared database, created from the environment on first call. */
  public static Database database() {
    Database db = database;
    if (db == null) {
      synchronized (LeadcycleRuntime.class) {
        db = database;
        if (db == null) {
          // Settings first: when they (or the secret) fail, no Vert.x threads are left behind.
          DatabaseSettings settings = DatabaseSettings.fromEnvironment(System.getenv(),
              secretId -> SecretsManagerSecrets.fromEnvironment().apply(secretId));
          Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
          db = new Database(Database.createPool(vertx, settings));
          database = db;
        }
      }
    }
    return db;
  }

  /** For a host that builds its own pool (the local server): handlers created afterwards use it. */
  public static synchronized void install(Database shared) {
    database = shared;
  }
}
