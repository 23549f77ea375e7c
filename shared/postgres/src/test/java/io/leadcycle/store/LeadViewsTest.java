package io.leadcycle.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.testing.TestDatabase;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The views stay fast as leads pile up: on a seeded table of 200,000 leads each view's page query is an
 * index scan on that view's own index (no sequential scan, no sort of the table), first page or later.
 * Plans, not timings: the test cannot be flaky on a busy machine.
 */
class LeadViewsTest {

  private static final int LEADS = 200_000;

  /**
   * Seeded in statements of this many leads: each stays well under the 10 s statement timeout even on a
   * busy machine (one statement of 200,000 did not).
   */
  private static final int BATCH = 10_000;

  @BeforeAll
  static void seed() {
    TestDatabase.reset();
    for (int first = 1; first <= LEADS; first += BATCH) {
      // A realistic mix: most leads early in the process, few in the telemarketing and sales queues.
      TestDatabase.database().pool().preparedQuery("""
          INSERT INTO leads (topic, context_kind, context_id, stage, status, telemarketing_ready,
                             telemarketing_accepted, sales_ready, sales_accepted, owner_id, created_at,
                             follow_up_at, follow_up_user_id)
          SELECT 'seeded', 'campaign', 'c' || (n % 50),
                 CASE WHEN n % 100 = 1 THEN 'telemarketing_acceptance'
                      WHEN n % 100 = 2 THEN 'telemarketing_qualification'
                      WHEN n % 100 IN (3, 4) THEN 'sales_acceptance'
                      WHEN n % 2 = 0 THEN 'automated_marketing_qualification' ELSE 'inquiry' END,
                 CASE WHEN n % 1000 = 4 THEN 'converted' ELSE 'open' END,
                 n % 100 IN (1, 2), n % 100 = 2, n % 100 IN (3, 4), n % 1000 = 4,
                 CASE WHEN n % 1000 = 4 THEN 'sam' END,
                 timestamptz '2026-01-01' + n * interval '1 second',
                 -- Every 50th lead has a follow-up, for one of 20 users.
                 CASE WHEN n % 50 = 0 THEN timestamptz '2026-06-01' + n * interval '1 minute' END,
                 CASE WHEN n % 50 = 0 THEN ('00000000-0000-4000-8000-0000000000' || lpad((n / 50 % 20)::text, 2, '0'))::uuid END
            FROM generate_series($1::int, $2::int) AS n
          """).execute(Tuple.of(first, Math.min(first + BATCH - 1, LEADS))).await();
    }
    TestDatabase.database().pool().query("ANALYZE leads").execute().await();
  }

  @AfterAll
  static void clean() {
    TestDatabase.reset();
  }

  private static String plan(String sql, Tuple params) {
    StringBuilder plan = new StringBuilder();
    for (Row row : TestDatabase.database().pool().preparedQuery("EXPLAIN " + sql).execute(params).await()) {
      plan.append(row.getString(0)).append('\n');
    }
    return plan.toString();
  }

  private static Tuple cursor() {
    return Tuple.of(OffsetDateTime.of(2026, 1, 2, 0, 0, 0, 0, ZoneOffset.UTC), UUID.randomUUID());
  }

  @Test
  void theSalesViewScansItsPartialIndex() {
    String first = plan(LeadStore.viewQuery(LeadStore.View.SALES, false, false), Tuple.of(51));
    String later = plan(LeadStore.viewQuery(LeadStore.View.SALES, false, true), cursor().addInteger(51));

    assertThat(first).contains("leads_view_sales").doesNotContain("Seq Scan on leads").doesNotContain("Sort");
    assertThat(later).contains("leads_view_sales").doesNotContain("Seq Scan on leads").doesNotContain("Sort");
  }

  @Test
  void theTelemarketingViewScansItsPartialIndex() {
    String first = plan(LeadStore.viewQuery(LeadStore.View.TELEMARKETING, false, false), Tuple.of(51));
    String later = plan(LeadStore.viewQuery(LeadStore.View.TELEMARKETING, false, true), cursor().addInteger(51));

    assertThat(first).contains("leads_view_telemarketing").doesNotContain("Seq Scan on leads");
    assertThat(later).contains("leads_view_telemarketing").doesNotContain("Seq Scan on leads");
  }

  @Test
  void aStageFilterScansTheStageIndex() {
    String plan = plan(LeadStore.viewQuery(LeadStore.View.ALL, true, true),
        Tuple.of("telemarketing_qualification").addOffsetDateTime(OffsetDateTime.of(2026, 1, 2, 0, 0, 0, 0,
            ZoneOffset.UTC)).addUUID(UUID.randomUUID()).addInteger(51));

    assertThat(plan).contains("leads_view_stage").doesNotContain("Seq Scan on leads").doesNotContain("Sort");
  }

  @Test
  void allLeadsPageThroughTheCreationIndex() {
    String plan = plan(LeadStore.viewQuery(LeadStore.View.ALL, false, true), cursor().addInteger(51));

    assertThat(plan).contains("leads_view_all").doesNotContain("Seq Scan on leads").doesNotContain("Sort");
  }

  private static final UUID FOLLOWING_UP = UUID.fromString("00000000-0000-4000-8000-000000000007");

  @Test
  void theDueViewScansTheFollowUpIndexOfItsUser() {
    String first = plan(LeadStore.viewQuery(LeadStore.View.DUE, false, false, LeadStore.Sort.DUE, null, null),
        Tuple.of(FOLLOWING_UP, 51));
    String later = plan(LeadStore.viewQuery(LeadStore.View.DUE, false, false, LeadStore.Sort.DUE, null,
        LeadStore.SOME_POSITION),
        Tuple.of(FOLLOWING_UP).addOffsetDateTime(OffsetDateTime.of(2026, 6, 2, 0, 0, 0, 0, ZoneOffset.UTC))
            .addUUID(UUID.randomUUID()).addInteger(51));

    // Only that user's follow-ups are read (the planner may sort those few rather than walk them in order).
    assertThat(first).contains("leads_follow_ups_by_user").doesNotContain("Seq Scan on leads");
    assertThat(later).contains("leads_follow_ups_by_user").doesNotContain("Seq Scan on leads");
  }

  @Test
  void sortingAViewByFollowUpSortsTheViewsOwnRows() {
    String plan = plan(LeadStore.viewQuery(LeadStore.View.SALES, false, false, LeadStore.Sort.DUE, null, null), Tuple.of(51));

    // No index over every lead's follow-up (it would cost each intake insert): the view's rows, then a sort.
    assertThat(plan).contains("leads_view_sales").doesNotContain("Seq Scan on leads");
  }

  @Test
  void theSeededSalesViewHoldsOnlySalesReadyOpenLeads() {
    long inView = TestDatabase.count("SELECT count(*) FROM leads l WHERE l.status = 'open' AND l.sales_ready");
    long total = TestDatabase.count("SELECT count(*) FROM leads");

    assertThat(total).isEqualTo(LEADS);
    assertThat(inView).isEqualTo(LEADS / 50 - LEADS / 1000);
  }
}
