package io.leadcycle.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled statement finds its related records through indexes at the issue's scale (100,000 contacts,
 * 1,000,000 interactions, 100,000 leads with scores, 10,000 opportunities): asked about a few contacts (what an
 * incremental evaluation of marked contacts will do), it never scans leads, lead scores, opportunities or
 * interactions (EXPLAIN (FORMAT JSON) of the exact statement). A full evaluation is free to hash-join; its
 * time is printed, not asserted (the benchmark owns the target).
 */
class SegmentPlanTest {

  private static final int CONTACTS = 100_000;
  private static UUID model;

  /** Account size, a lead's score in a model, 3 email clicks in 30 days, no open opportunity. */
  private static final String DEFINITION = """
      {"all": [
        {"field": "account.employeeCount", "op": "gte", "value": 1000},
        {"leads": "any", "where": [{"field": "score", "model": "%s", "op": "gte", "value": 50}]},
        {"interactions": "any", "atLeast": 3, "where": [{"field": "type", "op": "equals", "value": "email_clicked"},
                                                        {"field": "occurredAt", "op": "withinDays", "value": 30}]},
        {"opportunities": "none", "where": [{"field": "status", "op": "equals", "value": "open"}]}
      ]}""";

  @BeforeAll
  static void seed() {
    TestDatabase.reset();
    var pool = TestDatabase.database().pool();
    pool.query("""
        INSERT INTO accounts (name, employee_count)
        SELECT 'Company ' || n, (n % 50) * 100 FROM generate_series(1, 10000) AS n""").execute().await();
    pool.query("""
        INSERT INTO contacts (email, email_norm, account_id, consent)
        SELECT 'p' || n || '@example.com', 'p' || n || '@example.com', a.id,
               CASE WHEN n % 2 = 0 THEN '{"marketing": true}'::jsonb END
          FROM generate_series(1, 100000) AS n
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM accounts) a ON a.k = n % 10000 + 1""")
        .execute().await();
    model = pool.query("INSERT INTO scoring_models (name, target, status, definition) "
        + "VALUES ('Fit', 'contact', 'live', '{}'::jsonb) RETURNING id").execute().await().iterator().next().getUUID(0);
    pool.query("""
        INSERT INTO leads (topic, contact_id, context_kind, context_id)
        SELECT 'seeded', id, 'campaign', 'c1' FROM contacts""").execute().await();
    pool.preparedQuery("""
        INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at)
        SELECT id, $1, (hashtext(id::text) & 127), 'A', false, '[]'::jsonb, now() FROM leads""")
        .execute(Tuple.of(model)).await();
    pool.query("""
        INSERT INTO opportunities (lead_id, topic, contact_id, owner_id)
        SELECT id, 'seeded', contact_id, 'olga' FROM leads ORDER BY id LIMIT 10000""").execute().await();
    // Ten interactions per contact over 90 days, of every type; one statement per round (statement timeout).
    for (int k = 0; k < 10; k++) {
      pool.preparedQuery("""
          INSERT INTO interactions (contact_id, type, occurred_at, source_key)
          SELECT c.id, (ARRAY['email_opened', 'email_clicked', 'website_visited', 'form_submitted'])[(1 + ($1 + c.n) % 4)::int],
                 now() - make_interval(days => ($1 * 9 + c.n % 9)::int), c.id::text || ':' || $1
            FROM (SELECT id, row_number() OVER () AS n FROM contacts) c""").execute(Tuple.of(k)).await();
    }
    for (String table : List.of("accounts", "contacts", "leads", "lead_scores", "opportunities", "interactions")) {
      pool.query("VACUUM ANALYZE " + table).execute().await();
    }
  }

  @AfterAll
  static void clean() {
    TestDatabase.reset();
  }

  @Test
  void theSeedHasTheIssuesScale() {
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(CONTACTS);
    assertThat(TestDatabase.count("SELECT count(*) FROM interactions")).isEqualTo(10L * CONTACTS);
  }

  @Test
  void aFewContactsAreLookedUpThroughIndexesOnly() {
    SegmentSql.Compiled compiled = SegmentSqlTest.compile(DEFINITION.formatted(model), "marketing");
    UUID[] few = TestDatabase.database().pool().query("SELECT id FROM contacts ORDER BY id LIMIT 20").execute().await()
        .stream().map(r -> r.getUUID(0)).toArray(UUID[]::new);
    // What an incremental evaluation of marked contacts asks: the definition, for these contacts only.
    String sql = "SELECT t.id FROM (" + compiled.sql() + ") t WHERE t.id = ANY ($" + (compiled.parameters().size() + 1)
        + "::uuid[])";
    Tuple tuple = Tuple.tuple();
    compiled.parameters().forEach(tuple::addValue);
    tuple.addValue(few);
    JsonObject plan = explain(sql, tuple);
    List<String> scans = new ArrayList<>();
    collectScans(plan, scans);
    assertThat(scans).as(plan.encodePrettily())
        .doesNotContain("Seq Scan on leads", "Seq Scan on lead_scores", "Seq Scan on opportunities",
            "Seq Scan on interactions", "Seq Scan on contacts")
        // V23's index: without it, "no open opportunity" reads every opportunity for every contact.
        .contains("index opportunities_contact", "index interactions_contact_type_time", "index leads_contact");
  }

  @Test
  void aFullEvaluationTakes() {
    SegmentSql.Compiled compiled = SegmentSqlTest.compile(DEFINITION.formatted(model), "marketing");
    long started = System.nanoTime();
    long found = SegmentSqlTest.members(compiled).size();
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.println("segment over 100k contacts / 1M interactions: " + found + " members in " + ms + " ms");
    assertThat(found).isPositive();
  }

  private static JsonObject explain(String sql, Tuple tuple) {
    Row row = TestDatabase.database().pool().preparedQuery("EXPLAIN (FORMAT JSON) " + sql).execute(tuple).await()
        .iterator().next();
    Object value = row.getValue(0);
    JsonArray array = value instanceof JsonArray a ? a : new JsonArray(value.toString());
    return array.getJsonObject(0).getJsonObject("Plan");
  }

  private static void collectScans(JsonObject node, List<String> scans) {
    String type = node.getString("Node Type");
    if (type.contains("Scan") && node.getString("Relation Name") != null) {
      scans.add(type + " on " + node.getString("Relation Name"));
    }
    if (node.getString("Index Name") != null) {
      scans.add("index " + node.getString("Index Name"));
    }
    JsonArray plans = node.getJsonArray("Plans");
    if (plans != null) {
      plans.forEach(p -> collectScans((JsonObject) p, scans));
    }
  }
}
