package io.leadcycle.rescoring;

import io.leadcycle.domain.LeadPatch;
import io.leadcycle.domain.MarketingContext;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.leads.LeadService;
import io.leadcycle.scoringmodels.ScoringModelService;
import io.leadcycle.testing.ScoringFixtures;

import static io.leadcycle.testing.ScoringFixtures.account;
import static io.leadcycle.testing.ScoringFixtures.contact;
import static io.leadcycle.testing.ScoringFixtures.interaction;
import static io.leadcycle.testing.ScoringFixtures.lead;
import static io.leadcycle.testing.ScoringFixtures.live;
import static io.leadcycle.testing.ScoringFixtures.mark;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.store.ScoringModelStore;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Score recalculation against the real database: what it stores, what it moves, what it announces. */
class RecalculationServiceTest {

  /** CTO: 20; each website visit within 30 days: 10, at most 40. Grades C < 20 ≤ B < 50 ≤ A; sales-ready at 50. */
  static final String FIT = """
      {"name": "Fit", "target": "contact", "salesReadyThreshold": 50,
       "grades": [{"name": "C", "min": -1000, "max": 19}, {"name": "B", "min": 20, "max": 49},
                  {"name": "A", "min": 50, "max": 1000}],
       "rules": [{"id": "cto", "kind": "demographic", "field": "jobTitle", "op": "eq", "value": "CTO", "points": 20},
                 {"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
                  "withinDays": 30, "points": 10, "maxPoints": 40}]}""";

  private final Instant now = Instant.now();
  private final RecalculationService service = new RecalculationService(TestDatabase.database(), Clock.systemUTC());

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private RunSummary run() {
    return service.run(Duration.ofSeconds(30));
  }

  private static Row row(String sql, Object... parameters) {
    var rows = TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
    assertThat(rows.size()).as(sql).isEqualTo(1);
    return rows.iterator().next();
  }

  private static long count(String sql, Object... parameters) {
    return TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await()
        .iterator().next().getLong(0);
  }

  private void visits(UUID contactId, int n) {
    for (int i = 0; i < n; i++) {
      interaction(contactId, "website_visited", now.minus(Duration.ofDays(i + 1)), null);
    }
  }

  @Test
  void aModelThatGoesLiveScoresEveryLeadAndTheFirstScoreMovesItOutOfInquiry() {
    UUID cto = contact("ada@example.com", "CTO", null);
    UUID leadId = lead(cto, null);
    visits(cto, 1);
    ScoringModel model = live(FIT);

    RunSummary summary = run();

    assertThat(summary.fullRescoringLeads()).isEqualTo(1);
    assertThat(summary.firstScored()).isEqualTo(1);
    Row score = row("SELECT score, grade, sales_ready, explanation FROM lead_scores WHERE lead_id = $1 AND model_id = $2",
        leadId, model.id());
    assertThat(score.getInteger("score")).isEqualTo(30);
    assertThat(score.getString("grade")).isEqualTo("B");
    assertThat(score.getBoolean("sales_ready")).isFalse();
    JsonArray explanation = (JsonArray) score.getValue("explanation");
    assertThat(explanation.getJsonObject(0).getMap()).containsEntry("ruleId", "cto").containsEntry("occurrences", 1);
    assertThat(explanation.getJsonObject(1).getString("ruleId")).isEqualTo("visits");
    assertThat(explanation.getJsonObject(1).getInteger("occurrences")).isEqualTo(1);
    Row lead = row("SELECT stage, score, grade, sales_ready FROM leads WHERE id = $1", leadId);
    assertThat(lead.getString("stage")).isEqualTo("automated_marketing_qualification");
    assertThat(lead.getInteger("score")).isEqualTo(30);
    assertThat(lead.getString("grade")).isEqualTo("B");
    Row entry = row("SELECT field, from_value, to_value, actor FROM lead_timeline WHERE lead_id = $1", leadId);
    assertThat(entry.getString("to_value")).isEqualTo("automated_marketing_qualification");
    assertThat(entry.getString("actor")).isEqualTo("scoring");
    assertThat(count("SELECT count(*) FROM outbox WHERE lead_id = $1 AND type = 'lead.stage_changed'", leadId)).isEqualTo(1);
    ScoringModel after = TestDatabase.database().read(conn -> new ScoringModelStore().find(conn, model.id())).await();
    assertThat(after.rescoring().status()).isEqualTo("idle");
    assertThat(after.rescoring().leadsScored()).isEqualTo(1);
    assertThat(after.rescoring().finishedAt()).isNotNull();
  }

  @Test
  void reachingTheThresholdMarksTheLeadSalesReadyOnceAndItStaysSo() {
    live(FIT);
    run();
    UUID cto = contact("ada@example.com", "CTO", null);
    UUID leadId = lead(cto, null);
    visits(cto, 3);
    mark(cto);

    RunSummary first = run();
    visits(cto, 2);
    mark(cto);
    run();

    assertThat(first.salesReady()).isEqualTo(1);
    Row lead = row("SELECT stage, sales_ready, score FROM leads WHERE id = $1", leadId);
    assertThat(lead.getString("stage")).isEqualTo("sales_acceptance");
    assertThat(lead.getBoolean("sales_ready")).isTrue();
    assertThat(lead.getInteger("score")).isEqualTo(60); // 20 + visits capped at 40
    assertThat(count("SELECT count(*) FROM outbox WHERE lead_id = $1 AND type = 'lead.sales_ready'", leadId)).isEqualTo(1);
    JsonObject payload = row("SELECT payload FROM outbox WHERE lead_id = $1 AND type = 'lead.sales_ready'", leadId)
        .getJsonObject("payload");
    assertThat(payload.getJsonObject("lead").getBoolean("salesReady")).isTrue();
    assertThat(payload.getString("actor")).isEqualTo("scoring");
    assertThat(payload.getString("reason")).contains("threshold 50");
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isZero();

    // Sticky: the score falls below the threshold, the lead stays sales-ready.
    TestDatabase.database().pool().query("DELETE FROM interactions").execute().await();
    mark(cto);
    run();
    Row fallen = row("SELECT sales_ready, score FROM leads WHERE id = $1", leadId);
    assertThat(fallen.getInteger("score")).isEqualTo(20);
    assertThat(fallen.getBoolean("sales_ready")).isTrue();
  }

  @Test
  void aGradeChangeIsAnnouncedAndAnUnchangedGradeIsNot() {
    live(FIT.replace("\"salesReadyThreshold\": 50", "\"salesReadyThreshold\": 500"));
    UUID cto = contact("ada@example.com", "CTO", null);
    UUID leadId = lead(cto, null);
    run(); // 20: B, found by the model's full rescoring (not announced)
    visits(cto, 1);
    mark(cto);
    run(); // 30: still B
    visits(cto, 2);
    mark(cto);

    RunSummary summary = run(); // 50: A

    assertThat(summary.gradeChanges()).isEqualTo(1);
    Row event = row("SELECT payload FROM outbox WHERE lead_id = $1 AND type = 'lead.score_changed'", leadId);
    JsonObject change = event.getJsonObject("payload").getJsonArray("changes").getJsonObject(0);
    assertThat(change.getMap()).containsEntry("field", "grade").containsEntry("from", "B").containsEntry("to", "A");
  }

  @Test
  void anAccountModelScoresAnAccountsLeadFromTheInteractionsOfAllItsContacts() {
    UUID acme = account("ACME", "Software", 250);
    UUID ada = contact("ada@acme.com", "CTO", acme);
    UUID grace = contact("grace@acme.com", "Engineer", acme);
    UUID accountLead = lead(null, acme);
    UUID contactLead = lead(ada, acme);
    visits(ada, 2);
    visits(grace, 3);
    live("""
        {"name": "Accounts", "target": "account", "salesReadyThreshold": 1000,
         "grades": [{"name": "cold", "min": -1000, "max": 49}, {"name": "warm", "min": 50, "max": 1000}],
         "rules": [{"id": "software", "kind": "firmographic", "field": "industry", "op": "eq", "value": "software",
                    "points": 15},
                   {"id": "big", "kind": "firmographic", "field": "employeeCount", "op": "gte", "value": 200, "points": 10},
                   {"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
                    "points": 10}]}""");

    run();

    assertThat(row("SELECT score, grade FROM leads WHERE id = $1", accountLead).getInteger("score")).isEqualTo(75);
    // A lead with a contact is contact-based: an account model does not score it.
    assertThat(count("SELECT count(*) FROM lead_scores WHERE lead_id = $1", contactLead)).isZero();
    // A new interaction of any contact of the account rescores the account's lead.
    visits(grace, 1);
    mark(grace);
    run();
    assertThat(row("SELECT score FROM leads WHERE id = $1", accountLead).getInteger("score")).isEqualTo(85);
  }

  @Test
  void eachLeadsBestGradeIsRankedInItsModelsGradeOrderForSortingByGrade() {
    ScoringModel model = live(FIT); // grades written C, B, A: A is the top band
    UUID a = contact("ada@example.com", "CTO", null);
    UUID b = contact("grace@example.com", "CTO", null);
    UUID c = contact("linus@example.com", "Engineer", null);
    UUID leadA = lead(a, null);
    UUID leadB = lead(b, null);
    UUID leadC = lead(c, null);
    visits(a, 3);

    run();

    assertThat(row("SELECT grade, grade_rank FROM leads WHERE id = $1", leadA).getInteger("grade_rank")).isZero();
    assertThat(row("SELECT grade, grade_rank FROM leads WHERE id = $1", leadB).getInteger("grade_rank")).isEqualTo(1);
    assertThat(row("SELECT grade, grade_rank FROM leads WHERE id = $1", leadC).getInteger("grade_rank")).isEqualTo(2);
    // Retired, the model gives no best grade any more: nothing to rank.
    new io.leadcycle.scoringmodels.ScoringModelService(TestDatabase.database()).retire(model.id()).await();
    assertThat(row("SELECT grade_rank FROM leads WHERE id = $1", leadA).getValue("grade_rank")).isNull();
  }

  @Test
  void aRetiredModelNoLongerScoresButItsScoresStay() {
    ScoringModel model = live(FIT);
    UUID cto = contact("ada@example.com", "CTO", null);
    UUID leadId = lead(cto, null);
    run();
    new io.leadcycle.scoringmodels.ScoringModelService(TestDatabase.database()).retire(model.id()).await();
    assertThat(row("SELECT score FROM leads WHERE id = $1", leadId).getValue("score")).isNull();
    visits(cto, 2);
    mark(cto);

    run();

    assertThat(row("SELECT score FROM lead_scores WHERE lead_id = $1", leadId).getInteger("score")).isEqualTo(20);
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isZero();
  }

  @Test
  void aFullRescoringWorksInBatchesAndStopsAtItsBudgetToContinueNextRun() {
    for (int i = 0; i < 25; i++) {
      lead(contact("p" + i + "@example.com", i % 2 == 0 ? "CTO" : "Intern", null), null);
    }
    ScoringModel model = live(FIT);
    RecalculationService small = new RecalculationService(TestDatabase.database(), Clock.systemUTC(), 10);

    RunSummary stopped = small.run(Duration.ZERO);
    RunSummary rest = small.run(Duration.ofSeconds(30));

    assertThat(stopped.more()).isTrue();
    assertThat(rest.more()).isFalse();
    assertThat(count("SELECT count(*) FROM lead_scores WHERE model_id = $1", model.id())).isEqualTo(25);
    ScoringModel after = TestDatabase.database().read(conn -> new ScoringModelStore().find(conn, model.id())).await();
    assertThat(after.rescoring().status()).isEqualTo("idle");
    assertThat(after.rescoring().leadsScored()).isEqualTo(25);
  }

  @Test
  void twoRunsAtOnceScoreEveryLeadOnceAndAnnounceEachSalesReadyLeadOnce() throws Exception {
    live(FIT);
    run();
    List<UUID> leadIds = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      UUID contactId = contact("p" + i + "@example.com", "CTO", null);
      leadIds.add(lead(contactId, null));
      visits(contactId, 3);
      mark(contactId);
    }
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<RunSummary>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        RecalculationService racer = new RecalculationService(TestDatabase.database(), Clock.systemUTC(), 7);
        runs.add(threads.submit(() -> {
          start.await();
          return racer.run(Duration.ofSeconds(30));
        }));
      }
      start.countDown();
      int contactsRescored = 0;
      for (Future<RunSummary> result : runs) {
        contactsRescored += result.get(60, TimeUnit.SECONDS).contactsRescored();
      }

      assertThat(contactsRescored).isEqualTo(60);
    } finally {
      threads.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM leads WHERE sales_ready AND stage = 'sales_acceptance'")).isEqualTo(60);
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.sales_ready'")).isEqualTo(60);
    assertThat(count("SELECT count(DISTINCT lead_id) FROM outbox WHERE type = 'lead.sales_ready'")).isEqualTo(60);
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isZero();
  }

  @Test
  void twoRunsRescoringOneModelInPartsScoreEveryLeadExactlyOnceAndFinishTheRescoring() throws Exception {
    List<UUID> leadIds = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      UUID contactId = contact("p" + i + "@example.com", i % 3 == 0 ? "CTO" : "Intern", null);
      leadIds.add(lead(contactId, null));
      visits(contactId, i % 5);
    }
    ScoringModel model = live(FIT);
    // Parts of 25 leads, batches of 7: 10 parts, several batches each, a short last batch per part.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<RunSummary> summaries = new ArrayList<>();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<RunSummary>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        RecalculationService racer = new RecalculationService(TestDatabase.database(), Clock.systemUTC(), 7, 25);
        runs.add(threads.submit(() -> {
          start.await();
          return racer.run(Duration.ofSeconds(60));
        }));
      }
      start.countDown();
      for (Future<RunSummary> result : runs) {
        summaries.add(result.get(120, TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(summaries).allSatisfy(s -> assertThat(s.more()).isFalse());
    assertThat(summaries.stream().mapToInt(RunSummary::fullRescoringLeads).sum()).isEqualTo(230);
    assertThat(summaries.stream().mapToInt(RunSummary::firstScored).sum()).isEqualTo(230);
    assertThat(count("SELECT count(*) FROM lead_scores WHERE model_id = $1", model.id())).isEqualTo(230);
    assertThat(count("SELECT count(*) FROM leads WHERE stage = 'inquiry'")).isZero();
    // Each lead's first score moved it once: one timeline entry and one stage event each.
    assertThat(count("SELECT count(DISTINCT lead_id) FROM lead_timeline WHERE reason = 'first scored'")).isEqualTo(230);
    assertThat(count("""
        SELECT count(*) FROM (SELECT lead_id, field FROM lead_timeline GROUP BY lead_id, field, reason
                               HAVING count(*) > 1) twice""")).isZero();
    long salesReady = count("SELECT count(*) FROM leads WHERE sales_ready");
    assertThat(salesReady).isPositive();
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.sales_ready'")).isEqualTo(salesReady);
    assertThat(count("SELECT count(DISTINCT lead_id) FROM outbox WHERE type = 'lead.sales_ready'")).isEqualTo(salesReady);
    assertThat(count("SELECT count(*) FROM rescoring_partitions WHERE model_id = $1", model.id())).isEqualTo(10);
    assertThat(count("SELECT count(*) FROM rescoring_partitions WHERE model_id = $1 AND NOT done", model.id())).isZero();
    assertThat(count("SELECT sum(leads_scored) FROM rescoring_partitions WHERE model_id = $1", model.id())).isEqualTo(230);
    ScoringModel after = TestDatabase.database().read(conn -> new ScoringModelStore().find(conn, model.id())).await();
    assertThat(after.rescoring().status()).isEqualTo("idle");
    assertThat(after.rescoring().leadsScored()).isEqualTo(230);
    assertThat(after.rescoring().finishedAt()).isNotNull();
  }

  @Test
  void publishingAgainDropsTheFormerPartsAndRescoresEveryLeadAgain() {
    for (int i = 0; i < 12; i++) {
      lead(contact("p" + i + "@example.com", "CTO", null), null);
    }
    ScoringModel model = live(FIT);
    RecalculationService parts = new RecalculationService(TestDatabase.database(), Clock.systemUTC(), 4, 5);
    assertThat(parts.run(Duration.ofSeconds(30)).fullRescoringLeads()).isEqualTo(12);

    TestDatabase.database().inTransaction(conn -> new ScoringModelStore().publish(conn, model.id())).await();
    ScoringModel pending = TestDatabase.database().read(conn -> new ScoringModelStore().find(conn, model.id())).await();
    assertThat(pending.rescoring().status()).isEqualTo("pending");
    assertThat(pending.rescoring().leadsScored()).isZero();

    assertThat(parts.run(Duration.ofSeconds(30)).fullRescoringLeads()).isEqualTo(12);
    ScoringModel after = TestDatabase.database().read(conn -> new ScoringModelStore().find(conn, model.id())).await();
    assertThat(after.rescoring().status()).isEqualTo("idle");
    assertThat(after.rescoring().leadsScored()).isEqualTo(12);
  }

  @Test
  void aRescoringBegunBeforeItWasSplitIntoPartsContinuesAfterItsLastLead() {
    for (int i = 0; i < 9; i++) {
      lead(contact("p" + i + "@example.com", "CTO", null), null);
    }
    // In PostgreSQL's order of uuids (Java's compareTo differs: signed).
    List<UUID> leadIds = new ArrayList<>();
    TestDatabase.database().pool().query("SELECT id FROM leads ORDER BY id").execute().await()
        .forEach(row -> leadIds.add(row.getUUID(0)));
    ScoringModel model = live(FIT);
    // As a run before parts existed left it: the first four leads done.
    TestDatabase.database().pool().preparedQuery("""
        UPDATE scoring_models SET rescoring_status = 'running', rescoring_after = $2, rescoring_leads_scored = 4
         WHERE id = $1""").execute(Tuple.of(model.id(), leadIds.get(3))).await();

    RunSummary summary = new RecalculationService(TestDatabase.database(), Clock.systemUTC(), 2, 3)
        .run(Duration.ofSeconds(30));

    assertThat(summary.fullRescoringLeads()).isEqualTo(5);
    assertThat(count("SELECT count(*) FROM lead_scores WHERE lead_id = ANY($1)",
        (Object) leadIds.subList(4, 9).toArray(UUID[]::new))).isEqualTo(5);
    assertThat(count("SELECT count(*) FROM lead_scores")).isEqualTo(5);
    ScoringModel after = TestDatabase.database().read(conn -> new ScoringModelStore().find(conn, model.id())).await();
    assertThat(after.rescoring().status()).isEqualTo("idle");
    assertThat(after.rescoring().leadsScored()).isEqualTo(9);
  }

  @Test
  void aLeadCreatedOrLinkedByHandIsScoredByTheNextRun() {
    live(FIT);
    run();
    UUID cto = contact("ada@example.com", "CTO", null);
    io.leadcycle.leads.LeadService leadService = new io.leadcycle.leads.LeadService(TestDatabase.database());
    UUID created = leadService.create(new io.leadcycle.domain.NewLeadInput("Call back", cto, null,
        new io.leadcycle.domain.MarketingContext("manual", "call-list", "Call list")), "tester").await().lead().id();
    UUID linked = leadService.create(new io.leadcycle.domain.NewLeadInput("Orphan", null, null,
        new io.leadcycle.domain.MarketingContext("manual", "call-list", "Call list")), "tester").await().lead().id();
    run();
    leadService.patch(linked, io.leadcycle.domain.LeadPatch.parse(java.util.Map.of("contactId", cto.toString())),
        "tester").await();

    run();

    assertThat(row("SELECT score FROM leads WHERE id = $1", created).getInteger("score")).isEqualTo(20);
    assertThat(row("SELECT score FROM leads WHERE id = $1", linked).getInteger("score")).isEqualTo(20);
  }

  /** A published process of the organisation's own; its id. */
  private static String publishedProcess(String json) {
    io.leadcycle.processes.ProcessService processes = new io.leadcycle.processes.ProcessService(TestDatabase.database());
    String id = processes.create(io.leadcycle.process.ProcessDefinition.parse(new JsonObject(json).getMap())).await()
        .id();
    processes.publish(id).await();
    return id;
  }

  @Test
  void scoringActsOnAnyProcessThroughItsStagesRoles() {
    String technical = publishedProcess("""
        {"name": "Technical", "stages": [{"name": "New", "role": "inquiry"},
          {"name": "Scoring", "role": "automated_marketing_qualification"},
          {"name": "Technical evaluation", "role": "custom"}, {"name": "Sales", "role": "sales_acceptance"}]}""");
    String noScoringStage = publishedProcess("""
        {"name": "Short", "stages": [{"name": "New", "role": "inquiry"}, {"name": "Sales", "role": "sales_acceptance"}]}""");
    live(FIT);
    run();
    UUID cto = contact("ada@example.com", "CTO", null);
    LeadService leadService = new LeadService(TestDatabase.database());
    MarketingContext desk = new MarketingContext("manual", "desk", "Desk");
    UUID onTechnical = leadService.create(new NewLeadInput("Rollout", cto, null, desk, technical), "tester").await()
        .lead().id();
    UUID onShort = leadService.create(new NewLeadInput("Pilot", cto, null, desk, noScoringStage), "tester").await()
        .lead().id();
    visits(cto, 1);
    mark(cto);

    run();

    assertThat(row("SELECT stage FROM leads WHERE id = $1", onTechnical).getString("stage"))
        .as("a first score moves the inquiry-role stage on").isEqualTo("Scoring");
    assertThat(row("SELECT stage FROM leads WHERE id = $1", onShort).getString("stage"))
        .as("no automated-qualification stage to move on to").isEqualTo("New");

    leadService.act(onTechnical, new io.leadcycle.process.ProcessRequest(io.leadcycle.process.ProcessAction.MOVE, null,
        "Technical evaluation", "needs a demo"), "tester").await();
    visits(cto, 2);
    mark(cto);
    run();

    Row reached = row("SELECT stage, sales_ready FROM leads WHERE id = $1", onTechnical);
    assertThat(reached.getString("stage")).as("sales-ready jumps from a custom stage to sales acceptance's")
        .isEqualTo("Sales");
    assertThat(reached.getBoolean("sales_ready")).isTrue();
    JsonObject payload = row("SELECT payload FROM outbox WHERE lead_id = $1 AND type = 'lead.sales_ready'", onTechnical)
        .getJsonObject("payload");
    assertThat(payload.getJsonObject("lead").getString("processId")).isEqualTo(technical);
    assertThat(payload.getJsonArray("changes").getJsonObject(0).getMap())
        .containsEntry("from", "Technical evaluation").containsEntry("to", "Sales");
    assertThat(row("SELECT stage, sales_ready FROM leads WHERE id = $1", onShort).getString("stage")).isEqualTo("Sales");
  }
}
