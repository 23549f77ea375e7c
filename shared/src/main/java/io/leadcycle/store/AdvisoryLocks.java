package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Transaction-scoped advisory locks on match keys: two transactions that look for the same person run
 * match-then-create one after the other, so the second finds what the first created.
 */
public final class AdvisoryLocks {

  /** Waits for the lock named {@code name}; it is released when the transaction ends. */
  public Future<Void> lock(SqlClient client, String name) {
    return client.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .execute(Tuple.of(name))
        .mapEmpty();
  }
}
