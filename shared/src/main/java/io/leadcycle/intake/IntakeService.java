package io.leadcycle.intake;

import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.NewLead;
import io.leadcycle.domain.Submission;
import io.leadcycle.intake.IntakeResult.RecordOutcome;
import io.leadcycle.runtime.Database;
import io.leadcycle.store.AdvisoryLocks;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.ContactStore.MatchedContact;
import io.leadcycle.store.InteractionStore;
import io.leadcycle.store.InteractionStore.NewInteraction;
import io.leadcycle.store.IntakeReceiptStore;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.RescoringMarks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The intake path every source shares (marketing pages, events, later LinkedIn): in one transaction,
 * claim the submission, find or create the contact, find or create the lead, record the interaction
 * and mark the contact for rescoring. Either all of it happens or none of it does.
 */
public final class IntakeService {

  private final Database database;
  private final IntakeReceiptStore receipts = new IntakeReceiptStore();
  private final AdvisoryLocks locks = new AdvisoryLocks();
  private final ContactStore contacts = new ContactStore();
  private final LeadStore leads = new LeadStore();
  private final InteractionStore interactions = new InteractionStore();
  private final RescoringMarks rescoring = new RescoringMarks();

  public IntakeService(Database database) {
    this.database = database;
  }

  /**
   * Takes in one submission to {@code form}.
   *
   * @param deliveryId the webhook delivery id, used as idempotency key when the body has no submissionId
   */
  public Future<IntakeResult> submit(Form form, Submission submission, String deliveryId) {
    String key = submission.submissionId() != null ? submission.submissionId()
        : deliveryId != null ? deliveryId : UUID.randomUUID().toString();
    MatchKey contactKey = MatchKey.of(form.contactStrategy(), submission.contact(), form.id())
        .orElseThrow(() -> new IllegalStateException("submission was validated against the contact strategy"));
    return database.inIdempotentTransaction(conn -> {
      // Sent together (pipelined): PostgreSQL runs them in this order, so the match query starts only
      // once the lock is held and sees whatever the previous holder committed. A replay pays for a lock
      // it does not need, which is cheaper than a round trip for every first delivery.
      Future<Boolean> claimed = receipts.claim(conn, form.id(), key);
      Future<Void> locked = locks.lock(conn, contactKey.lockName());
      Future<MatchedContact> match = contacts.findMatch(conn, contactKey);
      return Future.all(claimed, locked, match).compose(all -> claimed.result()
          ? process(conn, form, submission, key, match.result())
          : receipts.response(conn, form.id(), key).map(IntakeResult::replayOf));
    });
  }

  private Future<IntakeResult> process(SqlConnection conn, Form form, Submission submission, String key,
      MatchedContact match) {
    if (match == null) {
      return newPerson(conn, form, submission, key);
    }
    return updateContact(conn, form, submission, match)
        .compose(contact -> upsertLead(conn, form, submission.contact(), contact.id(), match.accountId())
            .compose(lead -> finish(conn, form, submission, key, contact, lead)));
  }

  /**
   * A person seen for the first time. Their new contact has no leads yet, so there is no lead to
   * match (leads are matched within their contact) and nothing to wait for: every write goes out at once.
   */
  private Future<IntakeResult> newPerson(SqlConnection conn, Form form, Submission submission, String key) {
    RecordOutcome contact = new RecordOutcome(UUID.randomUUID(), true, false);
    RecordOutcome lead = new RecordOutcome(UUID.randomUUID(), true, false);
    Future<UUID> contactInserted = contacts.insert(conn, contact.id(), submission.contact(), submission.consent(), null);
    Future<UUID> leadInserted = leads.insert(conn, lead.id(), newLead(form, submission.contact(), contact.id(), null));
    Future<IntakeResult> finished = finish(conn, form, submission, key, contact, lead);
    return Future.all(contactInserted, leadInserted, finished).map(all -> finished.result());
  }

  private static NewLead newLead(Form form, ContactDetails incoming, UUID contactId, UUID accountId) {
    return new NewLead(form.name(), contactId, accountId, form.kind().contextKind(), form.id(), form.name(),
        incoming.asFieldMap());
  }

  private Future<RecordOutcome> updateContact(SqlConnection conn, Form form, Submission submission,
      MatchedContact match) {
    ContactDetails updated = match.details().updatedWith(submission.contact());
    boolean changes = !updated.equals(match.details()) || consentChanges(match.consent(), submission.consent());
    if (!form.updateMode().updatesContacts() || !changes) {
      return Future.succeededFuture(new RecordOutcome(match.id(), false, false));
    }
    return contacts.update(conn, match.id(), updated, submission.consent())
        .map(v -> new RecordOutcome(match.id(), false, true));
  }

  /** Whether merging {@code incoming} consent into {@code stored} (as the update does) changes it. */
  private static boolean consentChanges(Map<String, Object> stored, Map<String, Object> incoming) {
    if (incoming == null) {
      return false;
    }
    JsonObject before = stored == null ? new JsonObject() : new JsonObject(new LinkedHashMap<>(stored));
    JsonObject after = before.copy().mergeIn(new JsonObject(new LinkedHashMap<>(incoming)));
    return stored == null || !after.equals(before);
  }

  private Future<RecordOutcome> upsertLead(SqlConnection conn, Form form, ContactDetails incoming, UUID contactId,
      UUID accountId) {
    Map<String, String> submitted = incoming.asFieldMap();
    NewLead newLead = newLead(form, incoming, contactId, accountId);
    if (form.generateLeadsWithoutMatching()) {
      return leads.insert(conn, UUID.randomUUID(), newLead).map(id -> new RecordOutcome(id, true, false));
    }
    MatchKey leadKey = MatchKey.of(form.leadStrategy(), incoming, form.id())
        .orElseThrow(() -> new IllegalStateException("submission was validated against the lead strategy"));
    // No lock of its own: leads are matched within their contact, whose row this transaction holds,
    // so two submissions for one contact already run one after the other.
    return leads.findOpenMatch(conn, contactId, leadKey)
        .compose(match -> {
          if (match == null) {
            return leads.insert(conn, UUID.randomUUID(), newLead).map(id -> new RecordOutcome(id, true, false));
          }
          Map<String, String> merged = new LinkedHashMap<>(match.submittedFields());
          merged.putAll(submitted);
          if (!form.updateMode().updatesLeads() || merged.equals(match.submittedFields())) {
            return Future.succeededFuture(new RecordOutcome(match.id(), false, false));
          }
          return leads.updateSubmittedFields(conn, match.id(), merged).map(v -> new RecordOutcome(match.id(), false, true));
        });
  }

  /**
   * The last three writes depend on nothing but what is known now, so they are sent together
   * (pipelined on the connection) instead of one round trip after another.
   */
  private Future<IntakeResult> finish(SqlConnection conn, Form form, Submission submission, String key,
      RecordOutcome contact, RecordOutcome lead) {
    UUID interactionId = UUID.randomUUID();
    IntakeResult result = new IntakeResult(key, contact, lead, interactionId, false);
    return Future.all(
            recordInteraction(conn, form, submission, interactionId, contact.id(), key),
            rescoring.mark(conn, contact.id()),
            receipts.complete(conn, form.id(), key, result.createdSomething(), result.toJson()))
        .map(done -> result);
  }

  private Future<UUID> recordInteraction(SqlConnection conn, Form form, Submission submission, UUID interactionId,
      UUID contactId, String key) {
    JsonObject payload = new JsonObject().put("fields", new JsonObject(new LinkedHashMap<>(submission.contact().asFieldMap())));
    if (submission.consent() != null) {
      payload.put("consent", new JsonObject(submission.consent()));
    }
    Instant occurredAt = submission.submittedAt() != null ? submission.submittedAt() : Instant.now();
    return interactions.record(conn, new NewInteraction(interactionId, contactId, form.kind().interactionType(),
        occurredAt, form.kind().contextKind(), form.id(), form.name(), "form:" + form.id() + ":" + key, payload));
  }
}
