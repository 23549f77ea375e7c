package io.leadcycle.leads;

import io.leadcycle.domain.Activity;
import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.EventTypes;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadScore;
import io.leadcycle.domain.LeadPatch;
import io.leadcycle.domain.NewLead;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.TimelineEntry;
import io.leadcycle.events.JsonViews;
import io.leadcycle.events.LeadEventPayload;
import io.leadcycle.process.Change;
import io.leadcycle.process.FieldType;
import io.leadcycle.process.ProcessMachine;
import io.leadcycle.process.StageDefinition;
import io.leadcycle.process.StageFieldValues;
import io.leadcycle.processes.ProcessCatalog;
import io.leadcycle.domain.FieldError;
import io.leadcycle.store.ProcessStore;
import java.util.LinkedHashMap;
import io.leadcycle.domain.LeadStatus;
import io.leadcycle.process.ProcessAction;
import io.leadcycle.process.ProcessRequest;
import io.leadcycle.process.Transition;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.AccountStore;
import io.leadcycle.store.ActivityStore;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.ContactStore.MatchedContact;
import io.leadcycle.store.LeadScoreStore;
import io.leadcycle.store.RescoringMarks;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.OpportunityStore;
import io.leadcycle.store.OutboxStore;
import io.leadcycle.store.TimelineStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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

  /** A lead with its timeline and scores, as {@code GET /v1/leads/{id}} shows it. */
  public record LeadWithTimeline(Lead lead, List<TimelineEntry> timeline, List<LeadScore> scores) {
  }

  /** A process action's outcome: the lead as it is now, and the types of the outbox events the action wrote. */
  public record Acted(LeadWithTimeline lead, List<String> events) {

    public Acted {
      events = List.copyOf(events);
    }
  }

  /** An activity as logged, and the lead as it is now (its timeline ending with the activity). */
  public record LoggedActivity(Activity.Logged activity, LeadWithTimeline lead) {
  }

  /** A page of a list view, with the scores of its leads. */
  public record ScoredPage(LeadStore.Page page, Map<UUID, List<LeadScore>> scores) {
  }

  private final Database database;
  private final ProcessCatalog catalog = new ProcessCatalog();
  private final ProcessStore processes = new ProcessStore();
  private final LeadStore leads = new LeadStore();
  private final ContactStore contacts = new ContactStore();
  private final AccountStore accounts = new AccountStore();
  private final TimelineStore timeline = new TimelineStore();
  private final OutboxStore outbox = new OutboxStore();
  private final OpportunityStore opportunities = new OpportunityStore();
  private final LeadScoreStore scores = new LeadScoreStore();
  private final RescoringMarks rescoring = new RescoringMarks();
  private final io.leadcycle.store.SegmentMarks segmentFacts = new io.leadcycle.store.SegmentMarks();
  private final LeadCreation creation = new LeadCreation();
  private final ActivityStore activities = new ActivityStore();

  public LeadService(Database database) {
    this.database = database;
  }

  /**
   * Creates a lead in the first stage. Like a lead from intake, it takes its contact's account unless
   * the input names an account itself. Without either parent it is created all the same, unscorable
   * ({@link Lead#unscorableReason()}).
   */
  public Future<LeadWithTimeline> create(NewLeadInput input, String actor) {
    return database.inTransaction(conn -> catalog.live(conn, input.processId(), "processId")
        .compose(process -> requireParents(conn, input.contactId(), input.accountId())
        .compose(contactsAccount -> creation.create(conn, UUID.randomUUID(), new NewLead(input.topic(), input.contactId(),
            input.accountId() != null ? input.accountId() : contactsAccount,
            input.context().kind(), input.context().id(), input.context().name(), Map.of()), process, actor, "created")))
        .compose(lead -> rescoring.markFactsOf(conn, lead.contactId(), lead.accountId())
            .compose(marked -> withTimeline(conn, lead.id()))));
  }

  public Future<LeadWithTimeline> get(UUID id) {
    return database.read(conn -> withTimeline(conn, id));
  }

  /**
   * One page of a list view, each lead with its scores; a process that does not exist, or a stage that no process
   * (or not the process named) has, is 400.
   */
  public Future<ScoredPage> list(LeadStore.ListQuery query) {
    return database.read(conn -> requireProcessAndStage(conn, query.process(), query.stage())
        .compose(known -> leads.list(conn, query))
        .compose(page -> scores.scoresOf(conn, page.items().stream().map(Lead::id).toList())
            .map(byLead -> new ScoredPage(page, byLead))));
  }

  private Future<Void> requireProcessAndStage(SqlConnection conn, String processId, String stage) {
    Future<Boolean> process = processId == null ? Future.succeededFuture(true) : processes.exists(conn, processId);
    return process.compose(exists -> {
      if (!exists) {
        throw new InvalidInput("processId", "no process with id " + processId + " (GET /v1/processes lists them)");
      }
      return stage == null ? Future.succeededFuture() : processes.stageNames(conn, processId).map(names -> {
        if (!names.contains(stage)) {
          throw new InvalidInput("stage", "one of: " + String.join(", ", names));
        }
        return null;
      });
    });
  }

  /**
   * Logs a call, note or email on an open lead ({@link Conflict} on a converted or disqualified one; not found
   * when there is no such lead): the activity, its timeline entry, and the lead's last activity and open
   * follow-up ({@link Activity#followUpAfter}), in one transaction holding the lead's row lock, so that an
   * activity and the claim of the follow-up it replaces queue instead of racing.
   */
  public Future<LoggedActivity> logActivity(UUID id, Activity activity, UUID actorUserId, String actor) {
    return database.inTransaction(conn -> lock(conn, id).compose(lead -> {
      if (lead.state().status() != LeadStatus.OPEN) {
        throw new Conflict("The lead is " + lead.state().status().wireName()
            + "; activities are logged on open leads only.");
      }
      return activities.log(conn, id, activity, actorUserId, actor)
          .compose(logged -> leads.recordActivity(conn, id, logged, Activity.followUpAfter(lead.followUp(), logged))
              .compose(updated -> {
                Future<List<TimelineEntry>> entries = timeline.list(conn, id);
                Future<List<LeadScore>> leadScores = scoresOf(conn, id);
                return Future.all(entries, leadScores).map(all -> new LoggedActivity(logged,
                    new LeadWithTimeline(updated, entries.result(), leadScores.result())));
              }));
    }));
  }

  /** The timeline reason of an account a lead took from the contact it was linked to. */
  public static final String CONTACTS_ACCOUNT = "edited: the contact's account";

  /**
   * Links/unlinks the contact and account, renames the topic, merges qualification findings. Linking
   * a contact also links the contact's account when the lead has none and the patch names no
   * {@code accountId} itself; that account is a timeline entry of its own ({@link #CONTACTS_ACCOUNT}).
   */
  public Future<LeadWithTimeline> patch(UUID id, LeadPatch patch, String actor) {
    return database.inTransaction(conn -> lockOpen(conn, id).compose(lead -> {
      UUID contactId = patch.changesContact() ? patch.contactId() : lead.contactId();
      String topic = patch.topic() != null ? patch.topic() : lead.topic();
      return requireParents(conn, patch.changesContact() ? contactId : null, patch.accountId())
          .compose(contactsAccount -> {
            UUID accountId = patch.changesAccount() ? patch.accountId() : lead.accountId();
            UUID taken = !patch.changesAccount() && lead.accountId() == null ? contactsAccount : null;
            List<Change> edited = new ArrayList<>();
            diff(edited, "contactId", lead.contactId(), contactId);
            diff(edited, "accountId", lead.accountId(), accountId);
            diff(edited, "topic", lead.topic(), topic);
            List<Change> takenAccount =
                taken == null ? List.of() : List.of(new Change("accountId", null, taken.toString()));
            return qualificationAfter(conn, lead, patch)
                .compose(stageFields -> leads.updateDetails(conn, id, topic, contactId,
                    taken != null ? taken : accountId, stageFields))
                .compose(updated -> {
                  // A new contact or account means new facts to score the lead from.
                  boolean relinked = !Objects.equals(lead.contactId(), updated.contactId())
                      || !Objects.equals(lead.accountId(), updated.accountId());
                  Future<Void> marked = relinked ? rescoring.markFactsOf(conn, updated.contactId(), updated.accountId())
                      .compose(x -> segmentFacts.markAll(conn, java.util.Collections.singletonList(lead.contactId())))
                      : Future.succeededFuture();
                  // Sent together, in this order: the read sees the entries appended before it.
                  Future<Void> edits = timeline.append(conn, id, edited, actor, "edited");
                  Future<LeadWithTimeline> read = appendAndRead(conn, updated, takenAccount, actor, CONTACTS_ACCOUNT);
                  return Future.all(marked, edits, read).map(all -> read.result());
                });
          });
    }));
  }

  /**
   * The lead's stage field values with the patch's qualification findings merged into its
   * {@value Lead#QUALIFICATION_STAGE} stage. A lead whose process has no such stage with those text fields records
   * findings with set-fields: 400 naming each finding.
   */
  private Future<Map<String, Map<String, Object>>> qualificationAfter(SqlConnection conn, Lead lead, LeadPatch patch) {
    if (patch.qualification().isEmpty()) {
      return Future.succeededFuture(lead.stageFields());
    }
    return catalog.version(conn, lead.processId(), lead.processVersion()).map(process -> {
      StageDefinition stage = process.stage(Lead.QUALIFICATION_STAGE).orElse(null);
      List<FieldError> errors = new ArrayList<>();
      for (String finding : patch.qualification().keySet()) {
        boolean textField = stage != null && stage.fields().stream().anyMatch(f -> f.name().equals(finding)
            && (f.type() == FieldType.TEXT || f.type() == FieldType.LONG_TEXT));
        if (!textField) {
          errors.add(new FieldError("qualification." + finding, "the lead runs on process " + process.label()
              + ", which has no text field " + finding + " on a stage " + Lead.QUALIFICATION_STAGE
              + ": record its stage fields with the set-fields action (POST /v1/leads/{id}/process)"));
        }
      }
      if (!errors.isEmpty()) {
        throw new InvalidInput(errors);
      }
      Map<String, Object> findings = new LinkedHashMap<>(
          lead.stageFields().getOrDefault(Lead.QUALIFICATION_STAGE, Map.of()));
      patch.qualification().forEach((name, value) -> {
        if (value == null) {
          findings.remove(name);
        } else {
          findings.put(name, value);
        }
      });
      Map<String, Map<String, Object>> all = new LinkedHashMap<>(lead.stageFields());
      if (findings.isEmpty()) {
        all.remove(Lead.QUALIFICATION_STAGE);
      } else {
        all.put(Lead.QUALIFICATION_STAGE, findings);
      }
      return all;
    });
  }

  /**
   * "Complete stage": the lead's stage is done, the next one of its process becomes its stage (409 naming the
   * required fields still empty). As {@link #actCounting}, the outbox events it wrote included.
   */
  public Future<Acted> completeStage(UUID id, String reason, String actor) {
    return database.inTransaction(conn -> lock(conn, id).compose(lead -> machineOf(conn, lead).compose(machine ->
        applyTransition(conn, lead, null, machine.completeStage(lead.state(), lead.stageFields(), reason), actor))));
  }

  /**
   * Records values on the fields of the lead's stage or an earlier one (null clears a value): each change a
   * timeline entry; a user field names an existing user. No event: subscribers hear of stage changes.
   */
  public Future<LeadWithTimeline> setFields(UUID id, String stage, Object fields, String actor) {
    return database.inTransaction(conn -> lock(conn, id).compose(lead -> catalog.version(conn, lead.processId(),
        lead.processVersion()).compose(process -> {
          StageFieldValues.Update update = StageFieldValues.set(process, lead.state(), lead.stageFields(), stage, fields);
          return requireUsers(conn, update).compose(known -> {
            if (update.changes().isEmpty()) {
              return unchanged(conn, lead).map(Acted::lead);
            }
            return leads.updateStageFields(conn, id, update.stageFields())
                .compose(updated -> appendAndRead(conn, updated, update.changes(), actor, "set-fields"));
          });
        })));
  }

  /**
   * Moves an open lead onto another live process (or its own process's latest version), landing in the stage with
   * the same role or the first stage; the reason is required. Its stage field values stay (they are kept by stage
   * name, so a switch back finds them).
   */
  public Future<Acted> switchProcess(UUID id, String processId, String reason, String actor) {
    if (processId == null || processId.isBlank()) {
      throw new InvalidInput("processId", "required: the live process to move the lead to (GET /v1/processes)");
    }
    return database.inTransaction(conn -> lock(conn, id).compose(lead -> machineOf(conn, lead)
        .compose(machine -> catalog.live(conn, processId, "processId").compose(target -> {
          Transition transition = machine.switchProcess(lead.state(), target, reason);
          return leads.updateProcess(conn, id, target, transition.after()).compose(updated -> {
            Future<Void> events = outbox.add(conn, transition.events(), id,
                LeadEventPayload.of(updated, transition.changes(), actor, transition.reason()));
            Future<LeadWithTimeline> read = appendAndRead(conn, updated, transition.changes(), actor,
                transition.reason());
            return Future.all(events, read).map(all -> new Acted(read.result(), transition.events()));
          });
        }))));
  }

  private Future<ProcessMachine> machineOf(SqlConnection conn, Lead lead) {
    return catalog.version(conn, lead.processId(), lead.processVersion()).map(ProcessMachine::new);
  }

  /** A user field names a user of Leadcycle (enabled or not: a disabled user's past work stays recorded). */
  private Future<Void> requireUsers(SqlConnection conn, StageFieldValues.Update update) {
    if (update.users().isEmpty()) {
      return Future.succeededFuture();
    }
    return leads.existingUsers(conn, List.copyOf(update.users())).map(existing -> {
      List<FieldError> errors = new ArrayList<>();
      update.users().stream().filter(user -> !existing.contains(user)).forEach(user ->
          errors.add(new FieldError("fields", "no user with id " + user + " (GET /v1/users)")));
      if (!errors.isEmpty()) {
        throw new InvalidInput(errors);
      }
      return null;
    });
  }

  /**
   * Applies one process action; a {@link io.leadcycle.process.ProcessConflict} when it does not fit.
   * Round trips: lock-and-read, (the opportunity,) update-and-read, then the timeline entries, the
   * outbox events and the timeline read sent together.
   */
  public Future<LeadWithTimeline> act(UUID id, ProcessRequest request, String actor) {
    return actCounting(id, request, actor).map(Acted::lead);
  }

  /**
   * {@link #act}, also saying which outbox events the action wrote, so that a caller can tell threshold
   * notification (once the transaction has committed, which it has when this completes) and count them.
   */
  public Future<Acted> actCounting(UUID id, ProcessRequest request, String actor) {
    return actCounting(id, request, actor, null);
  }

  /**
   * {@link #actCounting(UUID, ProcessRequest, String)} for a caller who may become the lead's owner:
   * {@code caller} (null for none) owns the lead once they accept it in telemarketing, when they are a
   * known, enabled user. For {@code assign}, {@code newOwner} is the user to assign, checked by the caller.
   */
  public Future<Acted> actCounting(UUID id, ProcessRequest request, String actor, UUID caller) {
    return actCounting(id, request, actor, caller, null);
  }

  /** Assigns {@code newOwner} (an enabled salesperson, checked by the caller) to the lead. */
  public Future<Acted> assign(UUID id, ProcessRequest request, String actor, Lead.Owner newOwner) {
    return actCounting(id, request, actor, null, newOwner);
  }

  private Future<Acted> actCounting(UUID id, ProcessRequest request, String actor, UUID caller, Lead.Owner newOwner) {
    return database.inTransaction(conn -> lock(conn, id).compose(lead -> machineOf(conn, lead).compose(machine -> {
      Transition transition = machine.apply(lead.state(), request);
      if (request.action() == ProcessAction.ASSIGN || request.action() == ProcessAction.UNASSIGN) {
        return changeOwner(conn, lead, request.action() == ProcessAction.ASSIGN ? newOwner : null, actor,
            request.reason() != null ? request.reason() : request.action().wireName());
      }
      if (request.action() == ProcessAction.ACCEPT_TELEMARKETING && caller != null) {
        return leads.enabledUserAsOwner(conn, caller).compose(owner -> applyTransition(conn, lead, request.action(), transition, actor)
            .compose(acted -> owner == null || owner.equals(acted.lead().lead().owner()) ? Future.succeededFuture(acted)
                : changeOwner(conn, acted.lead().lead(), owner, actor, transition.reason())
                    .map(owned -> new Acted(owned.lead(), concat(acted.events(), owned.events())))));
      }
      return applyTransition(conn, lead, request.action(), transition, actor);
    })));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Makes {@code owner} (null: nobody) the lead's owner: a timeline entry and a {@code lead.assigned} event
   * naming the owner, the previous owner, who did it and why. Assigning the owner the lead already has is no change.
   */
  private Future<Acted> changeOwner(SqlConnection conn, Lead lead, Lead.Owner owner, String actor, String reason) {
    Lead.Owner previous = lead.owner();
    if (Objects.equals(previous == null ? null : previous.id(), owner == null ? null : owner.id())) {
      return unchanged(conn, lead);
    }
    List<Change> changes = List.of(new Change("owner", previous == null ? null : previous.name(),
        owner == null ? null : owner.name()));
    return leads.updateOwner(conn, lead.id(), owner).compose(updated -> {
      JsonObject payload = LeadEventPayload.of(updated, changes, actor, reason)
          .put("owner", JsonViews.owner(owner))
          .put("previousOwner", JsonViews.owner(previous));
      Future<Void> events = outbox.add(conn, List.of(EventTypes.ASSIGNED), lead.id(), payload);
      Future<LeadWithTimeline> read = appendAndRead(conn, updated, changes, actor, reason);
      return Future.all(events, read).map(all -> new Acted(read.result(), List.of(EventTypes.ASSIGNED)));
    });
  }

  /** An action that changed nothing: the lead as it is, with its timeline and scores, and no events. */
  private Future<Acted> unchanged(SqlConnection conn, Lead lead) {
    Future<List<TimelineEntry>> entries = timeline.list(conn, lead.id());
    Future<List<LeadScore>> leadScores = scoresOf(conn, lead.id());
    return Future.all(entries, leadScores)
        .map(all -> new Acted(new LeadWithTimeline(lead, entries.result(), leadScores.result()), List.of()));
  }

  /** Writes a transition of {@code action} (null: complete-stage) with its timeline entries and outbox events. */
  private Future<Acted> applyTransition(SqlConnection conn, Lead lead, ProcessAction action, Transition transition,
      String actor) {
    UUID id = lead.id();
    if (!transition.changedAnything()) {
      return unchanged(conn, lead);
    }
    String disqualification = action == ProcessAction.DISQUALIFY ? transition.reason() : null;
    Future<?> opportunity = action == ProcessAction.CONVERT
        ? opportunities.create(conn, lead, transition.after().ownerId()) : Future.succeededFuture();
    return opportunity
        .compose(v -> leads.updateState(conn, id, transition.after(), disqualification))
        .compose(updated -> {
          Future<Void> events = outbox.add(conn, transition.events(), id,
              LeadEventPayload.of(updated, transition.changes(), actor, transition.reason()));
          Future<LeadWithTimeline> read = appendAndRead(conn, updated, transition.changes(), actor, transition.reason());
          return Future.all(events, read).map(all -> new Acted(read.result(), transition.events()));
        });
  }

  /**
   * Appends the timeline entries and reads the whole timeline back, sent together: PostgreSQL runs
   * them in order on the connection, so the read sees the new entries.
   */
  private Future<LeadWithTimeline> appendAndRead(SqlConnection conn, Lead lead, List<Change> changes, String actor,
      String reason) {
    Future<Void> appended = timeline.append(conn, lead.id(), changes, actor, reason);
    // Every lead change is a change of its contact's segment facts (stage, status, owner, opportunity).
    Future<Void> marked = segmentFacts.markAll(conn, java.util.Collections.singletonList(lead.contactId()));
    Future<List<TimelineEntry>> entries = timeline.list(conn, lead.id());
    Future<List<LeadScore>> leadScores = scoresOf(conn, lead.id());
    return Future.all(appended, marked, entries, leadScores)
        .map(all -> new LeadWithTimeline(lead, entries.result(), leadScores.result()));
  }

  private Future<List<LeadScore>> scoresOf(SqlConnection conn, UUID leadId) {
    return scores.scoresOf(conn, List.of(leadId)).map(byLead -> byLead.getOrDefault(leadId, List.of()));
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

  /** The lead and its timeline, asked for together. */
  private Future<LeadWithTimeline> withTimeline(SqlConnection conn, UUID id) {
    Future<Lead> lead = leads.find(conn, id);
    Future<List<TimelineEntry>> entries = timeline.list(conn, id);
    Future<List<LeadScore>> leadScores = scoresOf(conn, id);
    return Future.all(lead, entries, leadScores).map(all -> {
      if (lead.result() == null) {
        throw new NotFound("No lead with id " + id + ".");
      }
      return new LeadWithTimeline(lead.result(), entries.result(), leadScores.result());
    });
  }

  /**
   * A parent named in a request must exist (400 otherwise): a lead never points at nothing. Answers
   * the named contact's account, null when no contact is named or it has no account.
   */
  private Future<UUID> requireParents(SqlConnection conn, UUID contactId, UUID accountId) {
    Future<MatchedContact> contact = contactId == null ? Future.succeededFuture() : contacts.read(conn, contactId);
    return contact.compose(found -> {
      if (contactId != null && found == null) {
        throw new InvalidInput("contactId", "no contact with id " + contactId);
      }
      Future<Boolean> account = accountId == null ? Future.succeededFuture(true) : accounts.exists(conn, accountId);
      return account.map(accountExists -> {
        if (!accountExists) {
          throw new InvalidInput("accountId", "no account with id " + accountId);
        }
        return found == null ? null : found.accountId();
      });
    });
  }

  private static void diff(List<Change> changes, String field, Object from, Object to) {
    if (!Objects.equals(from, to)) {
      changes.add(new Change(field, from == null ? null : from.toString(), to == null ? null : to.toString()));
    }
  }
}
