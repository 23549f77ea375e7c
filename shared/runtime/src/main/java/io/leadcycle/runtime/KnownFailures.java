package io.leadcycle.runtime;

/**
 * How a resource's own failures read (the database's: unreachable, aborted, timed out), for the one
 * classification of failures every trigger kind shares ({@code io.leadcycle.platform.Failure}). The
 * module that owns the resource provides one through {@link java.util.ServiceLoader}
 * ({@code META-INF/services}), so the platform knows no database client and a jar without a database has
 * no such classification at all.
 */
public interface KnownFailures {

  /** The resource cannot be used now but may be soon (unreachable, aborted, timed out): retry later, 503. */
  boolean isUnavailable(Throwable failure);

  /** The setting that cancelled the work ({@code statement_timeout}, {@code lock_timeout}), or null. */
  String timeoutSetting(Throwable failure);

  /** The resource's error code behind the failure, safe to log (PostgreSQL's SQLSTATE), or null. */
  String sqlState(Throwable failure);

  /** For a failure {@link #isUnavailable}: what the caller is told, in our words (never the resource's). */
  String advice(Throwable failure);
}
