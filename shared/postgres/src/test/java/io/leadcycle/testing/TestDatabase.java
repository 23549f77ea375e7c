package io.leadcycle.testing;

import io.leadcycle.database.EmbeddedDatabase;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.DatabaseSettings;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * One real PostgreSQL per test JVM (embedded, migrated once). Tests isolate themselves by calling
 * {@link #reset()}, which empties every table but keeps the built-in matching strategies and process.
 */
public final class TestDatabase {

  private static EmbeddedDatabase postgres;
  private static Database database;

  private TestDatabase() {
  }

  public static synchronized Database database() {
    if (database == null) {
      postgres = EmbeddedDatabase.temporary();
      postgres.migrate();
      database = Database.connect(settingsOf(postgres, 16), 2);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        database.close();
        postgres.close();
      }));
    }
    return database;
  }

  /** Connection settings of the test database, for code that builds its own pool. */
  public static DatabaseSettings settings(int poolSize) {
    database();
    return settingsOf(postgres, poolSize);
  }

  private static DatabaseSettings settingsOf(EmbeddedDatabase db, int poolSize) {
    return DatabaseSettings.fromEnvironment(Map.of("DATABASE_URL", db.databaseUrl() + "?sslmode=disable",
        "DB_POOL_SIZE", Integer.toString(poolSize)), secretId -> null);
  }

  public static EmbeddedDatabase postgres() {
    database();
    return postgres;
  }

  public static Vertx vertx() {
    return database().vertx();
  }

  /** The test database as a {@code DATABASE_URL}, for a local server started by a test. */
  public static String url() {
    DatabaseSettings s = settings(8);
    return "postgresql://" + s.user() + "@" + s.host() + ":" + s.port() + "/" + s.database() + "?sslmode=disable";
  }

  /** Empties all data tables; the default strategies stay. */
  public static void reset() {
    // A local server under test runs functions in the background (timers, nudged runs): its transaction and
    // this TRUNCATE may take their locks in opposite orders. PostgreSQL then aborts one; retry ours.
    for (int attempt = 1; ; attempt++) {
      try {
        database().pool().query(RESET).execute().await();
        return;
      } catch (RuntimeException e) {
        if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("deadlock detected")) {
          throw e;
        }
      }
    }
  }

  private static final String RESET = """
        TRUNCATE segment_members, segments, intake_receipts, journey_tile_leads, contact_consent_history, contacts_to_rescore, contacts_to_resegment, interactions, lead_timeline, lead_activities, delivery_attempts,
          deliveries, subscribers, outbox, opportunities, lead_scores, rescoring_partitions, scoring_models, leads, contacts, accounts, forms,
          linkedin_form_mappings, linkedin_responses, import_warnings, import_errors, imports, erasure_keys, erasure_hashes, erasures;
        UPDATE linkedin_sync_state SET watermark = NULL, last_poll_started_at = NULL, last_poll_finished_at = NULL,
          last_poll_outcome = NULL, last_poll_responses = NULL, last_successful_poll_at = NULL, last_error = NULL,
          last_error_at = NULL, counts_since = now(), poll_lease_until = NULL;
        DELETE FROM matching_strategies WHERE id NOT IN ('default-contact', 'default-lead');
        DELETE FROM processes WHERE id <> 'default';
        """;

  /** A single number from a query (e.g. {@code SELECT count(*) FROM contacts}). */
  public static long count(String sql) {
    return database().pool().query(sql).execute().await().iterator().next().getLong(0);
  }
}
