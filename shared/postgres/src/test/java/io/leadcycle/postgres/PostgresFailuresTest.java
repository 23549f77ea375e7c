package io.leadcycle.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.http.Problem;
import io.leadcycle.platform.Failure;
import io.leadcycle.platform.FailureKind;
import io.leadcycle.testing.TestDatabase;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * The platform knows no database: it learns how the database's failures read from this module, through
 * {@code META-INF/services/io.leadcycle.runtime.KnownFailures}. Checked here with that file on the class
 * path, as a function's jar has it.
 */
class PostgresFailuresTest {

  @Test
  void anUnreachableDatabaseIsUnavailableAndTheCallerIsToldSoInOurWords() {
    Failure failure = Failure.of(new RuntimeException(new ConnectException("refused")));

    assertThat(failure.kind()).isEqualTo(FailureKind.UNAVAILABLE);
    assertThat(Problem.of(failure).toJson().getString("detail")).isEqualTo("The database is not reachable right now; retry later.");
  }

  @Test
  void aStatementCancelledByStatementTimeoutIsUnavailableAndNamesTheSetting() {
    Throwable cancelled = TestDatabase.database().pool().query("SET LOCAL statement_timeout = '10ms'; SELECT pg_sleep(1)")
        .execute().map(rows -> (Throwable) null).otherwise(error -> error).await();
    Failure failure = Failure.of(cancelled);

    assertThat(failure.kind()).isEqualTo(FailureKind.UNAVAILABLE);
    assertThat(failure.timeout()).isEqualTo("statement_timeout");
    assertThat(failure.sqlState()).isEqualTo("57014");
    assertThat(Problem.of(failure).toJson().getString("detail"))
        .isEqualTo("The database was too busy to finish this request in time; nothing was changed. Retry later.");
  }

  @Test
  void anyOtherFailureStaysABug() {
    assertThat(Failure.of(new IllegalStateException("rule error")).kind()).isEqualTo(FailureKind.BUG);
  }
}
