package io.leadcycle.segmentation;

import io.leadcycle.domain.NotFound;
import io.leadcycle.postgres.Database;
import io.leadcycle.segments.Segment;
import io.leadcycle.segments.SegmentParser;
import io.leadcycle.store.SegmentSql;
import io.leadcycle.store.SegmentStore;
import io.leadcycle.store.SegmentMarks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Evaluates one dynamic segment fully: the contacts its definition finds (behind its consent gate) become its
 * members, in one transaction — those that joined inserted, those that left deleted, set-based in one
 * statement, with one outbox event per change. The segment's row lock serialises evaluations and member changes
 * of one segment. Creating or changing a segment calls {@link #evaluate(SqlConnection, UUID)} inside its own
 * transaction; the segment-evaluation function calls {@link #run(Duration)}: every dynamic segment for the contacts
 * marked since ({@link SegmentMarks}), batch by batch, then pending and stale segments fully.
 */
public final class SegmentEvaluation {

  /** Where the segment's own parameters end and the definition's begin in the evaluation statement. */
  private static final int FIRST_DEFINITION_PARAMETER = 5;
  /** The same in the incremental statement, which also binds the marked contacts. */
  private static final int FIRST_INCREMENTAL_PARAMETER = 6;

  public static final int DEFAULT_BATCH = 1_000;
  /**
   * A segment evaluated fully longer ago than this is evaluated fully again: marks see every change of a
   * contact's records, but not time passing ("within 30 days") nor a model's full rescoring.
   */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(1);

  /** What one run did; {@code more}: the budget ran out with work left. */
  public record RunSummary(int fullEvaluations, int contactsEvaluated, long joined, long left,
      int fullEvaluationsFailed, boolean more, long durationMs) {
    public JsonObject toJson() {
      return new JsonObject().put("fullEvaluations", fullEvaluations).put("contactsEvaluated", contactsEvaluated)
          .put("joined", joined).put("left", left).put("fullEvaluationsFailed", fullEvaluationsFailed)
          .put("more", more).put("durationMs", durationMs);
    }

    /** Whether it wrote outbox events (joins, leaves) for threshold notification to deliver. */
    public boolean announced() {
      return joined + left > 0;
    }
  }

  private final Database database;
  private final Clock clock;
  private final SegmentStore segments = new SegmentStore();
  private final SegmentMarks marks = new SegmentMarks();
  private final int batchSize;
  private final Duration staleAfter;

  public SegmentEvaluation(Database database, Clock clock) {
    this(database, clock, DEFAULT_BATCH, DEFAULT_STALE_AFTER);
  }

  public SegmentEvaluation(Database database, Clock clock, int batchSize, Duration staleAfter) {
    this.database = database;
    this.clock = clock;
    this.batchSize = batchSize;
    this.staleAfter = staleAfter;
  }

  /**
   * Evaluates the marked contacts in every dynamic segment, then the pending and stale segments fully, until
   * nothing is left or {@code budget} is spent. Several runs at once share the work: marks are claimed (a run
   * skips what another claims), and each segment's lock makes runs take turns on it, so a join is announced once.
   */
  public RunSummary run(Duration budget) {
    Instant started = clock.instant();
    Instant deadline = started.plus(budget);
    long[] counts = new long[5]; // full evaluations, contacts, joined, left, full evaluations failed
    boolean more = false;
    // What changed first: a contact waiting to join a journey matters more than an hourly re-evaluation.
    while (true) {
      if (clock.instant().isAfter(deadline)) {
        more = true;
        break;
      }
      List<SegmentMarks.Claimed> claimed = database.inTransaction(conn -> marks.claim(conn, batchSize, clock.instant()))
          .await();
      if (claimed.isEmpty()) {
        break;
      }
      List<UUID> contactIds = claimed.stream().map(SegmentMarks.Claimed::contactId).toList();
      long[] changed = database.inTransaction(conn -> segments.dynamicIds(conn)
          .compose(ids -> evaluateEach(conn, ids, contactIds, 0, new long[2]))
          .compose(done -> marks.clear(conn, claimed).map(done))).await();
      counts[1] += contactIds.size();
      counts[2] += changed[0];
      counts[3] += changed[1];
    }
    // A segment whose full evaluation fails (a statement timeout on a heavy definition) is tried once a run and
    // counted; it does not hold back the others, nor the marked contacts above.
    java.util.Set<UUID> tried = new java.util.HashSet<>();
    full:
    while (!more) {
      List<UUID> due = database.read(conn -> segments.dueForFullEvaluation(conn, staleBefore(), 20 + tried.size()))
          .await().stream().filter(id -> !tried.contains(id)).toList();
      if (due.isEmpty()) {
        break;
      }
      for (UUID id : due) {
        if (clock.instant().isAfter(deadline)) {
          more = true;
          break full;
        }
        tried.add(id);
        try {
          SegmentStore.Changes changes = database.inTransaction(conn -> evaluateIfDue(conn, id)).await();
          if (changes != null) {
            counts[0]++;
            counts[2] += changes.joined();
            counts[3] += changes.left();
          }
        } catch (RuntimeException e) {
          counts[4]++;
          io.leadcycle.runtime.JsonLog.error(null, "full evaluation of segment " + id + " failed; the next run tries again",
              e, new JsonObject().put("segmentId", id.toString()));
        }
      }
    }
    return new RunSummary((int) counts[0], (int) counts[1], counts[2], counts[3], (int) counts[4], more,
        Duration.between(started, clock.instant()).toMillis());
  }

  private Instant staleBefore() {
    return clock.instant().minus(staleAfter);
  }

  /** Evaluates the segment fully if it is still due once locked (null: deleted, static, or done by another run). */
  private Future<SegmentStore.Changes> evaluateIfDue(SqlConnection conn, UUID id) {
    return segments.lock(conn, id).compose(segment -> {
      boolean due = segment != null && segment.dynamic() && (Segment.PENDING.equals(segment.evaluationStatus())
          || segment.evaluatedAt() == null || segment.evaluatedAt().isBefore(staleBefore()));
      return due ? segments.evaluate(conn, segment, compile(segment), clock.instant()) : Future.succeededFuture();
    });
  }

  /** The marked contacts in each segment, one after the other in id order (the lock order of every run). */
  private Future<long[]> evaluateEach(SqlConnection conn, List<UUID> segmentIds, List<UUID> contactIds, int next,
      long[] changed) {
    if (next == segmentIds.size()) {
      return Future.succeededFuture(changed);
    }
    return segments.lock(conn, segmentIds.get(next)).compose(segment -> {
      // A pending segment is evaluated fully (all its contacts) by the next run; a deleted one has no members.
      if (segment == null || !segment.dynamic() || Segment.PENDING.equals(segment.evaluationStatus())) {
        return Future.succeededFuture(changed);
      }
      SegmentSql.Compiled compiled;
      try {
        compiled = SegmentSql.contactIds(SegmentParser.definition(segment.definition()), segment.requiresConsent(),
            clock.instant(), FIRST_INCREMENTAL_PARAMETER);
      } catch (RuntimeException e) {
        // A stored definition the language no longer takes: the others go on; its full evaluation reports it too.
        io.leadcycle.runtime.JsonLog.error(null, "segment " + segment.id() + " cannot be compiled; skipped", e,
            new JsonObject().put("segmentId", segment.id().toString()));
        return Future.succeededFuture(changed);
      }
      return segments.evaluateContacts(conn, segment, compiled, contactIds, clock.instant()).map(changes -> {
        changed[0] += changes.joined();
        changed[1] += changes.left();
        return changed;
      });
    }).compose(done -> evaluateEach(conn, segmentIds, contactIds, next + 1, changed));
  }

  /** Evaluates the segment in a transaction of its own. 404 for an unknown segment; nothing for a static one. */
  public Future<SegmentStore.Changes> evaluate(UUID segmentId) {
    return database.inTransaction(conn -> evaluate(conn, segmentId));
  }

  /** Evaluates the segment within the caller's transaction (it takes the segment's lock). */
  public Future<SegmentStore.Changes> evaluate(SqlConnection conn, UUID segmentId) {
    return segments.lock(conn, segmentId).compose(segment -> {
      if (segment == null) {
        throw new NotFound("No segment with id " + segmentId + ".");
      }
      if (!segment.dynamic()) {
        return Future.succeededFuture(new SegmentStore.Changes(0, 0, segment.memberCount()));
      }
      return segments.evaluate(conn, segment, compile(segment), clock.instant());
    });
  }

  private SegmentSql.Compiled compile(Segment segment) {
    return SegmentSql.contactIds(SegmentParser.definition(segment.definition()), segment.requiresConsent(),
        clock.instant(), FIRST_DEFINITION_PARAMETER);
  }
}
