package io.leadcycle.leads;

import io.leadcycle.domain.EventTypes;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.NewLead;
import io.leadcycle.events.LeadEventPayload;
import io.leadcycle.process.Change;
import io.leadcycle.process.ProcessVersion;
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
 * Every new lead, whoever creates it (intake, a journey tile, an import, a user), is created the same way:
 * inserted in the first stage of the process version it runs on (the shipped process unless one is chosen), its timeline starting with that stage, and {@code lead.created} in the outbox,
 * all in the caller's transaction. The three statements are sent together (PostgreSQL runs them in
 * order on the connection), whether for one lead or a batch: the leads' creation time is taken here, so
 * the events' payloads are known without reading the rows back.
 */
public final class LeadCreation {

  private final LeadStore leads = new LeadStore();
  private final TimelineStore timeline = new TimelineStore();
  private final OutboxStore outbox = new OutboxStore();

  /** Creates {@code lead} with id {@code id} and announces it; answers the lead as stored. */
  public Future<Lead> create(SqlClient client, UUID id, NewLead lead, String actor, String reason) {
    return createAll(client, List.of(new Creation(id, lead, reason)), actor).map(created -> created.get(0));
  }

  /** As {@link #create(SqlClient, UUID, NewLead, String, String)}, with a new id. */
  public Future<Lead> create(SqlClient client, NewLead lead, String actor, String reason) {
    return create(client, UUID.randomUUID(), lead, actor, reason);
  }

  /** As {@link #create(SqlClient, UUID, NewLead, String, String)}, on {@code process}. */
  public Future<Lead> create(SqlClient client, UUID id, NewLead lead, ProcessVersion process, String actor,
      String reason) {
    return createAll(client, List.of(new Creation(id, lead, reason, process)), actor).map(created -> created.get(0));
  }

  /**
   * One lead of {@link #createAll}: its id, the lead, the reason on its timeline and event, and the process version
   * it runs on.
   */
  public record Creation(UUID id, NewLead lead, String reason, ProcessVersion process) {

    /** A lead on the shipped process. */
    public Creation(UUID id, NewLead lead, String reason) {
      this(id, lead, reason, ProcessVersion.DEFAULT);
    }
  }

  /** As {@link #create}, for a batch: three statements whatever its size, sent together. */
  public Future<List<Lead>> createAll(SqlClient client, List<Creation> creations, String actor) {
    if (creations.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<Lead> created = new java.util.ArrayList<>();
    List<LeadStore.NewLeadWithId> rows = new java.util.ArrayList<>();
    List<TimelineStore.Entries> entries = new java.util.ArrayList<>();
    List<OutboxStore.Event> events = new java.util.ArrayList<>();
    for (Creation c : creations) {
      ProcessVersion process = c.process();
      Lead lead = new Lead(c.id(), c.lead().topic(), c.lead().contactId(), c.lead().accountId(), c.lead().context(),
          process.newLeadState(), process.processId(), process.version(), Map.of(), null, null, null, null, now, now,
          null);
      List<Change> entered = List.of(new Change("stage", null, process.firstStage()));
      created.add(lead);
      rows.add(new LeadStore.NewLeadWithId(c.id(), c.lead(), process));
      entries.add(new TimelineStore.Entries(c.id(), entered, actor, c.reason()));
      events.add(new OutboxStore.Event(EventTypes.CREATED, c.id(), LeadEventPayload.of(lead, entered, actor, c.reason())));
    }
    return Future.all(leads.insertAll(client, rows, now), timeline.appendAll(client, entries),
            outbox.addAll(client, events))
        .map(done -> created);
  }
}
