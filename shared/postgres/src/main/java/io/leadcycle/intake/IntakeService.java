package io.leadcycle.intake;

import io.leadcycle.domain.AccountLinking;

import io.leadcycle.domain.AccountLinking.AccountKey;
import io.leadcycle.domain.ConsentSource;
import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.NewLead;
import io.leadcycle.domain.Submission;
import io.leadcycle.domain.UpdateMode;
import io.leadcycle.intake.IntakeResult.RecordOutcome;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.Database.Commit;
import io.leadcycle.leads.LeadCreation;
import io.leadcycle.store.AccountStore;
import io.leadcycle.store.AdvisoryLocks;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.ContactStore.MatchedContact;
import io.leadcycle.store.InteractionStore;
import io.leadcycle.store.InteractionStore.NewInteraction;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.LeadStore.MatchedLead;
import io.leadcycle.store.RescoringMarks;
import io.leadcycle.store.TimelineStore;
import io.leadcycle.store.TombstoneStore;
import io.leadcycle.store.TombstoneStore.Found;
import io.leadcycle.privacy.PrivacyKey;
import io.leadcycle.domain.Erased;
import io.leadcycle.domain.Tombstones;
import io.leadcycle.process.Change;
import io.leadcycle.process.ProcessVersion;
import io.leadcycle.processes.ProcessCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The intake path every source shares (marketing pages, events, LinkedIn Lead Gen forms): in one
 * transaction, claim the submission in its source's {@link IntakeLedger}, find or create the contact and
 * its account, find or create the lead, record the interaction, mark the contact for rescoring and keep
 * what the submission did in the ledger (a form's submission log) — each as far as the form's update mode
 * allows. Either all of it happens or none of it does.
 *
 * <p>Locks are always taken in the same order — contact key, account key, lead key — so two
 * submissions never wait for each other in a circle.
 */
public final class IntakeService {

  /** Who created a lead from a submission, on its timeline and in its {@code lead.created} event. */
  public static final String ACTOR = "intake";

  static final String NO_CONTACT_WARNING = "no contact matched and update mode only_leads creates none: the lead "
      + "has no contact, so contact-based scoring models cannot score it until a contact is linked";

  private final Database database;
  private final AdvisoryLocks locks = new AdvisoryLocks();
  private final AccountStore accounts = new AccountStore();
  private final ContactStore contacts = new ContactStore();
  private final LeadStore leads = new LeadStore();
  private final InteractionStore interactions = new InteractionStore();
  private final RescoringMarks rescoring = new RescoringMarks();
  private final TimelineStore timeline = new TimelineStore();
  private final TombstoneStore tombstones = new TombstoneStore();
  private final LeadCreation creation = new LeadCreation();
  private final ProcessCatalog catalog = new ProcessCatalog();

  public IntakeService(Database database) {
    this.database = database;
  }

  /** The submission key: the client's submissionId, else the webhook delivery id, else a new one. */
  public static String submissionKey(String submissionId, String deliveryId) {
    return submissionId != null ? submissionId : deliveryId != null ? deliveryId : UUID.randomUUID().toString();
  }

  /**
   * The first answer to {@code key} on {@code form}, as a replay; null when the form never saw it.
   *
   * @param requestHash the {@link RequestHash} of this request: a key first used for another request is a
   *     {@link io.leadcycle.domain.Conflict}; null compares nothing
   */
  public Future<IntakeResult> replay(Form form, String key, String requestHash) {
    return database.read(conn -> IntakeLedger.receipts(form.id(), requestHash).response(conn, key))
        .map(stored -> stored == null ? null : IntakeResult.replayOf(stored));
  }

  /**
   * Takes in one signed submission to {@code form}, its key not bound to a request hash.
   *
   * @param deliveryId the webhook delivery id, used as idempotency key when the body has no submissionId
   */
  public Future<IntakeResult> submit(Form form, Submission submission, String deliveryId) {
    return submit(form, submission, deliveryId, Sender.SIGNED, null);
  }

  /**
   * Takes in one submission to {@code form}.
   *
   * @param deliveryId the webhook delivery id, used as idempotency key when the body has no submissionId
   * @param sender an unsigned submission changes a matched contact only as the form's {@code unsignedUpdates}
   *     allows
   * @param requestHash the {@link RequestHash} of the request: the key is bound to it, so the same key with
   *     another request is a {@link io.leadcycle.domain.Conflict} (and writes nothing); null binds nothing
   */
  public Future<IntakeResult> submit(Form form, Submission submission, String deliveryId, Sender sender,
      String requestHash) {
    String key = submissionKey(submission.submissionId(), deliveryId);
    return submit(form, submission, key, IntakeLedger.receipts(form.id(), requestHash), true, sender);
  }

  /**
   * Takes in one submission under {@code key} in {@code ledger}: the path every source shares.
   *
   * @param matchContact false creates a new contact without looking for one (a LinkedIn lead that lacks a
   *     field of its contact strategy, whose mapping says {@code onPartialMatch: create}); true requires the
   *     submission to carry every field of the form's contact strategy
   */
  public Future<IntakeResult> submit(Form form, Submission submission, String key, IntakeLedger ledger,
      boolean matchContact) {
    return submit(form, submission, key, ledger, matchContact, Sender.SIGNED);
  }

  private Future<IntakeResult> submit(Form form, Submission submission, String key, IntakeLedger ledger,
      boolean matchContact, Sender sender) {
    // Computed here, not in the database: the key stays out of it, and the lookup is by primary key.
    PrivacyKey privacy = PrivacyKey.shared();
    List<byte[]> hashes = privacy == null ? List.of()
        : privacy.hashesOf(submission.contact().email(), submission.contact().phone());
    String sourceKey = ledger.interactionSourceKey(key);
    return admit(form, submission, key, ledger, matchContact, sender, hashes, sourceKey)
        .recover(failure -> failure instanceof Erased erased
            // Rolled back with the rest: counted on the tombstone in a transaction of its own.
            ? database.inTransaction(conn -> tombstones.refused(conn, erased.erasureId(), 1))
                .transform(counted -> Future.<IntakeResult>failedFuture(erased))
            : Future.failedFuture(failure));
  }

  private Future<IntakeResult> admit(Form form, Submission submission, String key, IntakeLedger ledger,
      boolean matchContact, Sender sender, List<byte[]> hashes, String sourceKey) {
    if (!form.updateMode().touchesContacts()) {
      return database.inIdempotentTransaction((conn, commit) -> {
        Future<Boolean> claimed = ledger.claim(conn, key);
        Future<Found> tombstone = tombstones.check(conn, hashes, sourceKey);
        return Future.all(claimed, tombstone).compose(all -> claimed.result()
            ? afterTombstone(conn, form, submission, tombstone.result())
                .compose(v -> finish(conn, commit, form, submission, key, ledger, null, null))
            : ledger.response(conn, key).map(IntakeResult::replayOf));
      });
    }
    if (!matchContact) {
      return database.inIdempotentTransaction((conn, commit) -> {
        Future<Boolean> claimed = ledger.claim(conn, key);
        Future<ProcessVersion> process = processOf(conn, form);
        Future<Found> tombstone = tombstones.check(conn, hashes, sourceKey);
        return Future.all(claimed, process, tombstone).compose(all -> claimed.result()
            ? afterTombstone(conn, form, submission, tombstone.result())
                .compose(v -> process(conn, commit, form, process.result(), submission, sender, key, ledger, null))
            : ledger.response(conn, key).map(IntakeResult::replayOf));
      });
    }
    MatchKey contactKey = MatchKey.of(form.contactStrategy(), submission.contact(), form.id())
        .orElseThrow(() -> new IllegalStateException("submission was validated against the contact strategy"));
    return database.inIdempotentTransaction((conn, commit) -> {
      // Sent together (pipelined): PostgreSQL runs them in this order, so the match query starts only
      // once the lock is held and sees whatever the previous holder committed. A replay pays for a lock
      // it does not need, which is cheaper than a round trip for every first delivery. The tombstone check
      // (two primary-key lookups) rides along, after the lock: an erasure holds the same lock, so it has
      // either committed (and is seen) or not begun.
      Future<Boolean> claimed = ledger.claim(conn, key);
      Future<Void> locked = locks.lock(conn, contactKey.lockName());
      Future<MatchedContact> match = contacts.findMatch(conn, contactKey);
      Future<ProcessVersion> process = processOf(conn, form);
      Future<Found> tombstone = tombstones.check(conn, hashes, sourceKey);
      return Future.all(claimed, locked, match, process, tombstone).compose(all -> claimed.result()
          ? afterTombstone(conn, form, submission, tombstone.result())
              .compose(v -> process(conn, commit, form, process.result(), submission, sender, key, ledger,
                  match.result()))
          : ledger.response(conn, key).map(IntakeResult::replayOf));
    });
  }

  /**
   * The process version the form's new leads run on: its process's latest, even if that was retired since (a
   * submission is never lost for it). The shipped process costs nothing; another is one read, sent with the
   * transaction's first statements (pipelined), so it adds no round trip.
   */
  private Future<ProcessVersion> processOf(SqlConnection conn, Form form) {
    return form.updateMode().touchesLeads() ? catalog.latest(conn, form.processId())
        : Future.succeededFuture(ProcessVersion.DEFAULT);
  }

  /**
   * What the tombstones say (docs/privacy.md): nothing found, go on; a replay of what was seen before an
   * erasure, or the erased person without a fresh consent, is refused ({@link Erased}: the transaction rolls
   * back); the erased person with a fresh consent is created afresh, and their hashes stop refusing — only when the
   * form creates people (a log-only form's submission creates nobody, so it lifts nothing).
   */
  private Future<Void> afterTombstone(SqlConnection conn, Form form, Submission submission, Found found) {
    if (found.replayOf() == null && found.erasedAs() == null) {
      return Future.succeededFuture();
    }
    Erased refusal = Tombstones.refusal(found.replayOf(), found.erasedAs(), submission.consent());
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    boolean createsPeople = form.updateMode().writesContacts() || form.updateMode().touchesLeads();
    return createsPeople ? tombstones.recreated(conn, found.erasedAs()) : Future.succeededFuture();
  }

  private Future<IntakeResult> process(SqlConnection conn, Commit commit, Form form, ProcessVersion process,
      Submission submission, Sender sender, String key, IntakeLedger ledger, MatchedContact match) {
    boolean writesContacts = form.updateMode().writesContacts();
    if (match == null && writesContacts && form.accountLinking().keyOf(submission.contact()).isEmpty()) {
      return newPerson(conn, commit, form, process, submission, key, ledger);
    }
    // A contact keeps the account it has (never moved silently); only without one is the account linked.
    Future<UUID> linkedAccount = match != null && match.accountId() != null
        ? Future.succeededFuture(match.accountId())
        : linkAccount(conn, form, submission.contact());
    return linkedAccount.compose(accountId -> {
      if (!writesContacts) {
        // only_leads: the contact is matched but never created or updated.
        RecordOutcome contact = match == null ? null : new RecordOutcome(match.id(), false, false);
        Future<RecordOutcome> lead = match == null
            ? contactlessLead(conn, form, process, sender, submission.contact(), accountId)
            : upsertLead(conn, form, process, sender, submission.contact(), match.id(), accountId);
        return lead.compose(l -> finish(conn, commit, form, submission, key, ledger, contact, l));
      }
      Future<RecordOutcome> contact = match == null
          ? contacts.insert(conn, UUID.randomUUID(), submission.contact(), submission.consent(), accountId,
                  ledger.consentSource(key))
              .map(id -> new RecordOutcome(id, true, false))
          : updateContact(conn, form, sender, submission, match, accountId, ledger.consentSource(key));
      // Consent is the person's own to give or withdraw, whoever posted; each change goes on the timeline.
      List<Change> consentChanges = match == null ? List.of() : consentChanges(match.consent(), submission.consent());
      return contact.compose(c -> {
        if (!form.updateMode().touchesLeads()) {
          return recordConsent(conn, form, c.id(), consentChanges)
              .compose(recorded -> finish(conn, commit, form, submission, key, ledger, c, null));
        }
        // A contact created just now has no lead to match.
        Future<RecordOutcome> lead = c.created()
            ? createLead(conn, form, process, submission.contact(), c.id(), accountId)
            : upsertLead(conn, form, process, sender, submission.contact(), c.id(), accountId);
        return lead.compose(l -> recordConsent(conn, form, c.id(), consentChanges)
            .compose(recorded -> finish(conn, commit, form, submission, key, ledger, c, l)));
      });
    });
  }

  /**
   * A person seen for the first time, with no account to link. Their new contact has no leads yet, so
   * there is no lead to match (leads are matched within their contact) and nothing to wait for: every
   * write goes out at once.
   */
  private Future<IntakeResult> newPerson(SqlConnection conn, Commit commit, Form form, ProcessVersion process,
      Submission submission, String key, IntakeLedger ledger) {
    RecordOutcome contact = new RecordOutcome(UUID.randomUUID(), true, false);
    RecordOutcome lead = form.updateMode().touchesLeads() ? new RecordOutcome(UUID.randomUUID(), true, false) : null;
    Future<UUID> contactInserted = contacts.insert(conn, contact.id(), submission.contact(), submission.consent(), null,
        ledger.consentSource(key));
    Future<?> leadInserted = lead == null ? Future.succeededFuture()
        : creation.create(conn, lead.id(), newLead(form, submission.contact(), contact.id(), null), process, ACTOR,
            reason(form));
    Future<IntakeResult> finished = finish(conn, commit, form, submission, key, ledger, contact, lead);
    return Future.all(contactInserted, leadInserted, finished).map(all -> finished.result());
  }

  /**
   * The account the form's account linking finds for the submitter, created when the form allows and
   * none matches; null when linking is off or finds nothing. Creating runs under the account key's
   * lock, so concurrent first submissions from one company make one account.
   */
  private Future<UUID> linkAccount(SqlConnection conn, Form form, ContactDetails submitted) {
    AccountKey key = form.accountLinking().keyOf(submitted).orElse(null);
    if (key == null) {
      return Future.succeededFuture();
    }
    if (!form.accountLinking().createAccounts()) {
      return accounts.findLinked(conn, key);
    }
    return locks.lock(conn, key.lockName())
        .compose(locked -> accounts.findLinked(conn, key))
        .compose(found -> found != null ? Future.succeededFuture(found) : accounts.createLinked(conn, key));
  }

  /** The timeline reason of a lead a submission created. */
  private static String reason(Form form) {
    return "submitted to form " + form.id();
  }

  private static NewLead newLead(Form form, ContactDetails incoming, UUID contactId, UUID accountId) {
    return new NewLead(form.name(), contactId, accountId, form.kind().contextKind(), form.id(), form.name(),
        incoming.asFieldMap());
  }

  /**
   * Updates the matched contact with what was submitted — a signed submission overwrites, an unsigned one
   * only as the form's {@code unsignedUpdates} allows — and sets the linked account if it has none.
   */
  private Future<RecordOutcome> updateContact(SqlConnection conn, Form form, Sender sender, Submission submission,
      MatchedContact match, UUID accountId, ConsentSource consentSource) {
    ContactDetails updated = sender == Sender.SIGNED ? match.details().updatedWith(submission.contact())
        : form.browser().unsignedUpdates().apply(match.details(), submission.contact());
    boolean changes = !updated.equals(match.details()) || consentChanged(match.consent(), submission.consent());
    boolean linksAccount = match.accountId() == null && accountId != null;
    // The consent history rides in the update's own statement: no statement more, only when consent changes.
    Future<Void> written = changes ? contacts.update(conn, match.id(), updated, submission.consent(), consentSource)
        : Future.succeededFuture();
    Future<Void> linked = linksAccount ? contacts.setAccount(conn, match.id(), accountId) : Future.succeededFuture();
    return Future.all(written, linked).map(done -> new RecordOutcome(match.id(), false, changes || linksAccount));
  }

  /** Whether merging {@code incoming} consent into {@code stored} (as the update does) changes it. */
  private static boolean consentChanged(Map<String, Object> stored, Map<String, Object> incoming) {
    if (incoming == null) {
      return false;
    }
    JsonObject before = stored == null ? new JsonObject() : new JsonObject(new LinkedHashMap<>(stored));
    JsonObject after = before.copy().mergeIn(new JsonObject(new LinkedHashMap<>(incoming)));
    return stored == null || !after.equals(before);
  }

  /**
   * The consent purposes {@code incoming} changes on a contact whose consent is {@code stored}: one
   * timeline change each, {@code consent.<purpose>} from the stored value to the new one.
   */
  static List<Change> consentChanges(Map<String, Object> stored, Map<String, Object> incoming) {
    List<Change> changes = new ArrayList<>();
    if (incoming == null) {
      return changes;
    }
    incoming.forEach((purpose, value) -> {
      String before = consentText(stored == null ? null : stored.get(purpose));
      String after = consentText(value);
      if (!Objects.equals(before, after)) {
        changes.add(new Change("consent." + purpose, before, after));
      }
    });
    return changes;
  }

  /** A consent value as the timeline keeps it: text as it is, anything else as JSON ({@code true}, {@code {...}}). */
  private static String consentText(Object value) {
    return value == null ? null : value instanceof String text ? text : Json.encode(value);
  }

  /**
   * Puts the contact's consent changes on the timeline of each of its open leads (the lead this
   * submission created or updated included): consent belongs to the person, and the lead timeline is
   * where the people who follow up look.
   */
  private Future<Void> recordConsent(SqlConnection conn, Form form, UUID contactId, List<Change> changes) {
    return changes.isEmpty() ? Future.succeededFuture()
        : timeline.appendToOpenLeadsOf(conn, contactId, changes, ACTOR, "consent changed by a submission to form "
            + form.id());
  }

  private Future<RecordOutcome> upsertLead(SqlConnection conn, Form form, ProcessVersion process, Sender sender,
      ContactDetails incoming, UUID contactId, UUID accountId) {
    if (form.generateLeadsWithoutMatching()) {
      return createLead(conn, form, process, incoming, contactId, accountId);
    }
    // No lock of its own: leads are matched within their contact, whose row this transaction holds,
    // so two submissions for one contact already run one after the other.
    return leads.findOpenMatch(conn, contactId, leadKey(form, incoming))
        .compose(match -> match == null ? createLead(conn, form, process, incoming, contactId, accountId)
            : updateLead(conn, form, sender, incoming, match));
  }

  /**
   * The lead of a submitter without a contact (update mode only_leads): matched on its own submitted
   * fields among the leads without a contact, under the lead key's lock, so the same unknown person
   * submitting twice gets one lead.
   */
  private Future<RecordOutcome> contactlessLead(SqlConnection conn, Form form, ProcessVersion process, Sender sender,
      ContactDetails incoming, UUID accountId) {
    if (form.generateLeadsWithoutMatching()) {
      return createLead(conn, form, process, incoming, null, accountId);
    }
    MatchKey key = leadKey(form, incoming);
    return locks.lock(conn, key.lockName())
        .compose(locked -> leads.findOpenContactlessMatch(conn, key))
        .compose(match -> match == null ? createLead(conn, form, process, incoming, null, accountId)
            : updateLead(conn, form, sender, incoming, match));
  }

  private static MatchKey leadKey(Form form, ContactDetails incoming) {
    return MatchKey.of(form.leadStrategy(), incoming, form.id())
        .orElseThrow(() -> new IllegalStateException("submission was validated against the lead strategy"));
  }

  private Future<RecordOutcome> createLead(SqlConnection conn, Form form, ProcessVersion process,
      ContactDetails incoming, UUID contactId, UUID accountId) {
    return creation.create(conn, UUID.randomUUID(), newLead(form, incoming, contactId, accountId), process, ACTOR,
            reason(form))
        .map(lead -> new RecordOutcome(lead.id(), true, false));
  }

  /**
   * Merges what was submitted into the matched lead's submitted fields (an unsigned submission as the
   * form's {@code unsignedUpdates} allows); unchanged when nothing is new.
   */
  private Future<RecordOutcome> updateLead(SqlConnection conn, Form form, Sender sender, ContactDetails incoming,
      MatchedLead match) {
    Map<String, String> merged = new LinkedHashMap<>(match.submittedFields());
    if (sender == Sender.SIGNED) {
      merged.putAll(incoming.asFieldMap());
    } else {
      merged = form.browser().unsignedUpdates().apply(match.submittedFields(), incoming.asFieldMap());
    }
    if (merged.equals(match.submittedFields())) {
      return Future.succeededFuture(new RecordOutcome(match.id(), false, false));
    }
    return leads.updateSubmittedFields(conn, match.id(), merged).map(v -> new RecordOutcome(match.id(), false, true));
  }

  /**
   * The last writes depend on nothing but what is known now, so they are sent together (pipelined on
   * the connection) instead of one round trip after another, and the transaction's COMMIT with them.
   * Every path of a submission ends here, after its other statements were sent. Without a contact there
   * is nothing to record an interaction on or to rescore.
   */
  private Future<IntakeResult> finish(SqlConnection conn, Commit commit, Form form, Submission submission,
      String key, IntakeLedger ledger, RecordOutcome contact, RecordOutcome lead) {
    UUID interactionId = contact == null ? null : UUID.randomUUID();
    List<String> warnings = new ArrayList<>(submission.warnings());
    if (form.updateMode() == UpdateMode.ONLY_LEADS && contact == null) {
      warnings.add(NO_CONTACT_WARNING);
    }
    IntakeResult result = new IntakeResult(key, contact, lead, interactionId, false, warnings);
    Future<Void> completed = ledger.complete(conn, key, result, received(submission),
        outcome(form.updateMode(), contact, lead));
    if (contact == null) {
      commit.now();
      return completed.map(done -> result);
    }
    Future<UUID> recorded =
        recordInteraction(conn, form, submission, interactionId, contact.id(), ledger.interactionSourceKey(key));
    Future<Void> marked = rescoring.mark(conn, contact.id());
    // These are the transaction's last statements: COMMIT goes out with them, not a round trip later.
    commit.now();
    return Future.all(recorded, marked, completed).map(done -> result);
  }

  /** The submission as it arrived, for the form's submission log. */
  private static JsonObject received(Submission submission) {
    JsonObject received = new JsonObject().put("fields", new JsonObject(new LinkedHashMap<>(submission.receivedFields())));
    if (submission.consent() != null) {
      received.put("consent", new JsonObject(new LinkedHashMap<>(submission.consent())));
    }
    if (submission.submittedAt() != null) {
      received.put("submittedAt", submission.submittedAt().toString());
    }
    return received;
  }

  /** What the submission did, in words, for the submission log ("contact updated, lead created"). */
  static String outcome(UpdateMode mode, RecordOutcome contact, RecordOutcome lead) {
    if (mode == UpdateMode.NO_UPDATE) {
      return "stored only: update mode no_update creates no contact, lead or interaction";
    }
    String contactPart = contact == null ? "no contact matched (update mode only_leads creates none)"
        : "contact " + verb(contact);
    String leadPart = lead == null ? "no lead (update mode only_contacts)"
        : "lead " + verb(lead) + (contact == null ? " without a contact" : "");
    return contactPart + ", " + leadPart;
  }

  private static String verb(RecordOutcome outcome) {
    return outcome.created() ? "created" : outcome.updated() ? "updated" : "matched, unchanged";
  }

  private Future<UUID> recordInteraction(SqlConnection conn, Form form, Submission submission, UUID interactionId,
      UUID contactId, String sourceKey) {
    JsonObject payload = new JsonObject().put("fields", new JsonObject(new LinkedHashMap<>(submission.contact().asFieldMap())));
    if (submission.consent() != null) {
      payload.put("consent", new JsonObject(submission.consent()));
    }
    Instant occurredAt = submission.submittedAt() != null ? submission.submittedAt() : Instant.now();
    return interactions.record(conn, new NewInteraction(interactionId, contactId, form.kind().interactionType(),
        occurredAt, form.kind().contextKind(), form.id(), form.name(), sourceKey, payload));
  }
}
