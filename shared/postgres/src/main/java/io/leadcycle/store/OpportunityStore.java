package io.leadcycle.store;

import io.leadcycle.domain.Lead;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Opportunities: what converted leads become. */
public final class OpportunityStore {

  public Future<UUID> create(SqlClient client, Lead lead, String ownerId) {
    return client.preparedQuery("""
            INSERT INTO opportunities (lead_id, topic, contact_id, account_id, owner_id)
            VALUES ($1, $2, $3, $4, $5) RETURNING id""")
        .execute(Tuple.of(lead.id(), lead.topic(), lead.contactId(), lead.accountId(), ownerId))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }
}
