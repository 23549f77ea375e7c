package io.leadcycle.segmentation;

import io.leadcycle.domain.NotFound;
import io.leadcycle.postgres.Database;
import io.leadcycle.segments.Segment;
import io.leadcycle.segments.SegmentParser;
import io.leadcycle.store.SegmentSql;
import io.leadcycle.store.SegmentStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.UUID;

/**
 * Evaluates one dynamic segment fully: the contacts its definition finds (behind its consent gate) become its
 * members, in one transaction — those that joined inserted, those that left deleted, set-based in one
 * statement, with one outbox event per change. The segment's row lock serialises evaluations and member changes
 * of one segment. The scheduled segment-evaluation function (to come) calls {@link #evaluate(UUID)}; creating
 * or changing a segment calls {@link #evaluate(SqlConnection, UUID)} inside its own transaction.
 */
public final class SegmentEvaluation {

  /** Where the segment's own parameters end and the definition's begin in the evaluation statement. */
  private static final int FIRST_DEFINITION_PARAMETER = 5;

  private final Database database;
  private final Clock clock;
  private final SegmentStore segments = new SegmentStore();

  public SegmentEvaluation(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
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
