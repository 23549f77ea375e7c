package io.leadcycle.interactions;

import io.leadcycle.domain.InteractionBatch;
import io.leadcycle.domain.InteractionBatch.Item;
import io.leadcycle.domain.InteractionBatch.Rejection;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.InteractionStore;
import io.leadcycle.store.InteractionStore.BatchInteraction;
import io.leadcycle.store.InteractionStore.Stored;
import io.leadcycle.store.RescoringMarks;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Interactions that other systems report (email opens and clicks, website visits, event attendance):
 * each attributed to its contact by id or by email (the default contact strategy), stored once per
 * source id, and its contact marked for rescoring. A whole batch is one transaction of four statements
 * whatever its size: find the contacts by id, find them by email, store the interactions, mark the
 * contacts.
 */
public final class InteractionService {

  /**
   * What became of a batch: interactions stored now, items whose source id was already stored (or
   * repeated in the batch), and the items that were not taken, by position.
   */
  public record Outcome(int accepted, int duplicates, List<Rejection> rejected) {
  }

  private final Database database;
  private final ContactStore contacts = new ContactStore();
  private final InteractionStore interactions = new InteractionStore();
  private final RescoringMarks marks = new RescoringMarks();

  public InteractionService(Database database) {
    this.database = database;
  }

  public Future<Outcome> record(InteractionBatch batch) {
    return database.inTransaction(conn -> record(conn, batch));
  }

  private Future<Outcome> record(SqlConnection conn, InteractionBatch batch) {
    Set<UUID> ids = new LinkedHashSet<>();
    Set<String> emails = new LinkedHashSet<>();
    for (Item item : batch.items()) {
      if (item.contactId() != null) {
        ids.add(item.contactId());
      } else {
        emails.add(item.email());
      }
    }
    Future<Set<UUID>> known = ids.isEmpty() ? Future.succeededFuture(Set.of()) : contacts.existing(conn, ids);
    return known.compose(existing -> (emails.isEmpty() ? Future.succeededFuture(Map.<String, UUID>of())
            : contacts.oldestByEmail(conn, emails))
        .compose(byEmail -> {
          List<Rejection> rejected = new ArrayList<>(batch.rejected());
          List<BatchInteraction> rows = new ArrayList<>();
          for (Item item : batch.items()) {
            UUID contactId = item.contactId() != null
                ? existing.contains(item.contactId()) ? item.contactId() : null
                : byEmail.get(item.email());
            if (contactId == null) {
              rejected.add(new Rejection(item.index(), item.sourceId(), item.contactId() != null
                  ? "contactId: no contact with id " + item.contactId()
                  : "email: no contact with the email " + item.email()
                      + " (matched by the default contact strategy: the normalized email)"));
              continue;
            }
            rows.add(new BatchInteraction(contactId, item.type(), item.occurredAt(), item.context().kind(),
                item.context().id(), item.context().name(), item.context().url(), item.sourceKey()));
          }
          rejected.sort(Comparator.comparingInt(Rejection::index));
          return interactions.recordAll(conn, rows)
              .compose(stored -> marks.markAll(conn, stored.stream().map(Stored::contactId)
                      .filter(Objects::nonNull).distinct().toList())
                  .map(v -> new Outcome(stored.size(), rows.size() - stored.size(), List.copyOf(rejected))));
        }));
  }
}
