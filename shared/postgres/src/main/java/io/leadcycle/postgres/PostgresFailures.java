package io.leadcycle.postgres;

import io.leadcycle.runtime.KnownFailures;

/** The database's failures for the platform's classification (registered in {@code META-INF/services}). */
public final class PostgresFailures implements KnownFailures {

  @Override
  public boolean isUnavailable(Throwable failure) {
    return Failures.isDatabaseUnavailable(failure) || Failures.isAbortedByServer(failure) || Failures.isTimeout(failure);
  }

  @Override
  public String timeoutSetting(Throwable failure) {
    return Failures.timeoutSetting(failure);
  }

  @Override
  public String sqlState(Throwable failure) {
    return Failures.sqlState(failure);
  }

  @Override
  public String advice(Throwable failure) {
    return Failures.isAbortedByServer(failure)
        ? "The database could not finish this request because of concurrent changes; retry."
        : Failures.isTimeout(failure)
            ? "The database was too busy to finish this request in time; nothing was changed. Retry later."
            : "The database is not reachable right now; retry later.";
  }
}
