package io.leadcycle.leads;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadPatch;
import io.leadcycle.domain.NewLead;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.TimelineEntry;
import io.leadcycle.http.JsonViews;
import io.leadcycle.process.Change;
import io.leadcycle.process.LeadProcess;
import io.leadcycle.process.LeadProcessMachine;
import io.leadcycle.process.LeadStatus;
import io.leadcycle.process.ProcessAction;
import io.leadcycle.process.ProcessRequest;
import io.leadcycle.process.Transition;
import io.leadcycle.runtime.Database;
import io.leadcycle.store.AccountStore;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.OpportunityStore;
import io.leadcycle.store.OutboxStore;
import io.leadcycle.store.TimelineStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Leads created and worked by hand: creation, linking, qualification findings and the process
 * actions. Every change runs in one transaction holding the lead's row lock, writes its timeline
 * entries and, for process events, its outbox rows, so concurrent actions queue instead of losing
 * updates and subscribers hear of exactly what committed.
 */
public final class LeadService {

  /** A lead with its timeline, as {@code GET /v1/leads/{id}} shows it. */
  public record LeadWithTimeline(Lead lead, List<TimelineEntry> timeline) {
  }

  private final Database database;
  private final LeadProcessMachine machine = new LeadProcessMachine(LeadProcess.DEFAULT);
  private final LeadStore leads = new LeadStore();
  private final ContactStore contacts = new ContactStore();
  private final AccountStore accounts = new AccountStore();
  private final TimelineStore timeline = new TimelineStore();
  private final OutboxStore outbox = new OutboxStore();
  private final OpportunityStore opportunities = new OpportunityStore();

  public LeadService(Database database) {
    this.database = database;
  }

  public Future<LeadWithTimeline> create(NewLeadInput input, String actor) {
    return database.inTransaction(conn -> requireParents(conn, input.contactId(), input.accountId())
        .compose(v -> leads.insert(conn, new NewLead(input.topic(), input.contactId(), input.accountId(),
            input.context().kind(), input.context().id(), input.context().name(), Map.of())))
        .compose(id -> timeline.append(conn, id,
                List.of(new Change("stage", null, machine.process().stageNames().get(0))), actor, "created")
            .compose(v -> withTimeline(conn, id))));
  }

  public Future<LeadWithTimeline> get(UUID id) {
    return database.read(conn -> withTimeline(conn, id));
  }

  public Future<LeadStore.Page> list(LeadStore.View view, String stage, Instant afterCreated, UUID afterId, int limit) {
    if (stage != null && !machine.process().stageNames().contains(stage)) {
      throw new InvalidInput("stage", "one of: " + String.join(", ", machine.process().stageNames()));
    }
    return database.read(conn -> leads.list(conn, view, stage, afterCreated, afterId, limit));
  }

  /** Links/unlinks the contact and account, renames the topic, merges qualification findings. */
  public Future<LeadWithTimeline> patch(UUID id, LeadPatch patch, String actor) {
    return database.inTransaction(conn -> lockOpen(conn, id).compose(lead -> {
      UUID contactId = patch.changesContact() ? patch.contactId() : lead.contactId();
      UUID accountId = patch.changesAccount() ? patch.accountId() : lead.accountId();
      String topic = patch.topic() != null ? patch.topic() : lead.topic();
      List<Change> changes = new ArrayList<>();
      diff(changes, "contactId", lead.contactId(), contactId);
      diff(changes, "accountId", lead.accountId(), accountId);
      diff(changes, "topic", lead.topic(), topic);
      return requireParents(conn, patch.changesContact() ? contactId : null, patch.changesAccount() ? accountId : null)
          .compose(v -> leads.updateDetails(conn, id, topic, contactId, accountId,
              patch.qualificationAfter(lead.qualification())))
          .compose(v -> timeline.append(conn, id, changes, actor, "edited"))
          .compose(v -> withTimeline(conn, id));
    }));
  }

  /** Applies one process action; a {@link io.leadcycle.process.ProcessConflict} when it does not fit. */
  public Future<LeadWithTimeline> act(UUID id, ProcessRequest request, String actor) {
    return database.inTransaction(conn -> lock(conn, id).compose(lead -> {
      Transition transition = machine.apply(lead.state(), request);
      if (!transition.changedAnything()) {
        return withTimeline(conn, id);
      }
      String disqualification = request.action() == ProcessAction.DISQUALIFY ? transition.reason() : null;
      return leads.updateState(conn, id, transition.after(), disqualification)
          .compose(v -> request.action() == ProcessAction.CONVERT
              ? opportunities.create(conn, lead, transition.after().ownerId()).mapEmpty()
              : Future.<Void>succeededFuture())
          .compose(v -> timeline.append(conn, id, transition.changes(), actor, transition.reason()))
          .compose(v -> leads.find(conn, id))
          .compose(updated -> outbox.add(conn, transition.events(), id, JsonViews.lead(updated)))
          .compose(v -> withTimeline(conn, id));
    }));
  }

  private Future<Lead> lock(SqlConnection conn, UUID id) {
    return leads.lock(conn, id).map(lead -> {
      if (lead == null) {
        throw new NotFound("No lead with id " + id + ".");
      }
      return lead;
    });
  }

  private Future<Lead> lockOpen(SqlConnection conn, UUID id) {
    return lock(conn, id).map(lead -> {
      if (lead.state().status() != LeadStatus.OPEN) {
        throw new Conflict("The lead is " + lead.state().status().wireName() + "; a closed lead cannot be edited.");
      }
      return lead;
    });
  }

  private Future<LeadWithTimeline> withTimeline(SqlConnection conn, UUID id) {
    return leads.find(conn, id).compose(lead -> {
      if (lead == null) {
        throw new NotFound("No lead with id " + id + ".");
      }
      return timeline.list(conn, id).map(entries -> new LeadWithTimeline(lead, entries));
    });
  }

  /** A parent named in a request must exist (400 otherwise): a lead never points at nothing. */
  private Future<Void> requireParents(SqlConnection conn, UUID contactId, UUID accountId) {
    Future<Boolean> contact = contactId == null ? Future.succeededFuture(true) : contacts.exists(conn, contactId);
    return contact.compose(contactExists -> {
      if (!contactExists) {
        throw new InvalidInput("contactId", "no contact with id " + contactId);
      }
      return accountId == null ? Future.succeededFuture(true) : accounts.exists(conn, accountId);
    }).map(accountExists -> {
      if (!accountExists) {
        throw new InvalidInput("accountId", "no account with id " + accountId);
      }
      return null;
    });
  }

  private static void diff(List<Change> changes, String field, Object from, Object to) {
    if (!Objects.equals(from, to)) {
      changes.add(new Change(field, from == null ? null : from.toString(), to == null ? null : to.toString()));
    }
  }
}
