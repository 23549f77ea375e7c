package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Marks contacts whose facts changed, so score recalculation rescores only what changed. */
public final class RescoringMarks {

  public Future<Void> mark(SqlClient client, UUID contactId) {
    return client.preparedQuery("""
            INSERT INTO contacts_to_rescore (contact_id) VALUES ($1)
            ON CONFLICT (contact_id) DO UPDATE SET marked_at = now()""")
        .execute(Tuple.of(contactId))
        .mapEmpty();
  }

  /** Marks several contacts in one statement (duplicates allowed; marked in id order, so concurrent batches queue). */
  public Future<Void> markAll(SqlClient client, java.util.Collection<UUID> contactIds) {
    if (contactIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO contacts_to_rescore (contact_id)
            SELECT DISTINCT id FROM unnest($1::uuid[]) AS marked (id) ORDER BY id
            ON CONFLICT (contact_id) DO UPDATE SET marked_at = now()""")
        .execute(Tuple.of(contactIds.toArray(UUID[]::new)))
        .mapEmpty();
  }
}
