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

  /** Migrates the database to the newest version and returns the number of migrations applied. */
  public static int migrate(String jdbcUrl, String user, String password) {
    MigrateResult result = Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        // Concurrent deploy steps (or a test JVM and a local server) wait on Flyway's own lock.
        .connectRetries(3)
        .load()
        .migrate();
    return result.migrationsExecuted;
  }
}
