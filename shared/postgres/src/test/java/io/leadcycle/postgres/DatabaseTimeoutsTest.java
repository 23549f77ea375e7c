package io.leadcycle.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.platform.Failure;
import io.leadcycle.platform.FailureKind;
import io.leadcycle.postgres.DatabaseSettings.Timeouts;
import io.leadcycle.testing.TestDatabase;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timeouts on the real PostgreSQL: every pooled connection carries them, and a statement that
 * PostgreSQL cancels for running or waiting too long is recognized as such and classified unavailable.
 */
class DatabaseTimeoutsTest {

  private Database impatient;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @AfterEach
  void close() {
    if (impatient != null) {
      impatient.close();
    }
  }

  private Database connect(Timeouts timeouts) {
    impatient = Database.connect(TestDatabase.settings(2).withTimeouts(timeouts), 1);
    return impatient;
  }

  private static String show(Database database, String setting) {
    return database.read(conn -> conn.query("SHOW " + setting).execute()).await().iterator().next().getString(0);
  }

  @Test
  void everyConnectionOfTheDefaultSettingsHasTenSecondsPerStatementAndFiveSecondsPerLock() {
    assertThat(TestDatabase.settings(2).timeouts()).isEqualTo(Timeouts.DEFAULT);
    Database database = TestDatabase.database();

    // Several rounds: each may run on another connection of the pool.
    for (int i = 0; i < 4; i++) {
      assertThat(show(database, "statement_timeout")).isEqualTo("10s");
      assertThat(show(database, "lock_timeout")).isEqualTo("5s");
    }
  }

  @Test
  void aConnectionShowsTheConfiguredTimeoutsAndKeepsTheClientsOtherStartupParameters() {
    Database database = connect(new Timeouts(1_234, 300, true));

    assertThat(show(database, "statement_timeout")).isEqualTo("1234ms");
    assertThat(show(database, "lock_timeout")).isEqualTo("300ms");
    // Added to the client's startup parameters, not instead of them: the codec relies on these.
    assertThat(show(database, "client_encoding")).isEqualTo("UTF8");
    assertThat(show(database, "DateStyle")).startsWith("ISO");
    assertThat(show(database, "application_name")).isEqualTo("vertx-pg-client");
  }

  @Test
  void timeoutsNotSentAtStartupAreTheServersOwn() {
    Database database = connect(new Timeouts(1_234, 300, false));

    assertThat(show(database, "statement_timeout")).isEqualTo("0");
    assertThat(show(database, "lock_timeout")).isEqualTo("0");
  }

  @Test
  void aStatementThatRunsTooLongIsCancelledAndClassifiedUnavailable() {
    Database database = connect(new Timeouts(200, 5_000, true));

    Throwable thrown = catchThrowable(() -> database.read(conn -> conn.query("SELECT pg_sleep(30)").execute()).await());

    assertThat(Failures.isTimeout(thrown)).as("%s", thrown).isTrue();
    assertThat(Failures.timeoutSetting(thrown)).isEqualTo("statement_timeout");
    assertThat(Failures.sqlState(thrown)).isEqualTo("57014");
    Failure failure = Failure.of(thrown);
    assertThat(failure.kind()).isEqualTo(FailureKind.UNAVAILABLE);
    assertThat(failure.timeout()).isEqualTo("statement_timeout");
    assertThat(failure.message()).contains("statement_timeout").doesNotContain("pg_sleep");
    // The connection is fine afterwards: only the statement was cancelled.
    assertThat(show(database, "statement_timeout")).isEqualTo("200ms");
  }

  @Test
  void aLockWaitThatLastsTooLongIsCancelledTheTransactionRolledBackAndClassifiedUnavailable() {
    Database database = connect(new Timeouts(10_000, 300, true));
    UUID id = UUID.randomUUID();
    TestDatabase.database().pool().preparedQuery("INSERT INTO accounts (id, name) VALUES ($1, 'Locked'), "
        + "(gen_random_uuid(), 'Free')").execute(Tuple.of(id)).await();
    SqlConnection holder = TestDatabase.database().pool().getConnection().await();
    try {
      holder.query("BEGIN").execute().await();
      holder.preparedQuery("SELECT id FROM accounts WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)).await();

      Throwable thrown = catchThrowable(() -> database.inTransaction(conn -> conn
          .query("UPDATE accounts SET industry = 'written before the wait' WHERE name = 'Free'").execute()
          .compose(x -> conn.preparedQuery("UPDATE accounts SET industry = 'never' WHERE id = $1")
              .execute(Tuple.of(id))))
          .await());

      assertThat(Failures.timeoutSetting(thrown)).as("%s", thrown).isEqualTo("lock_timeout");
      assertThat(Failures.sqlState(thrown)).isEqualTo("55P03");
      assertThat(Failures.isAbortedByServer(thrown)).isFalse();
      assertThat(Failure.of(thrown).kind()).isEqualTo(FailureKind.UNAVAILABLE);
    } finally {
      holder.query("ROLLBACK").execute().await();
      holder.close().await();
    }
    assertThat(TestDatabase.count("SELECT count(*) FROM accounts WHERE industry IS NOT NULL"))
        .as("the transaction's write before the wait was rolled back").isZero();
  }
}
