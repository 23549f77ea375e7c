package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Removes what one delivery from a source created, when the source says the person withdrew it
 * (LinkedIn's DELETED lead notification): the interaction, the lead and the contact, each only as far
 * as nothing else has come to depend on it (docs/linkedin.md, "Deleted leads").
 */
public final class ErasureStore {

  /** What became of a lead. */
  public enum LeadErasure { DELETED, ANONYMISED, GONE }

  public Future<Boolean> deleteInteraction(SqlClient client, UUID interactionId) {
    return client.preparedQuery("DELETE FROM interactions WHERE id = $1").execute(Tuple.of(interactionId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Deletes the lead with its timeline, scores and outbox events; a lead that was converted into an
   * opportunity (sales works it) is kept, with the answers it was created from removed.
   */
  public Future<LeadErasure> eraseLead(SqlClient client, UUID leadId) {
    return client.preparedQuery("""
            DELETE FROM leads l WHERE l.id = $1 AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.lead_id = l.id)""")
        .execute(Tuple.of(leadId))
        .compose(deleted -> deleted.rowCount() == 1 ? Future.succeededFuture(LeadErasure.DELETED)
            : client.preparedQuery("""
                    UPDATE leads SET submitted_fields = '{}'::jsonb, updated_at = now(), version = version + 1
                     WHERE id = $1""")
                .execute(Tuple.of(leadId))
                .map(updated -> updated.rowCount() == 1 ? LeadErasure.ANONYMISED : LeadErasure.GONE));
  }

  /**
   * Deletes the contact when nothing refers to it any more (no lead, interaction or opportunity: what the
   * erased delivery made is gone, and no other source has told us about the person since). True when it
   * was deleted.
   */
  public Future<Boolean> deleteContactIfUnreferenced(SqlClient client, UUID contactId) {
    return client.preparedQuery("""
            DELETE FROM contacts c WHERE c.id = $1
               AND NOT EXISTS (SELECT 1 FROM leads WHERE contact_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM interactions WHERE contact_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM opportunities WHERE contact_id = c.id)""")
        .execute(Tuple.of(contactId))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Whether the contact still exists. */
  public Future<Boolean> contactExists(SqlClient client, UUID contactId) {
    return client.preparedQuery("SELECT EXISTS (SELECT 1 FROM contacts WHERE id = $1) AS present")
        .execute(Tuple.of(contactId))
        .map(rows -> rows.iterator().next().getBoolean("present"));
  }
}
