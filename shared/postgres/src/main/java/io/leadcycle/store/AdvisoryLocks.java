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

  /**
   * Waits for every lock of {@code names}, in the order of their lock keys, so that two transactions
   * locking overlapping sets never deadlock: a batch's lock for each person it imports, the same lock
   * {@link #lock} takes for one submission. Each lock takes a slot of PostgreSQL's shared lock table
   * (sized by {@code max_locks_per_transaction}), which bounds how many one transaction may hold.
   */
  public Future<Void> lockAll(SqlClient client, java.util.Collection<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            SELECT count(pg_advisory_xact_lock(k.key)) FROM (
              SELECT DISTINCT hashtextextended(name, 0) AS key FROM unnest($1::text[]) AS name ORDER BY 1) AS k""")
        .execute(Tuple.of(names.toArray(String[]::new)))
        .mapEmpty();
  }
}
