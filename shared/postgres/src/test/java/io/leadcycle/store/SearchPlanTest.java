package io.leadcycle.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.SearchQuery;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search stays an index lookup as data piles up: on 100,000 contacts, 110,000 leads (10,000 without a contact) and 10,000 accounts, the
 * exact statements the stores run for {@code q} (EXPLAIN (FORMAT JSON), with the parameters the store sends)
 * read the trigram indexes of V19 and never scan the searched tables sequentially. Plans, not timings.
 */
class SearchPlanTest {

  private static final int ROWS = 100_000;
  private static final int BATCH = 25_000;

  @BeforeAll
  static void seed() {
    TestDatabase.reset();
    var pool = TestDatabase.database().pool();
    pool.query("""
        INSERT INTO accounts (name, domain, name_norm, domain_norm, created_at)
        SELECT 'Company ' || n, 'company' || n || '.example', 'company ' || n, 'company' || n || '.example',
               timestamptz '2026-01-01' + n * interval '1 second'
          FROM generate_series(1, 10000) AS n""").execute().await();
    for (int first = 1; first <= ROWS; first += BATCH) {
      pool.preparedQuery("""
          INSERT INTO contacts (email, first_name, last_name, company_name, email_norm, account_id, created_at)
          SELECT 'person' || n || '@company' || k || '.example', 'First' || n, 'Last' || n, 'Company ' || k,
                 'person' || n || '@company' || k || '.example', a.id, timestamptz '2026-01-01' + n * interval '1 second'
            FROM generate_series($1::int, $2::int) AS n
            JOIN (SELECT id, row_number() OVER (ORDER BY created_at) AS k FROM accounts) a ON a.k = n % 10000 + 1""")
          .execute(Tuple.of(first, first + BATCH - 1)).await();
      pool.preparedQuery("""
          INSERT INTO leads (topic, context_kind, context_id, contact_id, account_id, created_at, sales_ready)
          SELECT 'seeded', 'campaign', 'c1', c.id, c.account_id, c.created_at, c.last_name LIKE '%0'
            FROM contacts c
           WHERE c.created_at BETWEEN timestamptz '2026-01-01' + $1 * interval '1 second'
                                  AND timestamptz '2026-01-01' + $2 * interval '1 second'""")
          .execute(Tuple.of(first, first + BATCH - 1)).await();
    }
    // Leads without a contact, found by what was submitted.
    pool.query("""
        INSERT INTO leads (topic, context_kind, context_id, submitted_fields, created_at)
        SELECT 'seeded', 'campaign', 'c2',
               jsonb_build_object('email', 'visitor' || n || '@mail.example', 'firstName', 'Visitor' || n),
               timestamptz '2026-02-01' + n * interval '1 second'
          FROM generate_series(1, 10000) AS n""").execute().await();
    pool.query("""
        INSERT INTO contacts (email, first_name, last_name, company_name, email_norm)
        VALUES ('grace@example.com', 'Grace', 'Hopper', 'Navy', 'grace@example.com')""").execute().await();
    // VACUUM also moves the GIN indexes' pending entries into the index proper, as autovacuum would have. The
    // statistics read every row (a target of 1,000 samples 300,000 rows, more than these tables hold), so each run
    // plans from the same statistics: a sample of 30,000 rows once led the planner to another plan.
    TestDatabase.database().pool().withConnection(conn -> {
      io.vertx.core.Future<?> done = conn.query("SET default_statistics_target = 1000").execute();
      for (String table : List.of("accounts", "contacts", "leads")) {
        done = done.compose(v -> conn.query("VACUUM ANALYZE " + table).execute());
      }
      return done;
    }).await();
  }

  @AfterAll
  static void clean() {
    TestDatabase.reset();
  }

  @Test
  void theSeedHoldsAHundredThousandContactsAndLeads() {
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(ROWS + 1);
    assertThat(TestDatabase.count("SELECT count(*) FROM leads")).isEqualTo(ROWS + 10_000);
  }

  @Test
  void contactSearchReadsTheContactAndAccountTrigramIndexes() {
    SearchQuery q = SearchQuery.parse("hopper");
    JsonArray plan = plan(ContactStore.listQuery(q, false, false), words(q).addInteger(51));

    assertThat(indexesRead(plan)).contains("contacts_search", "accounts_search");
    assertThat(sequentialScans(plan)).doesNotContain("contacts", "accounts");
  }

  @Test
  void accountSearchReadsTheAccountTrigramIndex() {
    SearchQuery q = SearchQuery.parse("company12");
    JsonArray plan = plan(AccountStore.listQuery(q, false), words(q).addInteger(51));

    assertThat(indexesRead(plan)).contains("accounts_search");
    assertThat(sequentialScans(plan)).doesNotContain("accounts");
  }

  @Test
  void leadSearchInAViewSortedByScoreReadsTheTrigramIndexes() {
    SearchQuery q = SearchQuery.parse("grace hop");
    JsonArray plan = plan(LeadStore.viewQuery(LeadStore.View.ALL, false, false, LeadStore.Sort.SCORE, q, null),
        words(q).addInteger(51));

    assertThat(indexesRead(plan)).contains("contacts_search", "accounts_search", "leads_contactless_search");
    assertThat(sequentialScans(plan)).doesNotContain("leads", "contacts", "accounts");
  }

  @Test
  void leadSearchOnALaterPageOfTheSalesViewReadsTheTrigramIndexes() {
    SearchQuery q = SearchQuery.parse("last4242");
    Tuple params = words(q).addOffsetDateTime(java.time.OffsetDateTime.parse("2026-01-02T00:00:00Z"))
        .addUUID(java.util.UUID.randomUUID()).addInteger(51);
    JsonArray plan = plan(LeadStore.viewQuery(LeadStore.View.SALES, false, false, LeadStore.Sort.NEWEST, q,
        LeadStore.SOME_POSITION),
        params);

    assertThat(indexesRead(plan)).contains("contacts_search");
    assertThat(sequentialScans(plan)).doesNotContain("leads", "contacts", "accounts");
  }

  private static Tuple words(SearchQuery q) {
    Tuple params = Tuple.tuple();
    q.words().forEach(word -> params.addString(SearchQuery.likeLiteral(word)));
    return params;
  }

  private static JsonArray plan(String sql, Tuple params) {
    Object json = TestDatabase.database().pool().preparedQuery("EXPLAIN (FORMAT JSON) " + sql).execute(params).await()
        .iterator().next().getValue(0);
    JsonArray plan = json instanceof JsonArray array ? array : new JsonArray(json.toString());
    if (System.getenv("SHOW_PLANS") != null) System.out.println(plan.encodePrettily());
    return plan;
  }

  private static List<String> indexesRead(JsonArray plan) {
    List<String> found = new ArrayList<>();
    walk(plan.getJsonObject(0).getJsonObject("Plan"), node -> {
      if (node.getString("Node Type").contains("Index") && node.containsKey("Index Name")) {
        found.add(node.getString("Index Name"));
      }
    });
    return found;
  }

  private static List<String> sequentialScans(JsonArray plan) {
    List<String> found = new ArrayList<>();
    walk(plan.getJsonObject(0).getJsonObject("Plan"), node -> {
      if ("Seq Scan".equals(node.getString("Node Type"))) {
        found.add(node.getString("Relation Name"));
      }
    });
    return found;
  }

  private static void walk(JsonObject node, java.util.function.Consumer<JsonObject> visit) {
    visit.accept(node);
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) {
      children.forEach(child -> walk((JsonObject) child, visit));
    }
  }
}
