package io.leadcycle.privacy;

import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.ErasureRequest;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.Normalize;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.StrategyEntity;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.AdvisoryLocks;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.ContactStore.MatchedContact;
import io.leadcycle.store.ErasureStore;
import io.leadcycle.store.ErasureStore.Held;
import io.leadcycle.store.ErasureStore.Person;
import io.leadcycle.store.MatchingStrategyStore;
import io.leadcycle.store.TombstoneStore;
import io.leadcycle.store.TombstoneStore.Erasure;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Erasure of a person on request (GDPR Art. 17, docs/privacy.md): in one transaction, under the match-key
 * locks intake takes for the person, everything that names them goes and a tombstone stays — keyed hashes
 * of their email and phone, the ids of what they submitted, the time, the reason, the actor. A submission
 * racing the erasure either commits first (and is erased with the rest) or waits for the lock and meets
 * the tombstone.
 */
public final class ErasureService {

  private final Database database;
  private final PrivacyKey key;
  private final AdvisoryLocks locks = new AdvisoryLocks();
  private final ContactStore contacts = new ContactStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();
  private final ErasureStore erasure = new ErasureStore();
  private final TombstoneStore tombstones = new TombstoneStore();

  public ErasureService(Database database, PrivacyKey key) {
    this.database = database;
    this.key = key;
  }

  /** Erases the person {@code request} names, for {@code actor}; the tombstone as listed. */
  public Future<Erasure> erase(ErasureRequest request, String actor) {
    return database.inTransaction(conn -> strategies.list(conn).compose(all -> {
      List<MatchingStrategy> contactStrategies = all.stream().filter(s -> s.entity() == StrategyEntity.CONTACT).toList();
      return people(conn, request).compose(found -> {
        if (request.contactId() != null && found.isEmpty()) {
          throw new NotFound("No contact " + request.contactId() + " (already erased, or never known).");
        }
        // The locks intake takes for these people, then the people again: one a submission created meanwhile
        // (by the email asked for) is erased with the rest.
        return locks.lockAll(conn, lockNames(found, request, contactStrategies))
            .compose(locked -> people(conn, request))
            .compose(people -> contacts.lockAll(conn, people.stream().map(MatchedContact::id).toList())
                // The rows as locked: an edit that committed meanwhile (a new email or phone) is what is hashed.
                .map(lockedRows -> people.stream().filter(p -> lockedRows.containsKey(p.id()))
                    .map(p -> lockedRows.get(p.id())).toList()))
            .compose(people -> eraseLocked(conn, request, actor, people));
      });
    }));
  }

  private Future<Erasure> eraseLocked(SqlConnection conn, ErasureRequest request, String actor,
      List<MatchedContact> people) {
    if (request.contactId() != null && people.isEmpty()) {
      // Erased (or deleted) by someone else while this request waited for the locks.
      throw new NotFound("No contact " + request.contactId() + " (already erased, or never known).");
    }
    Person person = person(request, people);
    if (ErasureRequest.namesThePerson(request.reason(), personalValues(request, people))) {
      throw new InvalidInput(List.of(new FieldError("reason", "must not name the person (their email, phone or name): "
          + "the reason stays on the tombstone, which holds no personal data")));
    }
    List<byte[]> hashes = new ArrayList<>();
    person.emails().forEach(email -> hashes.addAll(key.hashesOf(email, null)));
    person.phones().forEach(phone -> hashes.addAll(key.hashesOf(null, phone)));
    UUID id = UUID.randomUUID();
    return erasure.held(conn, person).compose(held -> erasure.erasePerson(conn, person, held)
        .compose(counts -> erasure.announce(conn, person.contactIds())
            .compose(announced -> tombstones.insert(conn, id, person.contactIds(), request.reason(), actor, counts,
                hashes, held.sourceKeys()))
            .map(at -> new Erasure(id, person.contactIds(), at, request.reason(), actor, counts, 0, null, null))));
  }

  /** The erasures, newest first: tombstones without personal data. */
  public Future<List<Erasure>> list(Instant afterAt, UUID afterId, int limit) {
    return database.read(conn -> tombstones.list(conn, afterAt, afterId, limit));
  }

  /** The contact asked for, or every contact with the email asked for. */
  private Future<List<MatchedContact>> people(SqlConnection conn, ErasureRequest request) {
    if (request.contactId() != null) {
      return contacts.read(conn, request.contactId()).map(found -> found == null ? List.of() : List.of(found));
    }
    return contacts.findByEmail(conn, request.email()).compose(found -> {
      List<Future<MatchedContact>> reads = found.stream().map(c -> contacts.read(conn, c.id())).toList();
      return Future.all(reads).map(all -> reads.stream().map(Future::result).filter(c -> c != null).toList());
    });
  }

  /** Each contact strategy's lock name for each person (and for the email asked for): what intake locks. */
  private static Set<String> lockNames(List<MatchedContact> people, ErasureRequest request,
      List<MatchingStrategy> contactStrategies) {
    List<ContactDetails> details = new ArrayList<>(people.stream().map(MatchedContact::details).toList());
    if (request.email() != null) {
      details.add(new ContactDetails(request.email(), null, null, null, null, null, null, null));
    }
    Set<String> names = new LinkedHashSet<>();
    for (ContactDetails d : details) {
      for (MatchingStrategy strategy : contactStrategies) {
        MatchKey.of(strategy, d, null).ifPresent(k -> names.add(k.lockName()));
      }
    }
    return names;
  }

  private static Person person(ErasureRequest request, List<MatchedContact> people) {
    Set<String> emails = new LinkedHashSet<>();
    Set<String> phones = new LinkedHashSet<>();
    Set<String> names = new LinkedHashSet<>();
    if (request.email() != null) {
      emails.add(request.email());
    }
    for (MatchedContact p : people) {
      addIfPresent(emails, Normalize.email(p.details().email()));
      addIfPresent(phones, Normalize.phone(p.details().phone()));
      addIfPresent(names, p.details().firstName());
      addIfPresent(names, p.details().lastName());
      if (p.details().firstName() != null && p.details().lastName() != null) {
        names.add(p.details().firstName().strip() + " " + p.details().lastName().strip());
      }
    }
    return new Person(people.stream().map(MatchedContact::id).toList(), List.copyOf(emails), List.copyOf(phones),
        List.copyOf(names));
  }

  private static List<String> personalValues(ErasureRequest request, List<MatchedContact> people) {
    List<String> values = new ArrayList<>();
    values.add(request.email());
    for (MatchedContact p : people) {
      values.add(p.details().email());
      values.add(p.details().phone());
      values.add(p.details().firstName());
      values.add(p.details().lastName());
    }
    return values;
  }

  private static void addIfPresent(Set<String> values, String value) {
    if (value != null && !value.isBlank()) {
      values.add(value.strip());
    }
  }

}
