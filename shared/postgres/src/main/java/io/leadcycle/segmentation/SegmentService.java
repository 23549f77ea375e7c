package io.leadcycle.segmentation;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.postgres.Database;
import io.leadcycle.segments.Segment;
import io.leadcycle.segments.SegmentInput;
import io.leadcycle.store.SegmentSql;
import io.leadcycle.store.SegmentStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Segments through their life: created and replaced (a dynamic one evaluated in the same transaction, so its
 * membership is never behind the definition it answers with), deleted, listed; static members added and
 * removed; members read; drafts previewed without writing. One transaction per call.
 */
public final class SegmentService {

  /** How many members a preview shows. */
  public static final int PREVIEW_MEMBERS = 20;

  private final Database database;
  private final Clock clock;
  private final SegmentStore segments = new SegmentStore();
  private final SegmentEvaluation evaluation;

  public SegmentService(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
    this.evaluation = new SegmentEvaluation(database, clock);
  }

  public Future<Segment> create(SegmentInput input) {
    return database.inTransaction(conn -> requireModels(conn, input.models()).compose(checked -> segments.create(conn, input))
        .compose(created -> evaluation.evaluate(conn, created.id()).compose(c -> segments.find(conn, created.id()))));
  }

  public Future<Segment> replace(UUID id, SegmentInput input) {
    return database.inTransaction(conn -> segments.lock(conn, id).compose(locked -> {
      if (locked == null) {
        throw notFound(id);
      }
      return requireModels(conn, input.models()).compose(checked -> segments.replace(conn, id, input))
          .compose(replaced -> evaluation.evaluate(conn, id))
          .compose(c -> segments.find(conn, id));
    }));
  }

  public Future<Segment> get(UUID id) {
    return database.read(conn -> segments.find(conn, id)).map(found -> {
      if (found == null) {
        throw notFound(id);
      }
      return found;
    });
  }

  public Future<SegmentStore.Page> list(Instant afterCreated, UUID afterId, int limit) {
    return database.read(conn -> segments.page(conn, afterCreated, afterId, limit));
  }

  public Future<Void> delete(UUID id) {
    return database.inTransaction(conn -> segments.delete(conn, id)).map(deleted -> {
      if (!deleted) {
        throw notFound(id);
      }
      return null;
    });
  }

  /**
   * Adds contacts to a static segment: 400 naming each unknown contact id (and adding none), 409 for a dynamic
   * segment (its definition decides). Ids already members stay, unannounced.
   */
  public Future<SegmentStore.Changes> addMembers(UUID id, List<UUID> contactIds) {
    List<UUID> distinct = List.copyOf(new LinkedHashSet<>(contactIds));
    return database.inTransaction(conn -> segments.lock(conn, id).compose(segment -> {
      requireStatic(segment, id);
      return segments.unknownContacts(conn, distinct).compose(unknown -> {
        if (!unknown.isEmpty()) {
          List<FieldError> errors = new ArrayList<>();
          for (UUID missing : unknown) {
            errors.add(new FieldError("contactIds[" + contactIds.indexOf(missing) + "]", "no contact with this id"));
          }
          throw new InvalidInput(errors);
        }
        return segments.addMembers(conn, segment, distinct, clock.instant());
      });
    }));
  }

  /** Removes a contact from a static segment: 404 when it is no member. */
  public Future<SegmentStore.Changes> removeMember(UUID id, UUID contactId) {
    return database.inTransaction(conn -> segments.lock(conn, id).compose(segment -> {
      requireStatic(segment, id);
      return segments.removeMember(conn, segment, contactId, clock.instant()).map(changes -> {
        if (changes.left() == 0) {
          throw new NotFound("Contact " + contactId + " is not a member of segment " + id + ".");
        }
        return changes;
      });
    }));
  }

  /** A page of the segment's members by contact id (404 for an unknown segment). */
  public Future<SegmentStore.MemberPage> members(UUID id, UUID afterContactId, int limit) {
    return database.read(conn -> segments.find(conn, id).compose(segment -> {
      if (segment == null) {
        throw notFound(id);
      }
      return segments.members(conn, id, afterContactId, limit);
    }));
  }

  /** How many contacts a draft finds and the first of them; writes nothing. */
  public Future<SegmentStore.Preview> preview(SegmentInput.Draft draft) {
    SegmentSql.Compiled compiled = SegmentSql.contactIds(draft.definition(), draft.requiresConsent(), clock.instant(), 2);
    return database.read(conn -> requireModels(conn, draft.models())
        .compose(checked -> segments.preview(conn, compiled, PREVIEW_MEMBERS)));
  }

  /**
   * 400 naming each {@code model} member (by its path) whose scoring model does not exist: a condition on an
   * unknown model would silently match nothing. A retired model's scores stay, so it may still be named.
   */
  private Future<Void> requireModels(io.vertx.sqlclient.SqlConnection conn, java.util.Map<String, UUID> models) {
    if (models.isEmpty()) {
      return Future.succeededFuture();
    }
    return segments.unknownModels(conn, models.values()).map(unknown -> {
      List<FieldError> errors = new ArrayList<>();
      models.forEach((path, model) -> {
        if (unknown.contains(model)) {
          errors.add(new FieldError(path, "no scoring model with this id"));
        }
      });
      if (!errors.isEmpty()) {
        throw new InvalidInput(errors);
      }
      return null;
    });
  }

  /** The segments each of the contacts is in, by name; one statement for all of them. */
  public Future<java.util.Map<UUID, List<SegmentStore.Membership>>> segmentsOf(List<UUID> contactIds) {
    return database.read(conn -> segments.segmentsOf(conn, contactIds));
  }

  private static void requireStatic(Segment segment, UUID id) {
    if (segment == null) {
      throw notFound(id);
    }
    if (segment.dynamic()) {
      throw new Conflict("Segment " + id + " is dynamic: its definition decides its members. Members are added "
          + "and removed by hand only in a static segment.");
    }
  }

  private static NotFound notFound(UUID id) {
    return new NotFound("No segment with id " + id + ".");
  }
}
