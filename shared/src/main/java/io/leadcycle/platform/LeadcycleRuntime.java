package io.leadcycle.platform;

import io.leadcycle.notifications.Nudge;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.runtime.S3ImportFiles;
import io.leadcycle.runtime.Database;
import io.leadcycle.runtime.DatabaseSettings;

/**
 * The per-execution-environment singletons: the database (one {@link io.vertx.core.Vertx} with one
 * event loop and one small pool), the dead-letter queue and the notification nudge, built from the
 * environment on first use (not at class load, so paths that never touch them, such as LinkedIn's
 * challenge, stay fast on a cold start) and reused by every later invocation. A host that builds its own (the local server)
 * installs them before it creates handlers.
 */
public final class LeadcycleRuntime {

  private static volatile DatabaseSettings settings;
  private static volatile Database database;
  private static volatile DeadLetters deadLetters;
  private static volatile Nudge nudge;
  private static volatile ImportFiles importFiles;

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
