package io.leadcycle.bench;

import io.leadcycle.database.EmbeddedDatabase;
import io.leadcycle.database.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * The fresh, migrated PostgreSQL a run measures against. With {@code fsync=off} it is exactly the
 * project's {@link EmbeddedDatabase#temporary()}, which starts PostgreSQL with {@code -F} (no fsync, as
 * tests want). With {@code fsync=on} (the default, as BENCHMARKS.md and production have it) it is the
 * same embedded PostgreSQL with the same settings except that {@code fsync} is turned back on: the
 * {@code -c} options come after {@code -F} on the postmaster's command line, so they win.
 */
final class BenchDatabase implements AutoCloseable {

  static final String USER = EmbeddedDatabase.USER;
  static final String DATABASE = EmbeddedDatabase.DATABASE;

  private final EmbeddedDatabase embedded;
  private final EmbeddedPostgres durable;

  private BenchDatabase(EmbeddedDatabase embedded, EmbeddedPostgres durable) {
    this.embedded = embedded;
    this.durable = durable;
  }

  static BenchDatabase startMigrated(boolean fsync) {
    return startMigrated(fsync, Map.of());
  }

  /**
   * As {@link #startMigrated(boolean)}, with more server settings (e.g. {@code shared_preload_libraries});
   * these need {@code fsync} on, the durable setup.
   */
  static BenchDatabase startMigrated(boolean fsync, Map<String, String> serverConfig) {
    BenchDatabase db;
    if (!fsync) {
      if (!serverConfig.isEmpty()) {
        throw new IllegalArgumentException("server settings need --fsync on");
      }
      db = new BenchDatabase(EmbeddedDatabase.temporary(), null);
    } else {
      try {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("max_connections", "200")
            .setServerConfig("fsync", "on");
        serverConfig.forEach(builder::setServerConfig);
        db = new BenchDatabase(null, builder.start());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }
    try {
      Migrations.migrate(db.jdbcUrl(), USER, "");
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  int port() {
    return embedded != null ? embedded.port() : durable.getPort();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    } else {
      try {
        durable.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
