package io.leadcycle.leads;

import io.leadcycle.domain.EventTypes;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.NewLead;
import io.leadcycle.events.LeadEventPayload;
import io.leadcycle.process.Change;
import io.leadcycle.process.LeadProcess;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.OutboxStore;
import io.leadcycle.store.TimelineStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every new lead, whoever creates it (intake, a journey tile, a user), is created the same way: inserted
 * in the first stage, its timeline starting with that stage, and {@code lead.created} in the outbox,
 * all in the caller's transaction. The three statements are sent together (PostgreSQL runs them in
 * order on the connection): the lead's creation time is taken here, so the event's payload is known
 * without reading the row back.
 */
public final class LeadCreation {

  private static final String FIRST_STAGE = LeadProcess.DEFAULT.stageNames().get(0);
  private static final List<Change> CREATED = List.of(new Change("stage", null, FIRST_STAGE));

  private final LeadStore leads = new LeadStore();
  private final TimelineStore timeline = new TimelineStore();
  private final OutboxStore outbox = new OutboxStore();

  /** Creates {@code lead} with id {@code id} and announces it; answers the lead as stored. */
  public Future<Lead> create(SqlClient client, UUID id, NewLead lead, String actor, String reason) {
    // Microseconds: what PostgreSQL keeps, so the event says exactly what the row holds.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Lead created = new Lead(id, lead.topic(), lead.contactId(), lead.accountId(), lead.context(),
        LeadState.newLead(FIRST_STAGE), Map.of(), null, null, null, null, now, now);
    return Future.all(
            leads.insert(client, id, lead, now),
            timeline.append(client, id, CREATED, actor, reason),
            outbox.add(client, List.of(EventTypes.CREATED), id, LeadEventPayload.of(created, CREATED, actor, reason)))
        .map(done -> created);
  }

  /** As {@link #create(SqlClient, UUID, NewLead, String, String)}, with a new id. */
  public Future<Lead> create(SqlClient client, NewLead lead, String actor, String reason) {
    return create(client, UUID.randomUUID(), lead, actor, reason);
  }
}
