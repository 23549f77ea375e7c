package io.leadcycle.imports;

import io.leadcycle.domain.Tombstones;
import io.leadcycle.privacy.PrivacyKey;
import io.leadcycle.store.TombstoneStore;

import io.leadcycle.domain.AccountLinking;
import io.leadcycle.domain.ImportJob;

import io.leadcycle.domain.AccountLinking.AccountKey;
import io.leadcycle.domain.AccountMatching;
import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.ImportEntity;
import io.leadcycle.domain.ImportJob.Counts;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.ImportRow;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.domain.ImportWarning;
import io.leadcycle.domain.MarketingContext;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.NewLead;
import io.leadcycle.domain.Normalize;
import io.leadcycle.leads.LeadCreation;
import io.leadcycle.process.ProcessVersion;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.store.AccountStore;
import io.leadcycle.store.AdvisoryLocks;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.ContactStore.ContactWrite;
import io.leadcycle.store.ContactStore.MatchedContact;
import io.leadcycle.store.ImportStore;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.RescoringMarks;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One batch of an import, written set-based in one transaction with the semantics and the lock order of
 * intake, so that an import and a submission of the same person make one contact:
 * <ol>
 *   <li>the contact keys' advisory locks (all of the batch, in key order) and the match of every key,
 *       sent together; then the matched contacts' rows, locked in id order, and checked against their
 *       keys (one edited in between is matched again);</li>
 *   <li>the account keys' locks (after the contacts', as intake takes them), the accounts they link to,
 *       and one insert for those that do not exist yet;</li>
 *   <li>the writes, sent together: new contacts, updated contacts (an empty cell never blanks a stored
 *       value; a contact keeps the account it has), the leads (lead imports: one open lead per contact
 *       or account in the import's context; a re-run finds it), rescoring marks, the row errors and the
 *       job's progress.</li>
 * </ol>
 * Rows of one person inside the batch are applied in row order to one contact; later batches find what
 * earlier ones committed. Pure until {@link #write}: a transaction PostgreSQL aborts can run it again.
 */
final class ImportBatch {

  /** One person of the batch: the key, and the rows that name it, in row order. */
  private static final class Person {
    final MatchKey key;
    final List<ImportRow> rows = new ArrayList<>();
    UUID id;
    boolean exists;
    UUID accountId;

    Person(MatchKey key) {
      this.key = key;
    }
  }

  /** What a written batch did. */
  record Result(Counts counts, Counts contactCounts) {

    /** Whether the batch imported a row (its contact, or its lead's, is marked for rescoring). */
    boolean imported() {
      return counts.created() + counts.updated() + counts.unchanged() > 0;
    }

    /**
     * The rows, in metrics: imported or refused, and the contacts and leads they created or matched (a
     * later row of a person the batch created counts as matched).
     */
    void countIn(Metrics metrics, ImportEntity entity) {
      metrics.count(Metric.IMPORT_ROWS_IMPORTED, counts.created() + counts.updated() + counts.unchanged());
      metrics.count(Metric.IMPORT_ROWS_REFUSED, counts.failed());
      Counts contacts = entity == ImportEntity.LEADS ? contactCounts : counts;
      metrics.count(Metric.CONTACTS_CREATED, contacts.created());
      metrics.count(Metric.CONTACTS_MATCHED, contacts.updated() + contacts.unchanged());
      if (entity == ImportEntity.LEADS) {
        metrics.count(Metric.LEADS_CREATED, counts.created());
      }
    }
  }

  private final UUID jobId;
  private final int run;
  private final ImportRequest request;
  private final MatchingStrategy strategy;
  private final ProcessVersion process;
  private final Duration lease;
  private final List<ImportRow.Read> reads;
  private final long committedBefore;
  private final long rowsRead;

  private final AdvisoryLocks locks = new AdvisoryLocks();
  private final ContactStore contacts = new ContactStore();
  private final AccountStore accounts = new AccountStore();
  private final LeadStore leads = new LeadStore();
  private final LeadCreation creation = new LeadCreation();
  private final RescoringMarks marks = new RescoringMarks();
  private final ImportStore imports = new ImportStore();
  private final TombstoneStore tombstones = new TombstoneStore();
  private static final java.util.regex.Pattern EMAIL_IN_TEXT = java.util.regex.Pattern.compile("[^\\s<>\"'(),;:]+@[^\\s<>\"'(),;:]+");

  /**
   * @param run the run writing it (ImportStore.Claimed#run): only while that run still holds the job
   * @param reads the batch's rows, read
   * @param committedBefore the records of the file committed before this batch (where it starts)
   * @param rowsRead the records of the file read once this batch is written (where a later run resumes)
   */
  ImportBatch(UUID jobId, int run, ImportRequest request, MatchingStrategy strategy, ProcessVersion process,
      Duration lease, List<ImportRow.Read> reads, long committedBefore, long rowsRead) {
    this.process = process;
    this.jobId = jobId;
    this.run = run;
    this.request = request;
    this.strategy = strategy;
    this.lease = lease;
    this.reads = List.copyOf(reads);
    this.committedBefore = committedBefore;
    this.rowsRead = rowsRead;
  }

  Future<Result> write(SqlConnection conn) {
    // The keyed hashes of each read's email and phone (a failed read's by the values its errors carry): a
    // row of an erased person is refused (docs/privacy.md), keeping none of its values.
    PrivacyKey privacy = PrivacyKey.shared();
    List<List<String>> readHashes = new ArrayList<>();
    Set<String> allHashes = new LinkedHashSet<>();
    for (ImportRow.Read read : reads) {
      List<byte[]> hashes = new ArrayList<>();
      if (privacy != null) {
        if (read.row() != null) {
          hashes.addAll(privacy.hashesOf(read.row().contact().email(), read.row().contact().phone()));
        } else {
          // A failed row keeps only its bad cells: their values, and any address inside one ("Ada <ada@x.org>").
          read.errors().forEach(e -> {
            hashes.addAll(privacy.hashesOf(e.value(), null));
            hashes.addAll(privacy.hashesOf(null, e.value()));
            if (e.value() != null) {
              java.util.regex.Matcher address = EMAIL_IN_TEXT.matcher(e.value());
              while (address.find()) {
                hashes.addAll(privacy.hashesOf(address.group(), null));
              }
            }
          });
        }
      }
      List<String> hex = List.of(TombstoneStore.hex(hashes));
      readHashes.add(hex);
      allHashes.addAll(hex);
    }
    Batch batch = Batch.of(reads, Map.of(), readHashes);
    List<Person> persons = new ArrayList<>(batch.people.values());
    Future<Void> locked = locks.lockAll(conn, batch.people.keySet());
    Future<Map<Integer, UUID>> matched = contacts.matchAll(conn, strategy.fields(), persons.stream().map(p -> p.key).toList());
    // After the locks (pipelined, no round trip of its own): an erasure of one of these people holds the same
    // locks, so it has committed (and is seen) or not begun.
    Future<Map<String, UUID>> erased = tombstones.matchAll(conn, allHashes.toArray(String[]::new));
    return Future.all(locked, matched, erased).compose(done -> {
      if (erased.result().isEmpty()) {
        return afterMatch(conn, batch, persons, matched.result());
      }
      // Rare: rows of erased people. Read again without them, and match the others again (the locks of the
      // refused people stay held to the end: harmless).
      Batch kept = Batch.of(reads, erased.result(), readHashes);
      List<Person> keptPersons = new ArrayList<>(kept.people.values());
      List<Future<Void>> counted = new ArrayList<>();
      kept.refusedBy.forEach((erasureId, n) -> counted.add(tombstones.refused(conn, erasureId, n)));
      Future<Map<Integer, UUID>> rematched = contacts.matchAll(conn, strategy.fields(),
          keptPersons.stream().map(p -> p.key).toList());
      return Future.all(counted).compose(c -> rematched).compose(m -> afterMatch(conn, kept, keptPersons, m));
    });
  }

  /** The batch's reads as rows to write, errors and warnings; the rows of erased people refused. */
  private static final class Batch {
    final List<RowError> errors = new ArrayList<>();
    final List<ImportWarning> warnings = new ArrayList<>();
    final List<ImportRow> rows = new ArrayList<>();
    final Map<String, Person> people = new LinkedHashMap<>();
    final Map<UUID, Integer> refusedBy = new LinkedHashMap<>();
    long failedRows;

    static Batch of(List<ImportRow.Read> reads, Map<String, UUID> erased, List<List<String>> readHashes) {
      Batch batch = new Batch();
      for (int i = 0; i < reads.size(); i++) {
        ImportRow.Read read = reads.get(i);
        UUID erasure = readHashes.get(i).stream().map(erased::get).filter(java.util.Objects::nonNull).findFirst()
            .orElse(null);
        if (erasure != null) {
          // No cell value and no warning of the row is kept: they are the erased person's.
          long row = read.row() != null ? read.row().row() : read.errors().get(0).row();
          batch.errors.add(new RowError(row, null, null, Tombstones.importRowRefusal(erasure)));
          batch.refusedBy.merge(erasure, 1, Integer::sum);
          batch.failedRows++;
          continue;
        }
        batch.warnings.addAll(read.warnings());
        if (read.row() == null) {
          batch.errors.addAll(read.errors());
          batch.failedRows++;
        } else {
          batch.rows.add(read.row());
        }
      }
      for (ImportRow row : batch.rows) {
        if (row.contactKey() != null) {
          batch.people.computeIfAbsent(row.contactKey().lockName(), name -> new Person(row.contactKey())).rows.add(row);
        }
      }
      return batch;
    }
  }

  private Future<Result> afterMatch(SqlConnection conn, Batch batch, List<Person> persons, Map<Integer, UUID> matched) {
    List<ImportRow> rows = batch.rows;
    Map<String, Person> people = batch.people;
    return lockMatched(conn, persons, matched, new HashMap<>(), new HashMap<>(), new HashSet<>())
        .compose(ids -> {
          Map<UUID, MatchedContact> stored = ids.stored();
          for (int i = 0; i < persons.size(); i++) {
            Person person = persons.get(i);
            UUID id = ids.ids().get(i);
            person.exists = id != null && stored.containsKey(id);
            person.id = person.exists ? id : UUID.randomUUID();
            person.accountId = person.exists ? stored.get(id).accountId() : null;
          }
          return linkAccounts(conn, rows, people).compose(accountIds -> writeAll(conn, rows, people, stored,
              accountIds, batch.errors, batch.warnings, batch.failedRows));
        });
  }

  /** The contact each person (by index) matched, and the matched contacts as stored, their rows locked. */
  private record Matches(Map<Integer, UUID> ids, Map<UUID, MatchedContact> stored) {
  }

  /**
   * Locks the rows of the contacts {@code pending} matched (by person index) and checks that each still
   * matches its person: one changed or deleted between the match and the lock (a {@code PATCH} takes the
   * lock of its new key, not of the old) is matched again, as intake's match-and-lock in one statement
   * would; else its person's row would turn it back. The keys' locks keep any other contact from coming
   * to match meanwhile, so this ends; a contact the database matches again although it seemed changed is
   * taken as it is.
   */
  private Future<Matches> lockMatched(SqlConnection conn, List<Person> persons, Map<Integer, UUID> pending,
      Map<Integer, UUID> confirmed, Map<UUID, MatchedContact> stored, Set<UUID> rejected) {
    if (pending.isEmpty()) {
      return Future.succeededFuture(new Matches(confirmed, stored));
    }
    return contacts.lockAll(conn, pending.values()).compose(locked -> {
      stored.putAll(locked);
      List<Integer> again = new ArrayList<>();
      pending.forEach((index, id) -> {
        MatchedContact contact = locked.get(id);
        if (contact != null && (rejected.contains(id) || stillMatches(persons.get(index).key, contact))) {
          confirmed.put(index, id);
        } else {
          rejected.add(id);
          again.add(index);
        }
      });
      if (again.isEmpty()) {
        return Future.succeededFuture(new Matches(confirmed, stored));
      }
      return contacts.matchAll(conn, strategy.fields(), again.stream().map(i -> persons.get(i).key).toList())
          .compose(rematched -> {
            Map<Integer, UUID> next = new HashMap<>();
            rematched.forEach((n, id) -> next.put(again.get(n), id));
            return lockMatched(conn, persons, next, confirmed, stored, rejected);
          });
    });
  }

  private boolean stillMatches(MatchKey key, MatchedContact contact) {
    String contextId = request.entity() == ImportEntity.LEADS ? request.leadContext().id() : null;
    return MatchKey.of(strategy, contact.details(), contextId).map(MatchKey::lockName)
        .filter(key.lockName()::equals).isPresent();
  }

  /**
   * The accounts the batch needs, by key lock name: those of people without an account and of rows that
   * are account leads; found, or created under their keys' locks.
   */
  private Future<Map<String, UUID>> linkAccounts(SqlConnection conn, List<ImportRow> rows, Map<String, Person> people) {
    Map<String, AccountKey> needed = new LinkedHashMap<>();
    Set<Person> linking = new HashSet<>();
    for (ImportRow row : rows) {
      Person person = row.contactKey() == null ? null : people.get(row.contactKey().lockName());
      boolean accountLead = person == null && request.entity() == ImportEntity.LEADS;
      // A person links the account of their first row that names one (as row by row: later rows find the
      // contact with an account); the accounts their later rows name are not created for nothing.
      boolean personLinks = row.accountKey() != null && person != null && person.accountId == null
          && linking.add(person);
      if (row.accountKey() != null && (accountLead || personLinks)) {
        needed.putIfAbsent(row.accountKey().lockName(), row.accountKey());
      }
    }
    if (needed.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Future<Void> locked = locks.lockAll(conn, needed.keySet());
    Future<Map<String, UUID>> found = accounts.findLinkedAll(conn, needed.values());
    return Future.all(locked, found).compose(done -> {
      // As row by row (and as when the rows are in different batches): a name links to the account an
      // earlier row's domain creates under that name, instead of creating a second one.
      Map<String, UUID> all = new HashMap<>(found.result());
      Map<String, String> createdByName = new HashMap<>();
      Map<String, String> sameAs = new HashMap<>();
      List<AccountKey> missing = new ArrayList<>();
      for (AccountKey key : needed.values()) {
        if (all.containsKey(key.lockName())) {
          continue;
        }
        if (key.matching() == AccountMatching.COMPANY_NAME && createdByName.containsKey(key.value())) {
          sameAs.put(key.lockName(), createdByName.get(key.value()));
          continue;
        }
        if (key.matching() == AccountMatching.DOMAIN) {
          String name = Normalize.text(key.newName());
          if (name != null) {
            createdByName.putIfAbsent(name, key.lockName());
          }
        }
        missing.add(key);
      }
      return accounts.createLinkedAll(conn, missing).map(created -> {
        all.putAll(created);
        sameAs.forEach((name, domain) -> all.put(name, all.get(domain)));
        return all;
      });
    });
  }

  private Future<Result> writeAll(SqlConnection conn, List<ImportRow> rows, Map<String, Person> people,
      Map<UUID, MatchedContact> stored, Map<String, UUID> accountIds, List<RowError> errors,
      List<ImportWarning> warnings, long failedRows) {
    // Each person's rows in row order: the first of a new person creates it, each later one updates it or
    // changes nothing; a person without an account takes the first account a row of theirs names.
    Map<Long, String> contactOutcome = new HashMap<>();
    List<ContactWrite> inserts = new ArrayList<>();
    List<ContactWrite> updates = new ArrayList<>();
    Set<UUID> toMark = new LinkedHashSet<>();
    for (Person person : people.values()) {
      ContactDetails original = person.exists ? stored.get(person.id).details() : null;
      UUID originalAccount = person.accountId;
      ContactDetails state = original;
      for (ImportRow row : person.rows) {
        String outcome;
        boolean linksAccount = person.accountId == null && row.accountKey() != null
            && accountIds.containsKey(row.accountKey().lockName());
        if (linksAccount) {
          person.accountId = accountIds.get(row.accountKey().lockName());
        }
        if (state == null) {
          state = row.contact();
          outcome = "created";
        } else {
          ContactDetails next = state.updatedWith(keepingEmailSpelling(state, row.contact()));
          outcome = next.equals(state) && !linksAccount ? "unchanged" : "updated";
          state = next;
        }
        contactOutcome.put(row.row(), outcome);
      }
      if (!person.exists) {
        inserts.add(new ContactWrite(person.id, state, person.accountId));
        toMark.add(person.id);
      } else if (!state.equals(original) || (originalAccount == null && person.accountId != null)) {
        updates.add(new ContactWrite(person.id, state, person.accountId));
        toMark.add(person.id);
      }
    }
    Future<Void> inserted = contacts.insertAll(conn, inserts);
    Future<Void> updated = contacts.updateAll(conn, updates);
    Future<LeadOutcomes> leadOutcomes = request.entity() == ImportEntity.LEADS
        ? writeLeads(conn, rows, people, accountIds) : Future.succeededFuture(null);
    return Future.all(inserted, updated, leadOutcomes).compose(done -> {
      LeadOutcomes leadsDone = leadOutcomes.result();
      if (leadsDone != null) {
        toMark.addAll(leadsDone.contactsToMark);
      }
      Counts contactCounts = count(rows, contactOutcome, 0);
      Counts counts = leadsDone == null ? count(rows, contactOutcome, failedRows)
          : count(rows, leadsDone.byRow, failedRows);
      Future<Void> marked = marks.markAll(conn, List.copyOf(toMark));
      Future<Void> accountsMarked = leadsDone == null ? Future.succeededFuture()
          : marks.markAccounts(conn, leadsDone.accountsToMark);
      Future<Void> reported = imports.addErrors(conn, jobId, errors)
          .compose(none -> imports.addWarnings(conn, jobId, warnings));
      Future<Void> advanced = imports.advance(conn, jobId, run, committedBefore, rowsRead, counts,
          request.entity() == ImportEntity.LEADS ? contactCounts : Counts.NONE, lease);
      return Future.all(marked, accountsMarked, reported, advanced).map(all -> new Result(counts,
          request.entity() == ImportEntity.LEADS ? contactCounts : Counts.NONE));
    });
  }

  /**
   * A row's contact with the email left out when it is the contact's email in other letter case
   * ({@code Ada@Example.com} for {@code ada@example.com}): the stored spelling stays, whichever row comes
   * last, and the row changes nothing for it.
   */
  private static ContactDetails keepingEmailSpelling(ContactDetails state, ContactDetails incoming) {
    if (state.email() == null || incoming.email() == null || state.email().equals(incoming.email())
        || !state.email().toLowerCase(Locale.ROOT).equals(incoming.email().toLowerCase(Locale.ROOT))) {
      return incoming;
    }
    return new ContactDetails(null, incoming.firstName(), incoming.lastName(), incoming.phone(),
        incoming.companyName(), incoming.jobTitle(), incoming.country(), incoming.attributes());
  }

  /** What a lead import's rows did to leads, by row, and whom to mark for rescoring. */
  private record LeadOutcomes(Map<Long, String> byRow, List<UUID> contactsToMark, List<UUID> accountsToMark) {
  }

  /**
   * One open lead per contact (or, for a row without a contact, per account) in the import's context:
   * the first row of an owner without one creates it; every other row finds it.
   */
  private Future<LeadOutcomes> writeLeads(SqlConnection conn, List<ImportRow> rows, Map<String, Person> people,
      Map<String, UUID> accountIds) {
    MarketingContext context = request.leadContext();
    Set<UUID> contactOwners = new LinkedHashSet<>();
    Set<UUID> accountOwners = new LinkedHashSet<>();
    for (ImportRow row : rows) {
      if (row.contactKey() != null) {
        contactOwners.add(people.get(row.contactKey().lockName()).id);
      } else {
        accountOwners.add(accountIds.get(row.accountKey().lockName()));
      }
    }
    return leads.openInContext(conn, context.kind(), context.id(), contactOwners, accountOwners).compose(open -> {
      Set<UUID> owned = new HashSet<>(open.keySet());
      Map<Long, String> byRow = new HashMap<>();
      List<LeadCreation.Creation> creations = new ArrayList<>();
      List<UUID> contactsToMark = new ArrayList<>();
      List<UUID> accountsToMark = new ArrayList<>();
      for (ImportRow row : rows) {
        Person person = row.contactKey() == null ? null : people.get(row.contactKey().lockName());
        UUID contactId = person == null ? null : person.id;
        UUID accountId = person == null ? accountIds.get(row.accountKey().lockName()) : person.accountId;
        UUID owner = contactId != null ? contactId : accountId;
        if (!owned.add(owner)) {
          byRow.put(row.row(), "unchanged");
          continue;
        }
        byRow.put(row.row(), "created");
        String topic = row.topic() != null ? row.topic() : context.name();
        creations.add(new LeadCreation.Creation(UUID.randomUUID(),
            new NewLead(topic, contactId, accountId, context, row.contact().asFieldMap()),
            "imported from " + request.fileName() + ", row " + row.row(), process));
        if (contactId != null) {
          contactsToMark.add(contactId);
        } else {
          accountsToMark.add(accountId);
        }
      }
      return creation.createAll(conn, creations, ImportService.ACTOR)
          .map(created -> new LeadOutcomes(byRow, contactsToMark, accountsToMark));
    });
  }

  private static Counts count(List<ImportRow> rows, Map<Long, String> outcomes, long failed) {
    long created = 0;
    long updated = 0;
    long unchanged = 0;
    for (ImportRow row : rows) {
      String outcome = outcomes.get(row.row());
      if ("created".equals(outcome)) {
        created++;
      } else if ("updated".equals(outcome)) {
        updated++;
      } else if ("unchanged".equals(outcome)) {
        unchanged++;
      }
    }
    return new Counts(created, updated, unchanged, failed);
  }
}
