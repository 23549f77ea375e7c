package io.leadcycle.functions.thresholdnotification;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.domain.Activity;
import io.leadcycle.leads.FollowUps;
import io.leadcycle.leads.LeadService;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Follow-ups coming due (docs/events.md, {@code lead.follow_up_due}): threshold notification turns each
 * follow-up whose time came into exactly one event and delivers it in the same run; runs at once never
 * announce a follow-up twice.
 */
class FollowUpDueTest {

  private final ScheduledEvent event =
      LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));
  private UUID tom;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    sql("DELETE FROM users");
    tom = sql("INSERT INTO users (name, roles) VALUES ('Tom Caller', ARRAY['telemarketing']) RETURNING id")
        .iterator().next().getUUID(0);
  }

  private static RowSet<Row> sql(String sql, Object... parameters) {
    return TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
  }

  private static long count(String sql, Object... parameters) {
    return sql(sql, parameters).iterator().next().getLong(0);
  }

  private LeadService.LoggedActivity logCallBack(UUID leadId, Instant at) {
    return new LeadService(TestDatabase.database()).logActivity(leadId, new Activity(Activity.Kind.CALL,
        Activity.Outcome.CALL_BACK, "after the board meeting", at), tom, "Tom Caller").await();
  }

  /** A count of a run's summary (an int, or a long once a polling run added runs up). */
  private static long number(Map<String, Object> summary, String name) {
    assertThat(summary).as("a completed run").containsEntry("outcome", "completed");
    return ((Number) summary.get(name)).longValue();
  }

  private ThresholdNotificationHandler handler(int seconds) {
    return new ThresholdNotificationHandler(TestDatabase::database, Clock.systemUTC(),
        Map.of("NOTIFICATION_RUN_SECONDS", Integer.toString(seconds), "NOTIFICATION_LOCAL_TARGETS", "true"));
  }

  @Test
  void aFollowUpWhoseTimeCameIsOneWebhookWithTheFollowUpAndItsActivity() throws Exception {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    HttpServer server = TestDatabase.vertx().createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          received.add(body.toJsonObject());
          request.response().setStatusCode(200).end();
        }));
    server.listen(0, "127.0.0.1").await();
    try {
      sql("INSERT INTO subscribers (url, events, secret) VALUES ($1, '{lead.follow_up_due}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')",
          "http://127.0.0.1:" + server.actualPort() + "/hook");
      UUID due = ScoringFixtures.lead(ScoringFixtures.contact("ada@example.com", null, null), null);
      UUID later = ScoringFixtures.lead(ScoringFixtures.contact("bob@example.com", null, null), null);
      Instant at = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
      LeadService.LoggedActivity logged = logCallBack(due, at);
      logCallBack(later, Instant.now().plus(1, ChronoUnit.HOURS));

      Map<String, Object> first = handler(5).handleRequest(event, null);
      Map<String, Object> second = handler(5).handleRequest(event, null);

      assertThat(number(first, "followUpsDue")).isEqualTo(1);
      assertThat(number(first, "delivered")).isEqualTo(1);
      assertThat(number(second, "followUpsDue")).isZero();
      assertThat(number(second, "delivered")).isZero();
      assertThat(received).hasSize(1);
      JsonObject body = received.get(0);
      assertThat(body.getString("type")).isEqualTo("lead.follow_up_due");
      JsonObject data = body.getJsonObject("data");
      assertThat(data.getJsonObject("lead").getString("id")).isEqualTo(due.toString());
      assertThat(data.getJsonObject("lead").getString("followUpAt")).isEqualTo(at.toString());
      assertThat(data.getString("actor")).isEqualTo("Tom Caller");
      assertThat(data.getString("reason")).isEqualTo("follow-up due");
      JsonObject followUp = data.getJsonObject("followUp");
      assertThat(followUp.getString("at")).isEqualTo(at.toString());
      assertThat(followUp.getJsonObject("user")).isEqualTo(new JsonObject().put("id", tom.toString()).put("name", "Tom Caller"));
      assertThat(followUp.getJsonObject("activity").getString("id")).isEqualTo(logged.activity().id().toString());
      assertThat(followUp.getJsonObject("activity").getString("outcome")).isEqualTo("call_back");
      assertThat(followUp.getJsonObject("activity").getString("note")).isEqualTo("after the board meeting");

      // A new follow-up on the same lead is a new reminder: announced once more when its time comes.
      logCallBack(due, Instant.now().minus(1, ChronoUnit.MINUTES));
      assertThat(number(handler(5).handleRequest(event, null), "followUpsDue")).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.follow_up_due' AND lead_id = $1", due)).isEqualTo(2);
      assertThat(count("SELECT count(*) FROM outbox WHERE lead_id = $1", later)).isZero();
    } finally {
      server.close().await();
    }
  }

  @Test
  void runsAtOnceAnnounceEachFollowUpExactlyOnce() throws Exception {
    int followUps = 1_200; // more than one claim batch
    sql("""
        WITH l AS (
          INSERT INTO leads (topic, context_kind, context_id, context_name)
          SELECT 'Call back ' || g, 'manual', 'desk', 'Sales desk' FROM generate_series(1, $1) g RETURNING id)
        INSERT INTO lead_activities (lead_id, kind, outcome, follow_up_at, actor_user_id, actor_name)
        SELECT id, 'call', 'call_back', now() - interval '1 minute', $2, 'Tom Caller' FROM l""", followUps, tom);
    sql("""
        UPDATE leads l SET follow_up_at = a.follow_up_at, follow_up_user_id = a.actor_user_id,
               follow_up_user_name = a.actor_name, follow_up_activity_id = a.id
          FROM lead_activities a WHERE a.lead_id = l.id""");

    int runners = 6;
    CyclicBarrier start = new CyclicBarrier(runners);
    ExecutorService pool = Executors.newFixedThreadPool(runners);
    try {
      List<Future<Long>> announced = new ArrayList<>();
      for (int i = 0; i < runners; i++) {
        boolean wholeHandler = i % 2 == 0;
        Callable<Long> run = () -> {
          start.await();
          // Half run the scheduled function, half the claim alone, many times over.
          if (wholeHandler) {
            return number(handler(1).handleRequest(event, null), "followUpsDue");
          }
          long total = 0;
          for (int k = 0; k < 5; k++) {
            total += new FollowUps(TestDatabase.database()).announceDue().await();
          }
          return total;
        };
        announced.add(pool.submit(run));
      }
      long total = 0;
      for (Future<Long> each : announced) {
        total += each.get();
      }
      assertThat(total).isEqualTo(followUps);
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.follow_up_due'")).isEqualTo(followUps);
    assertThat(count("SELECT count(DISTINCT lead_id) FROM outbox WHERE type = 'lead.follow_up_due'")).isEqualTo(followUps);
    assertThat(count("SELECT count(*) FROM leads WHERE follow_up_due_notified_at IS NULL")).isZero();
  }
}
