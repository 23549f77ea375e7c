package io.leadcycle.leads;

import io.leadcycle.domain.EventTypes;
import io.leadcycle.events.LeadEventPayload;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.OutboxStore;
import io.vertx.core.Future;
import java.util.List;

/**
 * Follow-ups coming due: each one, when its time arrives, becomes one {@code lead.follow_up_due} outbox event,
 * so that sales tooling subscribed to it can remind the person. Threshold notification calls this on every run
 * (every minute in AWS, every second locally) before it fans the outbox out.
 */
public final class FollowUps {

  /** Follow-ups announced per transaction; a run with more due calls again. */
  public static final int BATCH = 500;

  private final Database database;
  private final LeadStore leads = new LeadStore();
  private final OutboxStore outbox = new OutboxStore();

  public FollowUps(Database database) {
    this.database = database;
  }

  /**
   * Claims the follow-ups whose time has come and writes their events, in one transaction per batch of
   * {@link #BATCH}: the claim marks each follow-up announced, so however many runs go at once, each follow-up
   * is announced once. Answers how many were.
   */
  public Future<Integer> announceDue() {
    return database.inTransaction(conn -> leads.claimDueFollowUps(conn, BATCH).compose(due -> {
      List<OutboxStore.Event> events = due.stream().map(d -> new OutboxStore.Event(EventTypes.FOLLOW_UP_DUE,
          d.lead().id(), LeadEventPayload.followUpDue(d.lead(), d.lead().followUp(), d.activity()))).toList();
      return outbox.addAll(conn, events).map(v -> events.size());
    })).compose(count -> count == BATCH ? announceDue().map(more -> count + more) : Future.succeededFuture(count));
  }
}
