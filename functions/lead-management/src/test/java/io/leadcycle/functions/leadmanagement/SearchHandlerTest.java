package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Search ({@code q}) and sort over leads, contacts and accounts through the handler, on the real database:
 * prefix per word, case- and accent-insensitive; combined with views, stage, grade and sort; cursor paging to
 * the end of any list.
 */
class SearchHandlerTest extends LeadManagementHarness {

  private String acme;
  private String grace;
  private String juergen;
  private String ada;

  @BeforeEach
  void people() {
    TestDatabase.reset();
    acme = createAccount("{\"name\": \"Acme GmbH\", \"domain\": \"acme.example\"}").getString("id");
    grace = createContact("""
        {"email": "grace@example.com", "firstName": "Grace", "lastName": "Hopper", "companyName": "Navy"}""")
        .getString("id");
    juergen = createContact("""
        {"email": "j.mueller@bau.example", "firstName": "Jürgen", "lastName": "Müller", "companyName": "Müller Bau",
         "accountId": "%s"}""".formatted(acme)).getString("id");
    ada = createContact("{\"email\": \"ada@analytical.example\", \"firstName\": \"Ada\", \"lastName\": \"Lovelace\"}")
        .getString("id");
  }

  // ---- contacts ----

  @Test
  void contactsAreFoundByTheBeginningOfAnyWordOfNameEmailCompanyOrDomain() {
    assertThat(ids(searchContacts("gra"))).containsExactly(grace);
    assertThat(ids(searchContacts("hop"))).containsExactly(grace);
    assertThat(ids(searchContacts("grace@exa"))).containsExactly(grace);
    assertThat(ids(searchContacts("GRACE hopper"))).containsExactly(grace);
    assertThat(ids(searchContacts("muller"))).containsExactly(juergen);
    assertThat(ids(searchContacts("Jürg"))).containsExactly(juergen);
    assertThat(ids(searchContacts("navy"))).containsExactly(grace);
    assertThat(ids(searchContacts("analytical.example"))).containsExactly(ada);
    // The account's name and domain count for its contacts.
    assertThat(ids(searchContacts("ACME"))).containsExactly(juergen);
    assertThat(ids(searchContacts("acme.ex"))).containsExactly(juergen);
    // Every word must match, each the beginning of a word: "race" is inside "grace", not at its start.
    assertThat(ids(searchContacts("grace lovelace"))).isEmpty();
    assertThat(ids(searchContacts("race"))).isEmpty();
    // LIKE's wildcards are taken literally.
    assertThat(ids(searchContacts("g%"))).isEmpty();
    assertThat(ids(searchContacts("__"))).isEmpty();
  }

  @Test
  void contactsAreBrowsedNewestFirstPageByPage() {
    JsonObject page1 = ok(contacts("limit", "2"));
    JsonObject page2 = ok(contacts("limit", "2", "after", page1.getString("next")));

    assertThat(ids(page1)).containsExactly(ada, juergen);
    assertThat(ids(page2)).containsExactly(grace);
    assertThat(page2.getValue("next")).isNull();
    assertThat(page1.getJsonArray("items").getJsonObject(0).getString("email")).isEqualTo("ada@analytical.example");
    // Looking up an email still works, and a search pages the same way.
    assertThat(ids(ok(findContacts("GRACE@example.com")))).containsExactly(grace);
    String graceToo = createContact("{\"email\": \"g.brewster@navy.example\", \"firstName\": \"Grace\"}")
        .getString("id");
    JsonObject searched = ok(contacts("q", "grace", "limit", "1"));
    JsonObject searchedOn = ok(contacts("q", "grace", "limit", "1", "after", searched.getString("next")));
    assertThat(ids(searched)).containsExactly(graceToo);
    assertThat(ids(searchedOn)).containsExactly(grace);
    assertThat(searchedOn.getValue("next")).isNull();
  }

  @Test
  void badContactQueriesAre400NamingTheParameter() {
    assertThat(invalidFields(contacts("q", "a"))).containsExactly("q");
    assertThat(invalidFields(contacts("q", "x".repeat(101)))).containsExactly("q");
    assertThat(invalidFields(contacts("email", " "))).containsExactly("email");
    assertThat(invalidFields(contacts("email", "grace@example.com", "q", "grace"))).containsExactly("q");
    assertThat(invalidFields(contacts("limit", "0"))).containsExactly("limit");
    assertThat(invalidFields(contacts("after", "nope"))).containsExactly("after");
    // A blank q is no search.
    assertThat(ids(ok(contacts("q", "  ")))).hasSize(3);
  }

  // ---- accounts ----

  @Test
  void accountsAreBrowsedNewestFirstAndFoundByNameOrDomain() {
    String mueller = createAccount("{\"name\": \"Müller Bau AG\", \"domain\": \"bau.example\"}").getString("id");

    assertThat(ids(ok(accounts()))).containsExactly(mueller, acme);
    assertThat(ids(ok(accounts("q", "ACME")))).containsExactly(acme);
    assertThat(ids(ok(accounts("q", "acme.exa")))).containsExactly(acme);
    assertThat(ids(ok(accounts("q", "muller")))).containsExactly(mueller);
    assertThat(ids(ok(accounts("q", "bau ag")))).containsExactly(mueller);
    assertThat(ids(ok(accounts("q", "gmbh acme")))).containsExactly(acme);
    assertThat(ids(ok(accounts("q", "cme")))).isEmpty();
    JsonObject page1 = ok(accounts("limit", "1"));
    assertThat(ids(page1)).containsExactly(mueller);
    JsonObject page2 = ok(accounts("limit", "1", "after", page1.getString("next")));
    assertThat(ids(page2)).containsExactly(acme);
    assertThat(page2.getValue("next")).isNull();
    assertThat(ok(accounts()).getJsonArray("items").getJsonObject(1).getString("domain")).isEqualTo("acme.example");
    assertThat(invalidFields(accounts("q", "b"))).containsExactly("q");
    assertThat(invalidFields(accounts("limit", "201"))).containsExactly("limit");
  }

  // ---- leads ----

  @Test
  void leadsAreFoundByTheirContactTheirAccountOrWhatWasSubmitted() {
    String graceLead = leadFor(grace);
    String juergenLead = leadFor(juergen);
    String accountLead = created(postLead("{\"topic\": \"Fleet\", \"accountId\": \"" + acme + "\", \"context\": "
        + MANUAL_CONTEXT + "}")).getString("id");
    String visitor = contactlessLead("{\"email\": \"zoe@visitors.example\", \"firstName\": \"Zoë\"}");

    assertThat(ids(searchLeads("gra"))).containsExactly(graceLead);
    assertThat(ids(searchLeads("hop"))).containsExactly(graceLead);
    assertThat(ids(searchLeads("grace@exa"))).containsExactly(graceLead);
    assertThat(ids(searchLeads("muller"))).containsExactly(juergenLead);
    // The contact's account, and an account's own lead.
    assertThat(ids(searchLeads("ACME"))).containsExactly(juergenLead, accountLead);
    assertThat(ids(searchLeads("acme.example"))).containsExactly(juergenLead, accountLead);
    assertThat(ids(searchLeads("muller acme"))).containsExactly(juergenLead);
    assertThat(ids(searchLeads("bau.example"))).containsExactly(juergenLead);
    // Without a contact: what was submitted.
    assertThat(ids(searchLeads("zoe"))).containsExactly(visitor);
    assertThat(ids(searchLeads("visitors.example"))).containsExactly(visitor);
    assertThat(ids(searchLeads("lovelace"))).isEmpty();
  }

  @Test
  void searchCombinesWithViewStageGradeAndSort() {
    String graceCall = leadFor(grace);
    String graceOther = leadFor(grace);
    String graceSales = leadFor(grace);
    String juergenCall = leadFor(juergen);
    act(graceCall, "mark-telemarketing-ready");
    act(juergenCall, "mark-telemarketing-ready");
    act(graceSales, "mark-sales-ready");
    gradeModel();
    scored(graceOther, 80, "hot");
    scored(graceSales, 40, "warm");

    assertThat(ids(ok(listLeads("view", "telemarketing", "q", "grace")))).containsExactly(graceCall);
    assertThat(ids(ok(listLeads("view", "sales", "q", "hopper")))).containsExactly(graceSales);
    assertThat(ids(ok(listLeads("view", "all", "q", "grace", "stage", "inquiry")))).containsExactly(graceOther);
    assertThat(ids(ok(listLeads("q", "grace", "grade", "warm")))).containsExactly(graceSales);
    assertThat(ids(ok(listLeads("q", "grace", "sort", "score")))).containsExactly(graceOther, graceSales, graceCall);
    assertThat(ids(ok(listLeads("q", "grace", "sort", "newest")))).containsExactly(graceSales, graceOther, graceCall);
    assertThat(ids(ok(listLeads("q", "grace", "sort", "grade")))).containsExactly(graceOther, graceSales, graceCall);
    JsonObject page1 = ok(listLeads("q", "grace", "sort", "newest", "limit", "2"));
    JsonObject page2 = ok(listLeads("q", "grace", "sort", "newest", "limit", "2", "after", page1.getString("next")));
    assertThat(ids(page1)).containsExactly(graceSales, graceOther);
    assertThat(ids(page2)).containsExactly(graceCall);
    assertThat(page2.getValue("next")).isNull();
  }

  @Test
  void gradesSortInTheModelsGradeOrderNotTheAlphabets() {
    gradeModel();
    String cold = leadFor(grace);
    String hot = leadFor(grace);
    String warm = leadFor(grace);
    String ungraded = leadFor(grace);
    String hotter = leadFor(grace);
    scored(cold, 5, "cold");
    scored(hot, 70, "hot");
    scored(warm, 40, "warm");
    scored(hotter, 95, "hot");

    assertThat(ids(ok(listLeads("sort", "grade")))).containsExactly(hotter, hot, warm, cold, ungraded);
    List<String> paged = new ArrayList<>();
    String after = null;
    do {
      JsonObject page = ok(after == null ? listLeads("sort", "grade", "limit", "2")
          : listLeads("sort", "grade", "limit", "2", "after", after));
      paged.addAll(ids(page));
      after = page.getString("next");
    } while (after != null);
    assertThat(paged).containsExactly(hotter, hot, warm, cold, ungraded);
    // The rank comes from the model (hot is its top band): a lead scored into "hot" ranks 0.
    assertThat(row("SELECT grade_rank FROM leads WHERE id = $1", uuid(hot)).getInteger("grade_rank")).isZero();
    assertThat(row("SELECT grade_rank FROM leads WHERE id = $1", uuid(cold)).getInteger("grade_rank")).isEqualTo(2);
  }

  @Test
  void everySortPagesThroughMoreThanAThousandLeadsEachExactlyOnce() {
    gradeModel();
    // 1,200 leads, created in 40 instants (30 at each: ties broken by id), a third scored into each grade.
    TestDatabase.database().pool().query("""
        INSERT INTO leads (topic, context_kind, context_id, contact_id, created_at)
        SELECT 'bulk ' || n, 'manual', 'desk', (SELECT id FROM contacts WHERE email = 'grace@example.com'),
               timestamptz '2026-03-01' + (n % 40) * interval '1 minute'
          FROM generate_series(1, 1200) AS n""").execute().await();
    TestDatabase.database().pool().query("""
        INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at)
        SELECT l.id, m.id, s.score, CASE WHEN s.score >= 60 THEN 'hot' WHEN s.score >= 30 THEN 'warm' ELSE 'cold' END,
               false, '[]', now()
          FROM leads l CROSS JOIN scoring_models m
          CROSS JOIN LATERAL (SELECT (abs(hashtext(l.id::text)) % 3) * 30 + (abs(hashtext(l.topic)) % 3) AS score) s
         WHERE l.topic LIKE 'bulk %' AND abs(hashtext(l.id::text)) % 4 <> 0""").execute().await();
    TestDatabase.database().pool().query("""
        UPDATE leads l SET score = s.score, grade = s.grade FROM lead_scores s WHERE s.lead_id = l.id""")
        .execute().await();
    long total = count("SELECT count(*) FROM leads");
    assertThat(total).isEqualTo(1200);

    for (String sort : List.of("created", "newest", "score", "grade")) {
      for (String query : new String[] {null, "hopper"}) {
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
          List<String> params = new ArrayList<>(List.of("sort", sort, "limit", "200"));
          if (query != null) {
            params.addAll(List.of("q", query));
          }
          if (after != null) {
            params.addAll(List.of("after", after));
          }
          JsonObject page = ok(listLeads(params.toArray(String[]::new)));
          seen.addAll(ids(page));
          after = page.getString("next");
        } while (after != null);
        Set<String> distinct = new HashSet<>(seen);
        assertThat(seen).as("sort=%s q=%s", sort, query).hasSize(1200);
        assertThat(distinct).as("sort=%s q=%s", sort, query).hasSize(1200);
      }
    }
  }

  @Test
  void badLeadQueriesAre400NamingTheParameter() {
    leadFor(grace);
    leadFor(grace);
    String newestCursor = ok(listLeads("sort", "newest", "limit", "1")).getString("next");
    String gradeCursor = ok(listLeads("sort", "grade", "limit", "1")).getString("next");

    assertThat(invalidFields(listLeads("sort", "name"))).containsExactly("sort");
    assertThat(invalidFields(listLeads("sort", "soonest"))).containsExactly("sort");
    assertThat(invalidFields(listLeads("q", "g"))).containsExactly("q");
    assertThat(invalidFields(listLeads("q", "a b c d e f g h ij"))).containsExactly("q");
    assertThat(invalidFields(listLeads("sort", "grade", "after", newestCursor))).containsExactly("after");
    assertThat(invalidFields(listLeads("sort", "newest", "after", gradeCursor))).containsExactly("after");
    assertThat(invalidFields(listLeads("sort", "created", "after", newestCursor))).containsExactly("after");
    assertThat(invalidFields(listLeads("sort", "score", "after", gradeCursor))).containsExactly("after");
    assertThat(invalidFields(listLeads("sort", "due", "after", newestCursor))).containsExactly("after");
    // One-letter words beside a longer one only narrow the search.
    assertThat(ids(ok(listLeads("q", "g hopper")))).hasSize(2);
  }

  // ---- helpers ----

  private JsonObject searchContacts(String q) {
    return ok(contacts("q", q));
  }

  private JsonObject searchLeads(String q) {
    return ok(listLeads("q", q));
  }

  private APIGatewayV2HTTPResponse contacts(String... nameValuePairs) {
    return call(request("GET /v1/contacts", "/v1/contacts").queries(nameValuePairs).build());
  }

  private APIGatewayV2HTTPResponse accounts(String... nameValuePairs) {
    return call(request("GET /v1/accounts", "/v1/accounts").queries(nameValuePairs).build());
  }

  private String leadFor(String contactId) {
    return created(postLead("{\"topic\": \"Call\", \"contactId\": \"" + contactId + "\", \"context\": "
        + MANUAL_CONTEXT + "}")).getString("id");
  }

  /** A lead without a contact as intake stores one under update mode only_leads: the submitted fields only. */
  private static String contactlessLead(String submittedFields) {
    return TestDatabase.database().pool().preparedQuery("""
        INSERT INTO leads (topic, context_kind, context_id, submitted_fields) VALUES ('Visit', 'marketing_page', 'p', $1)
        RETURNING id""").execute(Tuple.of(new JsonObject(submittedFields))).await().iterator().next().getUUID(0)
        .toString();
  }

  private UUID model;

  /** A live model whose grades are written hot, warm, cold: alphabetically cold, hot, warm. */
  private void gradeModel() {
    model = TestDatabase.database().pool().query("""
        INSERT INTO scoring_models (name, target, status, definition) VALUES ('Fit', 'contact', 'live',
          '{"grades": [{"name": "hot", "min": 60, "max": 1000}, {"name": "warm", "min": 30, "max": 59},
                       {"name": "cold", "min": -1000, "max": 29}]}')
        RETURNING id""").execute().await().iterator().next().getUUID(0);
  }

  /** The lead scored by the model, as score recalculation writes it: its score row, then its best score. */
  private void scored(String leadId, int score, String grade) {
    var pool = TestDatabase.database().pool();
    pool.preparedQuery("""
        INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at)
        VALUES ($1, $2, $3, $4, false, '[]', now())""").execute(Tuple.of(uuid(leadId), model, score, grade)).await();
    pool.preparedQuery("UPDATE leads SET score = $2, grade = $3 WHERE id = $1")
        .execute(Tuple.of(uuid(leadId), score, grade)).await();
  }
}
