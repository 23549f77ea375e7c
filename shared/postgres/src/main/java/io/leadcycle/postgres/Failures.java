package io.leadcycle.postgres;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Set;

/** Recognizes the database failures worth a retry or a 503 rather than a 500: unreachable, aborted, timed out. */
public final class Failures {

  /** Deadlock and serialization failure: PostgreSQL asks the client to run the transaction again. */
  private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

  /** query_canceled: statement_timeout ran out. */
  private static final String QUERY_CANCELED = "57014";

  /** lock_not_available: lock_timeout ran out. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private Failures() {
  }

  /** A connection that died under us (e.g. after a Lambda freeze): safe to retry once on a fresh one. */
  public static boolean isClosedConnection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClosedConnectionException) {
        return true;
      }
    }
    return false;
  }

  /** PostgreSQL rolled the transaction back and asks for it to be run again. */
  public static boolean isAbortedByServer(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && RETRYABLE_STATES.contains(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * PostgreSQL cancelled a statement that ran or waited too long: {@code statement_timeout} (57014,
   * {@code query_canceled}) or {@code lock_timeout} (55P03, {@code lock_not_available}). The transaction
   * was rolled back, so nothing was written; the same work may well pass later (503, a redelivered
   * message). It is not run again at once: a second wait as long would outlast the caller.
   */
  public static boolean isTimeout(Throwable failure) {
    return timeoutSetting(failure) != null;
  }

  /**
   * Which setting cancelled the statement: {@code "statement_timeout"}, {@code "lock_timeout"}, or null
   * when it was not a timeout. Told by SQLSTATE, never by the server's (localizable) message. 57014 is
   * also what a cancel request or {@code pg_cancel_backend} gives; the functions send none, so here it is
   * the statement timeout. 55P03 is also a {@code NOWAIT} lock refused; the functions use none.
   */
  public static String timeoutSetting(Throwable failure) {
    String state = sqlState(failure);
    if (QUERY_CANCELED.equals(state)) {
      return "statement_timeout";
    }
    if (LOCK_NOT_AVAILABLE.equals(state)) {
      return "lock_timeout";
    }
    return null;
  }

  /** The SQLSTATE of the first PostgreSQL error in the cause chain, or null: safe to log (no values). */
  public static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        return pg.getSqlState();
      }
    }
    return null;
  }

  /** The database cannot be reached at all: the client should retry later (503). */
  public static boolean isDatabaseUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedConnectionException
          || t instanceof io.netty.channel.ConnectTimeoutException) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
      if (t instanceof VertxException && t.getMessage() != null && t.getMessage().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }
}
