package io.leadcycle.local;

import io.leadcycle.database.EmbeddedDatabase;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.DatabaseSettings;
import io.leadcycle.privacy.PrivacyKey;
import io.leadcycle.aws.SecretsManagerSecrets;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one database every hosted function uses: the one the environment names, else an embedded
 * PostgreSQL whose data stays in the data directory. Its Vert.x also carries the HTTP server and timers.
 */
final class LocalDatabase implements AutoCloseable {

  /** The timeouts hold for the embedded database too, so that they can be tried locally. */
  private static final List<String> PASSED_TO_EMBEDDED = List.of("DB_STATEMENT_TIMEOUT_MS", "DB_LOCK_TIMEOUT_MS",
      "DB_TIMEOUTS_IN_STARTUP");

  private final Database database;
  private final EmbeddedDatabase embedded;

  private LocalDatabase(Database database, EmbeddedDatabase embedded) {
    this.database = database;
    this.embedded = embedded;
  }

  /** Connects (starting the embedded database first if none is configured) and installs it for the functions. */
  static LocalDatabase open(Map<String, String> env, Path dataDirectory) {
    EmbeddedDatabase embedded = null;
    Database database = null;
    try {
      DatabaseSettings settings;
      if (DatabaseSettings.configured(env)) {
        settings = DatabaseSettings.fromEnvironment(env);
      } else {
        embedded = EmbeddedDatabase.persistent(dataDirectory.resolve("postgres"));
        settings = DatabaseSettings.fromEnvironment(embeddedEnvironment(env, embedded));
      }
      // One local process serves many requests at once, unlike one Lambda environment. One event loop, as
      // in Lambda: handlers run on their own threads, so more loops only add hops between threads.
      settings = settings.withPoolSize(LocalSettings.positive(env, "DB_POOL_SIZE", 16));
      database = Database.connect(settings, LocalSettings.positive(env, "LEADCYCLE_EVENT_LOOPS", 1));
      SharedDatabase.install(settings, database);
      // The tombstones' hash key: the environment's, else one kept beside the data directory (not in the database).
      PrivacyKey key = PrivacyKey.fromEnvironment(env, id -> SecretsManagerSecrets.fromEnvironment(env).apply(id));
      PrivacyKey.install(key != null ? key : PrivacyKey.keptIn(dataDirectory.resolve("privacy-hash.key")));
      return new LocalDatabase(database, embedded);
    } catch (RuntimeException | Error e) {
      new LocalDatabase(database, embedded).close(); // a failed start leaves no PostgreSQL running
      throw e;
    }
  }

  private static Map<String, String> embeddedEnvironment(Map<String, String> env, EmbeddedDatabase embedded) {
    Map<String, String> embeddedEnv = new HashMap<>();
    embeddedEnv.put("DATABASE_URL", embedded.databaseUrl() + "?sslmode=disable");
    for (String name : PASSED_TO_EMBEDDED) {
      if (env.get(name) != null) {
        embeddedEnv.put(name, env.get(name));
      }
    }
    return embeddedEnv;
  }

  Database database() {
    return database;
  }

  Vertx vertx() {
    return database.vertx();
  }

  @Override
  public void close() {
    if (database != null) {
      database.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
