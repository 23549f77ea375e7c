package io.leadcycle.runtime;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Set;

/** Recognizes the database failures worth a retry or a 503 rather than a 500. */
public final class Failures {

  /** Deadlock and serialization failure: PostgreSQL asks the client to run the transaction again. */
  private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

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
