package io.leadcycle.database;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the SQL migrations under {@code db/migration} (Flyway). The local server, the tests and the
 * {@code db-migrate} deploy step all call this one method, so every database gets the same schema.
 */
public final class Migrations {

  private Migrations() {
  }

  /** A database that does not answer at once (an Aurora cluster resuming) gets this many more tries. */
  public static final int CONNECT_RETRIES = 3;

  /** Migrates the database to the newest version and returns the number of migrations applied. */
  public static int migrate(String jdbcUrl, String user, String password) {
    return migrate(jdbcUrl, user, password, CONNECT_RETRIES);
  }

  /**
   * As {@link #migrate(String, String, String)}, with {@code connectRetries} more tries to connect
   * (Flyway waits 1, 2, 4... seconds between them; tests of an unreachable database pass 0).
   */
  public static int migrate(String jdbcUrl, String user, String password, int connectRetries) {
    MigrateResult result = Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .connectRetries(connectRetries)
        .load()
        .migrate();
    return result.migrationsExecuted;
  }
}
