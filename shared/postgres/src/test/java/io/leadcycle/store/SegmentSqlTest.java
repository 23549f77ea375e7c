package io.leadcycle.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.segments.SegmentInput;
import io.leadcycle.segments.SegmentParser;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of segment condition, twice: the SQL it compiles to (values only ever as parameters) and the
 * contacts it finds on a small seeded database whose answers are worked out by hand below.
 *
 * <pre>
 * accounts  Acme (Software, 5000 employees, DE)      Tiny (Retail, 20 employees, FR)
 * ada   CTO            DE  Acme  {tier: gold, size: 12}  consent marketing=true
 *       lead L1: sales_acceptance, open, campaign/spring, sales-ready, owner Olga, 5 days old, score 80 (A)
 *       opportunity open; 3 email clicks (2, 4, 6 days ago), a website visit 60 days ago
 * bob   Head of Sales  DE  Acme  {tier: silver}           consent marketing=false
 *       lead L2: inquiry, disqualified, event/summit, 40 days old, unscored; opportunity lost
 *       an email opened 2 days ago
 * cy    cto &amp; founder  FR  Tiny  {size: "12"} (text)      no consent
 *       lead L3: inquiry, open, marketing_page/page-1, 1 day old, score 30 (C)
 * di    (job title "") —   no account                       consent marketing=true
 *       a form submitted on page-1 5 days ago
 * </pre>
 */
class SegmentSqlTest {

  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static UUID ada;
  static UUID bob;
  static UUID cy;
  static UUID di;
  static UUID model;
  static UUID olga;

  @BeforeAll
  static void seed() {
    TestDatabase.reset();
    olga = id("INSERT INTO users (name, roles) VALUES ('Olga Owner', '{sales}') RETURNING id");
    UUID acme = id("INSERT INTO accounts (name, industry, employee_count, annual_revenue, country) "
        + "VALUES ('Acme', 'Software', 5000, 100000000, 'DE') RETURNING id");
    UUID tiny = id("INSERT INTO accounts (name, industry, employee_count, country) "
        + "VALUES ('Tiny', 'Retail', 20, 'FR') RETURNING id");
    ada = contact("ada@acme.example", "Ada", "CTO", "DE", acme, "{\"tier\": \"gold\", \"size\": 12}",
        "{\"marketing\": true}");
    bob = contact("bob@acme.example", "Bob", "Head of Sales", "DE", acme, "{\"tier\": \"silver\"}",
        "{\"marketing\": false}");
    cy = contact("cy@tiny.example", "Cy", "cto & founder", "FR", tiny, "{\"size\": \"12\"}", null);
    di = contact("di@mail.example", "Di", "", null, null, "{}", "{\"marketing\": true}");
    model = id("INSERT INTO scoring_models (name, target, status, definition) "
        + "VALUES ('Fit', 'contact', 'live', '{}'::jsonb) RETURNING id");
    UUID l1 = lead(ada, "sales_acceptance", "open", "campaign", "spring", true, olga, 5);
    UUID l2 = lead(bob, "inquiry", "disqualified", "event", "summit", false, null, 40);
    UUID l3 = lead(cy, "inquiry", "open", "marketing_page", "page-1", false, null, 1);
    score(l1, 80, "A");
    score(l3, 30, "C");
    opportunity(l1, ada, "open");
    opportunity(l2, bob, "lost");
    interaction(ada, "email_clicked", 2, null);
    interaction(ada, "email_clicked", 4, null);
    interaction(ada, "email_clicked", 6, null);
    interaction(ada, "website_visited", 60, null);
    interaction(bob, "email_opened", 2, null);
    interaction(di, "form_submitted", 5, "page-1");
  }

  @AfterAll
  static void clean() {
    TestDatabase.reset();
    query("DELETE FROM users WHERE id = $1", olga);
  }

  // ---- the contact's fields ----

  @Test
  void textContainsIgnoresCase() {
    check("{\"all\": [{\"field\": \"contact.jobTitle\", \"op\": \"contains\", \"value\": \"CTO\"}]}",
        "SELECT c.id FROM contacts c WHERE (strpos(lower(c.job_title), lower($1::text)) > 0)", ada, cy);
  }

  @Test
  void textEqualsIgnoresCaseAndStartsWith() {
    check("{\"all\": [{\"field\": \"contact.email\", \"op\": \"equals\", \"value\": \"ADA@acme.example\"}]}",
        "SELECT c.id FROM contacts c WHERE (lower(c.email) = lower($1::text))", ada);
    check("{\"all\": [{\"field\": \"contact.firstName\", \"op\": \"startsWith\", \"value\": \"b\"}]}",
        "SELECT c.id FROM contacts c WHERE (starts_with(lower(c.first_name), lower($1::text)))", bob);
  }

  @Test
  void textInAndNotEqualsAndExists() {
    check("{\"any\": [{\"field\": \"contact.country\", \"op\": \"in\", \"value\": [\"de\", \"XX\"]}]}",
        "SELECT c.id FROM contacts c WHERE (lower(c.country) IN (SELECT lower(v) FROM unnest($1::text[]) v))",
        ada, bob);
    // A contact without a country is "not FR" too.
    check("{\"all\": [{\"field\": \"contact.country\", \"op\": \"notEquals\", \"value\": \"fr\"}]}",
        "SELECT c.id FROM contacts c WHERE (lower(c.country) IS DISTINCT FROM lower($1::text))", ada, bob, di);
    // An empty job title is no job title.
    check("{\"all\": [{\"field\": \"contact.jobTitle\", \"op\": \"exists\", \"value\": false}]}",
        "SELECT c.id FROM contacts c WHERE (NOT (coalesce(c.job_title, '') <> ''))", di);
  }

  @Test
  void attributesByKeyAsTextAndAsNumbers() {
    check("{\"all\": [{\"field\": \"contact.attributes.tier\", \"op\": \"equals\", \"value\": \"Gold\"}]}",
        "SELECT c.id FROM contacts c WHERE (lower((c.attributes ->> $1::text)) = lower($2::text))", ada);
    // Only an attribute that holds a number compares as one: cy's "12" is text.
    check("{\"all\": [{\"field\": \"contact.attributes.size\", \"op\": \"gt\", \"value\": 10}]}",
        "SELECT c.id FROM contacts c WHERE ((CASE WHEN jsonb_typeof(c.attributes -> $1::text) = 'number' "
            + "THEN (c.attributes ->> $1::text)::numeric END) > $2::numeric)", ada);
    check("{\"all\": [{\"field\": \"contact.attributes.size\", \"op\": \"exists\"}]}",
        "SELECT c.id FROM contacts c WHERE (coalesce((c.attributes ->> $1::text), '') <> '')", ada, cy);
  }

  @Test
  void consentGivenOrNot() {
    check("{\"all\": [{\"field\": \"contact.consent.marketing\", \"op\": \"equals\", \"value\": true}]}",
        "SELECT c.id FROM contacts c WHERE (coalesce((c.consent -> $1::text) = 'true'::jsonb, false) = $2::boolean)",
        ada, di);
    check("{\"all\": [{\"field\": \"contact.consent.marketing\", \"op\": \"equals\", \"value\": false}]}",
        null, bob, cy);
  }

  @Test
  void theConsentGateKeepsOutContactsWithoutIt() {
    check("{\"all\": [{\"field\": \"contact.jobTitle\", \"op\": \"contains\", \"value\": \"cto\"}]}", "marketing",
        "SELECT c.id FROM contacts c WHERE (strpos(lower(c.job_title), lower($1::text)) > 0) "
            + "AND coalesce((c.consent -> $2::text) = 'true'::jsonb, false)", ada);
  }

  // ---- the contact's account ----

  @Test
  void accountFieldsJoinTheAccount() {
    check("{\"all\": [{\"field\": \"account.employeeCount\", \"op\": \"gte\", \"value\": 1000}]}",
        "SELECT c.id FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE (a.employee_count >= $1::numeric)",
        ada, bob);
    check("{\"all\": [{\"field\": \"account.industry\", \"op\": \"equals\", \"value\": \"retail\"}]}", null, cy);
    check("{\"all\": [{\"field\": \"account.annualRevenue\", \"op\": \"exists\", \"value\": false}]}",
        "SELECT c.id FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE (NOT (a.annual_revenue IS NOT NULL))",
        cy, di);
  }

  // ---- its leads ----

  @Test
  void anyLeadWithStatusStageContextAndFlags() {
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"status\", \"op\": \"equals\", \"value\": \"open\"}]}]}",
        "SELECT c.id FROM contacts c WHERE (EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id AND l.status = $1::text))",
        ada, cy);
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"stage\", \"op\": \"in\", "
        + "\"value\": [\"inquiry\"]}, {\"field\": \"contextKind\", \"op\": \"equals\", \"value\": \"event\"}]}]}",
        "SELECT c.id FROM contacts c WHERE (EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id "
            + "AND l.stage = ANY ($1::text[]) AND l.context_kind = $2::text))", bob);
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"salesReady\", \"op\": \"equals\", \"value\": true}]}]}",
        null, ada);
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"processId\", \"op\": \"equals\", \"value\": \"default\"}]}]}",
        null, ada, bob, cy);
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"contextId\", \"op\": \"equals\", \"value\": \"page-1\"}]}]}",
        null, cy);
  }

  @Test
  void noLeadAndLeadsCreatedWithinDays() {
    check("{\"all\": [{\"leads\": \"none\", \"where\": [{\"field\": \"status\", \"op\": \"equals\", \"value\": \"open\"}]}]}",
        "SELECT c.id FROM contacts c WHERE (NOT EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id AND l.status = $1::text))",
        bob, di);
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"createdAt\", \"op\": \"withinDays\", \"value\": 7}]}]}",
        "SELECT c.id FROM contacts c WHERE (EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id "
            + "AND l.created_at >= $1::timestamptz - make_interval(days => $2::int)))", ada, cy);
    check("{\"all\": [{\"leads\": \"none\"}]}",
        "SELECT c.id FROM contacts c WHERE (NOT EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id))", di);
  }

  @Test
  void leadOwner() {
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"ownerId\", \"op\": \"equals\", \"value\": \""
        + olga + "\"}]}]}",
        "SELECT c.id FROM contacts c WHERE (EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id "
            + "AND l.owner_user_id = $1::uuid))", ada);
  }

  @Test
  void leadScoreAndGradeInAModel() {
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"score\", \"model\": \"" + model
        + "\", \"op\": \"gte\", \"value\": 50}]}]}",
        "SELECT c.id FROM contacts c WHERE (EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id AND EXISTS "
            + "(SELECT 1 FROM lead_scores s WHERE s.lead_id = l.id AND s.model_id = $1::uuid AND s.score >= $2::numeric)))",
        ada);
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"grade\", \"model\": \"" + model
        + "\", \"op\": \"in\", \"value\": [\"C\", \"D\"]}]}]}", null, cy);
    // A lead the model has not scored.
    check("{\"all\": [{\"leads\": \"any\", \"where\": [{\"field\": \"score\", \"model\": \"" + model
        + "\", \"op\": \"exists\", \"value\": false}]}]}", null, bob);
  }

  // ---- its opportunities ----

  @Test
  void opportunitiesAnyAndNone() {
    check("{\"all\": [{\"opportunities\": \"any\", \"where\": [{\"field\": \"status\", \"op\": \"equals\", \"value\": \"open\"}]}]}",
        "SELECT c.id FROM contacts c WHERE (EXISTS (SELECT 1 FROM opportunities o WHERE o.contact_id = c.id "
            + "AND o.status = $1::text))", ada);
    check("{\"all\": [{\"opportunities\": \"none\"}]}",
        "SELECT c.id FROM contacts c WHERE (NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.contact_id = c.id))", cy, di);
    check("{\"all\": [{\"opportunities\": \"any\", \"where\": [{\"field\": \"status\", \"op\": \"in\", "
        + "\"value\": [\"won\", \"lost\"]}]}]}", null, bob);
  }

  // ---- its interactions ----

  @Test
  void interactionsCountedWithinDays() {
    String clicks = "{\"all\": [{\"interactions\": \"any\", \"atLeast\": %d, \"where\": ["
        + "{\"field\": \"type\", \"op\": \"equals\", \"value\": \"email_clicked\"}, "
        + "{\"field\": \"occurredAt\", \"op\": \"withinDays\", \"value\": %d}]}]}";
    check(clicks.formatted(3, 30),
        "SELECT c.id FROM contacts c WHERE ((SELECT count(*) FROM (SELECT 1 FROM interactions i WHERE i.contact_id = c.id "
            + "AND i.type = $1::text AND i.occurred_at >= $2::timestamptz - make_interval(days => $3::int) LIMIT $4::int) "
            + "counted) >= $4::int)", ada);
    check(clicks.formatted(4, 30), null);
    check(clicks.formatted(2, 5), null, ada); // the clicks 2 and 4 days ago
    check(clicks.formatted(3, 5), null);
  }

  @Test
  void noInteractionWithinDaysAndByContext() {
    check("{\"all\": [{\"interactions\": \"none\", \"where\": [{\"field\": \"occurredAt\", \"op\": \"withinDays\", "
        + "\"value\": 30}]}]}", null, cy);
    check("{\"all\": [{\"interactions\": \"any\", \"where\": [{\"field\": \"type\", \"op\": \"equals\", "
        + "\"value\": \"website_visited\"}, {\"field\": \"occurredAt\", \"op\": \"withinDays\", \"value\": 90}]}]}", null, ada);
    check("{\"all\": [{\"interactions\": \"any\", \"where\": [{\"field\": \"contextId\", \"op\": \"equals\", "
        + "\"value\": \"page-1\"}]}]}", null, di);
  }

  // ---- groups ----

  @Test
  void nestedGroupsAndOr() {
    check("""
        {"all": [
          {"field": "account.employeeCount", "op": "gte", "value": 1000},
          {"any": [
            {"field": "contact.jobTitle", "op": "contains", "value": "sales"},
            {"leads": "any", "where": [{"field": "salesReady", "op": "equals", "value": true}]}
          ]}
        ]}""",
        "SELECT c.id FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE (a.employee_count >= $1::numeric "
            + "AND (strpos(lower(c.job_title), lower($2::text)) > 0 OR EXISTS (SELECT 1 FROM leads l WHERE "
            + "l.contact_id = c.id AND l.sales_ready = $3::boolean)))", ada, bob);
    check("{\"any\": [{\"field\": \"contact.country\", \"op\": \"equals\", \"value\": \"FR\"}, "
        + "{\"all\": [{\"field\": \"contact.consent.marketing\", \"op\": \"equals\", \"value\": true}, "
        + "{\"opportunities\": \"none\"}]}]}", null, cy, di);
  }

  @Test
  void requestTextNeverBecomesSql() {
    String evil = "x'); DROP TABLE contacts; --";
    SegmentSql.Compiled compiled = compile("{\"all\": [{\"field\": \"contact.attributes.a\", \"op\": \"equals\", "
        + "\"value\": \"" + evil + "\"}]}", null);
    assertThat(compiled.sql()).doesNotContain("DROP").doesNotContain("x'");
    assertThat(compiled.parameters()).containsExactly("a", evil);
    assertThat(members(compiled)).isEmpty();
  }

  // ---- helpers ----

  private static void check(String definition, String sql, UUID... expected) {
    check(definition, null, sql, expected);
  }

  private static void check(String definition, String consent, String sql, UUID... expected) {
    SegmentSql.Compiled compiled = compile(definition, consent);
    if (sql != null) {
      assertThat(compiled.sql()).isEqualTo(sql);
    }
    assertThat(members(compiled)).as(definition).isEqualTo(new TreeSet<>(List.of(expected)));
  }

  static SegmentSql.Compiled compile(String definition, String consent) {
    JsonObject body = new JsonObject().put("definition", new JsonObject(definition));
    if (consent != null) {
      body.put("requiresConsent", consent);
    }
    SegmentInput.Draft draft = SegmentParser.draft(Rows.plainMap(body));
    return SegmentSql.contactIds(draft.definition(), draft.requiresConsent(), NOW, 1);
  }

  static Set<UUID> members(SegmentSql.Compiled compiled) {
    Tuple tuple = Tuple.tuple();
    compiled.parameters().forEach(tuple::addValue);
    Set<UUID> ids = new TreeSet<>();
    for (Row row : TestDatabase.database().pool().preparedQuery(compiled.sql()).execute(tuple).await()) {
      ids.add(row.getUUID(0));
    }
    return ids;
  }

  private static UUID contact(String email, String firstName, String jobTitle, String country, UUID account,
      String attributes, String consent) {
    return id("INSERT INTO contacts (email, first_name, job_title, country, account_id, attributes, consent, email_norm) "
        + "VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $1) RETURNING id",
        email, firstName, jobTitle, country, account, attributes, consent);
  }

  private static UUID lead(UUID contact, String stage, String status, String contextKind, String contextId,
      boolean salesReady, UUID owner, int daysOld) {
    return id("INSERT INTO leads (topic, contact_id, stage, status, context_kind, context_id, sales_ready, owner_user_id, "
        + "created_at) VALUES ('t', $1, $2, $3, $4, $5, $6, $7, $8::timestamptz - make_interval(days => $9)) RETURNING id",
        contact, stage, status, contextKind, contextId, salesReady, owner, NOW.atOffset(java.time.ZoneOffset.UTC), daysOld);
  }

  private static void score(UUID lead, int score, String grade) {
    query("INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at) "
        + "VALUES ($1, $2, $3, $4, false, '[]'::jsonb, now())", lead, model, score, grade);
  }

  private static void opportunity(UUID lead, UUID contact, String status) {
    query("INSERT INTO opportunities (lead_id, topic, contact_id, owner_id, status) VALUES ($1, 't', $2, 'olga', $3)",
        lead, contact, status);
  }

  private static void interaction(UUID contact, String type, int daysAgo, String contextId) {
    query("INSERT INTO interactions (contact_id, type, occurred_at, context_id, source_key) "
        + "VALUES ($1, $2, $3::timestamptz - make_interval(days => $4), $5, gen_random_uuid()::text)",
        contact, type, NOW.atOffset(java.time.ZoneOffset.UTC), daysAgo, contextId);
  }

  static UUID id(String sql, Object... parameters) {
    return query(sql, parameters).iterator().next().getUUID(0);
  }

  static io.vertx.sqlclient.RowSet<Row> query(String sql, Object... parameters) {
    return TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
  }
}
