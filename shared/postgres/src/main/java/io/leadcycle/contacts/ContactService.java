package io.leadcycle.contacts;

import io.leadcycle.domain.Account;
import io.leadcycle.domain.AccountDetails;
import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.ConsentChange;
import io.leadcycle.domain.Contact;
import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.ContactInput;
import io.leadcycle.domain.ContactPatch;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.Normalize;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.SearchQuery;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.AccountStore;
import io.leadcycle.store.AdvisoryLocks;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.MatchingStrategyStore;
import io.leadcycle.store.RescoringMarks;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Contacts created and edited by hand, and the accounts they belong to. The default contact strategy
 * guards them exactly as it guards intake (same lock, same match), so a person typed in by a user is
 * never a second copy of one that a form created.
 */
public final class ContactService {

  private final Database database;
  private final ContactStore contacts = new ContactStore();
  private final AccountStore accounts = new AccountStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();
  private final AdvisoryLocks locks = new AdvisoryLocks();
  private final RescoringMarks rescoring = new RescoringMarks();

  public ContactService(Database database) {
    this.database = database;
  }

  /** Creates an account as a user typed it in. */
  public Future<Account> createAccount(AccountDetails details) {
    return database.inTransaction(conn -> accounts.create(conn, details));
  }

  /** The account, or null. */
  public Future<Account> findAccount(UUID id) {
    return database.read(conn -> accounts.find(conn, id));
  }

  /** The accounts of {@code ids} that exist, in their order (unknown ids are left out). */
  public Future<List<Account>> findAccounts(List<UUID> ids) {
    return database.read(conn -> accounts.findAll(conn, ids));
  }

  /** The contacts of {@code ids} that exist, with their open lead ids, in their order (unknown ids are left out). */
  public Future<List<Contact>> findAll(List<UUID> ids) {
    return database.read(conn -> contacts.findAll(conn, ids));
  }

  /** The contact with its open lead ids, or null. */
  public Future<Contact> find(UUID id) {
    return database.read(conn -> contacts.findById(conn, id));
  }

  /** A contact with its consent history, newest first. */
  public record ContactWithConsentHistory(Contact contact, List<ConsentChange> consentHistory) {
  }

  /**
   * The contact with its open lead ids and its consent history (newest first), or null. Both are asked for at once on
   * one connection: one round trip.
   */
  public Future<ContactWithConsentHistory> findWithConsentHistory(UUID id) {
    return database.read(conn -> {
      Future<Contact> contact = contacts.findById(conn, id);
      Future<List<ConsentChange>> history = contacts.consentHistory(conn, id);
      return Future.all(contact, history).map(both -> contact.result() == null ? null
          : new ContactWithConsentHistory(contact.result(), history.result()));
    });
  }

  /**
   * A page of contacts, newest first, matching {@code search} and of {@code account} when given (null: all of
   * them).
   */
  public Future<ContactStore.Page<Contact>> list(SearchQuery search, UUID account, Instant afterCreated,
      UUID afterId, int limit) {
    return database.read(conn -> contacts.list(conn, search, account, afterCreated, afterId, limit));
  }

  /** A page of accounts, newest first, matching {@code search} when given (null: all of them). */
  public Future<ContactStore.Page<Account>> listAccounts(SearchQuery search, Instant afterCreated, UUID afterId,
      int limit) {
    return database.read(conn -> accounts.list(conn, search, afterCreated, afterId, limit));
  }

  /** The contacts whose normalized email equals {@code email}'s, oldest first. */
  public Future<java.util.List<Contact>> findByEmail(String email) {
    return database.read(conn -> contacts.findByEmail(conn, email));
  }

  /** Creates the contact; a {@link Conflict} naming the existing contact when the default strategy matches. */
  public Future<Contact> create(ContactInput input) {
    return database.inTransaction(conn -> requireAccount(conn, input.accountId())
        .compose(v -> lockAndFindDuplicate(conn, input.details(), null))
        .compose(v -> contacts.insert(conn, input.details(), null, input.accountId()))
        .compose(id -> contacts.findById(conn, id)));
  }

  /** Applies a merge patch; changing the email to one another contact has is a {@link Conflict}. */
  public Future<Contact> patch(UUID id, ContactPatch patch) {
    return database.inTransaction(conn -> contacts.read(conn, id).compose(current -> {
      if (current == null) {
        throw new NotFound("No contact with id " + id + ".");
      }
      ContactDetails wanted = patch.applyTo(current.details());
      // Only a change of what the default strategy matches on can make a duplicate; contacts that already
      // share an email (created under a stricter form strategy) stay editable.
      Future<Void> duplicateCheck = Normalize.email(wanted.email()) == null
          || Normalize.email(wanted.email()).equals(Normalize.email(current.details().email()))
          ? Future.succeededFuture()
          : lockAndFindDuplicate(conn, wanted, id);
      // Match-key lock first, row lock second: the order intake takes them in.
      return duplicateCheck
          .compose(v -> contacts.lock(conn, id))
          .compose(locked -> {
            if (!Objects.equals(Normalize.email(locked.details().email()),
                Normalize.email(current.details().email()))) {
              // Its email changed between our read and our lock: the duplicate check above is stale.
              throw new Conflict("The contact was changed by another request meanwhile; retry the patch.");
            }
            ContactDetails updated = patch.applyTo(locked.details());
            Future<Void> account = patch.changesAccount()
                ? requireAccount(conn, patch.accountId()).compose(x -> contacts.setAccount(conn, id, patch.accountId()))
                : Future.succeededFuture();
            return account
                .compose(x -> updated.equals(locked.details()) ? Future.<Void>succeededFuture()
                    : contacts.update(conn, id, updated, null))
                .compose(x -> rescoring.mark(conn, id))
                .compose(x -> contacts.findById(conn, id));
          });
    }));
  }

  private Future<Void> lockAndFindDuplicate(SqlConnection conn, ContactDetails details, UUID except) {
    return strategies.find(conn, MatchingStrategy.DEFAULT_CONTACT).compose(strategy -> {
      Optional<MatchKey> key = MatchKey.of(strategy, details, null);
      if (key.isEmpty()) {
        return Future.succeededFuture(); // nothing to match on (e.g. no email): cannot be a duplicate
      }
      return locks.lock(conn, key.get().lockName())
          .compose(v -> contacts.findMatch(conn, key.get(), except))
          .map(existing -> {
            if (existing != null) {
              throw new Conflict("A contact matching " + strategy.id() + " already exists: " + existing.id() + ".",
                  existing.id());
            }
            return null;
          });
    });
  }

  private Future<Void> requireAccount(SqlConnection conn, UUID accountId) {
    if (accountId == null) {
      return Future.succeededFuture();
    }
    return accounts.exists(conn, accountId).map(exists -> {
      if (!exists) {
        throw new InvalidInput("accountId", "no account with id " + accountId);
      }
      return null;
    });
  }
}
