package io.leadcycle.functions.maintenance;

import io.leadcycle.testing.ScoringFixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daily maintenance run deletes form submissions older than their retention, and nothing else. */
class MaintenanceHandlerTest {

  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final ScheduledEvent event =
      LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    sql("""
        INSERT INTO forms (id, name, kind, contact_strategy_id, lead_strategy_id, update_mode,
                           generate_leads_without_matching, require_signature, signing_secret)
        VALUES ('page', 'Page', 'marketing_page', 'default-contact', 'default-lead', 'contacts_and_leads',
                false, true, 'whsec_x')""");
  }

  private static void sql(String sql, Object... parameters) {
    TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
  }

  /** {@code count} submissions received {@code daysAgo} days before now. */
  private static void receivedDaysAgo(int daysAgo, int count) {
    sql("INSERT INTO intake_receipts (form_id, submission_key, created_at, response)"
        + " SELECT 'page', $1 || '-' || n, $2, '{}'::jsonb FROM generate_series(1, $3) n",
        "d" + daysAgo, NOW.minusSeconds(daysAgo * 86_400L).atOffset(ZoneOffset.UTC), count);
  }

  private static long remaining(int daysAgo) {
    return TestDatabase.count("SELECT count(*) FROM intake_receipts WHERE submission_key LIKE 'd" + daysAgo + "-%'");
  }

  @Test
  void submissionsOlderThanNinetyDaysAreDeletedByDefault() {
    receivedDaysAgo(91, 3);
    receivedDaysAgo(89, 2);
    receivedDaysAgo(0, 1);

    Map<String, Object> summary = new MaintenanceHandler(TestDatabase::database, CLOCK, Map.of()).handleRequest(event, null);

    assertThat(summary).containsEntry("outcome", "completed").containsEntry("submissionsDeleted", 3)
        .containsEntry("retentionDays", 90L).containsEntry("more", false);
    assertThat(remaining(91)).isZero();
    assertThat(remaining(89)).isEqualTo(2);
    assertThat(remaining(0)).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM forms")).isEqualTo(1);
  }

  @Test
  void linkedInAnswersAreClearedAfterTheSameRetentionAndTheLedgerEntriesStay() {
    for (int daysAgo : new int[] {91, 89}) {
      sql("""
          INSERT INTO linkedin_responses (response_urn, outcome, response, received, summary, processed_at)
          VALUES ($1, 'created', '{"submissionId": "x"}'::jsonb, '{"fields": {"email": "ada@example.com"}}'::jsonb,
                  'contact created, lead created', $2)""",
          "urn:li:leadGenFormResponse:" + daysAgo, NOW.minusSeconds(daysAgo * 86_400L).atOffset(ZoneOffset.UTC));
    }

    Map<String, Object> summary = new MaintenanceHandler(TestDatabase::database, CLOCK, Map.of()).handleRequest(event, null);

    assertThat(summary).containsEntry("linkedinAnswersCleared", 1);
    assertThat(TestDatabase.count("SELECT count(*) FROM linkedin_responses")).isEqualTo(2);
    assertThat(TestDatabase.count("SELECT count(*) FROM linkedin_responses WHERE received IS NULL"
        + " AND response_urn LIKE '%:91' AND response IS NOT NULL")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM linkedin_responses WHERE received IS NOT NULL"
        + " AND response_urn LIKE '%:89'")).isEqualTo(1);
  }

  @Test
  void theRetentionIsConfigurableAndABacklogIsDeletedInBatches() {
    receivedDaysAgo(40, MaintenanceHandler.BATCH + 7);
    receivedDaysAgo(20, 1);

    Map<String, Object> summary = new MaintenanceHandler(TestDatabase::database, CLOCK,
        Map.of("SUBMISSION_RETENTION_DAYS", "30")).handleRequest(event, null);

    assertThat(summary).containsEntry("submissionsDeleted", MaintenanceHandler.BATCH + 7);
    assertThat(remaining(40)).isZero();
    assertThat(remaining(20)).isEqualTo(1);
  }

  @Test
  void aRetentionThatIsNotAWholeNumberOfDaysFailsAtOnceNamingTheVariable() {
    for (String bad : new String[] {"0", "-3", "ninety", "1.5", "99999999999"}) {
      assertThatThrownBy(() -> new MaintenanceHandler(TestDatabase::database, CLOCK, Map.of("SUBMISSION_RETENTION_DAYS", bad)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("SUBMISSION_RETENTION_DAYS");
    }
  }

  /** An event of {@code daysAgo}, fanned out or not, with one delivery per given status. */
  private static java.util.UUID eventDaysAgo(java.util.UUID leadId, int daysAgo, boolean fannedOut, String... statuses) {
    java.time.OffsetDateTime at = NOW.minusSeconds(daysAgo * 86_400L).atOffset(ZoneOffset.UTC);
    java.util.UUID id = TestDatabase.database().pool().preparedQuery("INSERT INTO outbox (type, lead_id, payload, created_at,"
        + " fanned_out_at) VALUES ('lead.sales_ready', $1, '{}'::jsonb, $2, $3) RETURNING id")
        .execute(Tuple.of(leadId, at, fannedOut ? at : null)).await().iterator().next().getUUID(0);
    for (String status : statuses) {
      java.util.UUID subscriber = TestDatabase.database().pool().preparedQuery(
          "INSERT INTO subscribers (url, events, secret) VALUES ('https://example.com/', '{*}', 'whsec_x') RETURNING id")
          .execute().await().iterator().next().getUUID(0);
      sql("WITH d AS (INSERT INTO deliveries (outbox_id, subscriber_id, status) VALUES ($1, $2, $3) RETURNING id)"
          + " INSERT INTO delivery_attempts (delivery_id, http_status, duration_ms) SELECT id, 200, 5 FROM d",
          id, subscriber, status);
    }
    return id;
  }

  @Test
  void finishedEventsOlderThanTheOutboxRetentionAreDeletedWithTheirDeliveriesAndAttempts() {
    java.util.UUID leadId = io.leadcycle.testing.ScoringFixtures.lead(
        io.leadcycle.testing.ScoringFixtures.contact("ada@example.com", null, null), null);
    java.util.UUID delivered = eventDaysAgo(leadId, 31, true, "delivered", "failed");
    java.util.UUID noSubscriber = eventDaysAgo(leadId, 31, true);
    java.util.UUID stillPending = eventDaysAgo(leadId, 31, true, "delivered", "pending");
    java.util.UUID notFannedOut = eventDaysAgo(leadId, 31, false);
    java.util.UUID recent = eventDaysAgo(leadId, 29, true, "delivered");

    Map<String, Object> summary = new MaintenanceHandler(TestDatabase::database, CLOCK, Map.of()).handleRequest(event, null);

    assertThat(summary).containsEntry("eventsDeleted", 2).containsEntry("outboxRetentionDays", 30L);
    assertThat(TestDatabase.count("SELECT count(*) FROM outbox WHERE id IN ('" + delivered + "', '" + noSubscriber + "')")).isZero();
    assertThat(TestDatabase.count("SELECT count(*) FROM outbox WHERE id IN ('" + stillPending + "', '" + notFannedOut
        + "', '" + recent + "')")).isEqualTo(3);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries")).isEqualTo(3);
    assertThat(TestDatabase.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(3);

    assertThat(new MaintenanceHandler(TestDatabase::database, CLOCK, Map.of("OUTBOX_RETENTION_DAYS", "7"))
        .handleRequest(event, null)).containsEntry("eventsDeleted", 1);
    assertThatThrownBy(() -> new MaintenanceHandler(TestDatabase::database, CLOCK, Map.of("OUTBOX_RETENTION_DAYS", "0")))
        .hasMessageContaining("OUTBOX_RETENTION_DAYS");
  }
}
