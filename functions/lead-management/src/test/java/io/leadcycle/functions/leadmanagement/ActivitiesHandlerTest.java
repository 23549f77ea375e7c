package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.http.Caller;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Activities and follow-ups (docs/api.md, "Activities and follow-ups"): calls, notes and emails logged on a
 * lead, each a timeline entry; the lead's {@code lastActivity} and {@code followUpAt}; the view {@code due}
 * (my follow-ups whose time came) and {@code sort=due}; validation that writes nothing; who may log.
 */
class ActivitiesHandlerTest extends LeadManagementHarness {

  private String tom;
  private String sam;
  private String mia;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    query("DELETE FROM users");
    tom = user("Tom Caller", "telemarketing");
    sam = user("Sam Seller", "sales");
    mia = user("Mia Marketing", "marketing");
  }

  private static String user(String name, String role) {
    return rows("INSERT INTO users (name, roles) VALUES ('" + name + "', ARRAY['" + role + "']) RETURNING id")
        .get(0).getUUID("id").toString();
  }

  private static HttpEvents as(HttpEvents event, String id, String name, String role) {
    return event.jwtSubject(id).claim("iss", Caller.LOCAL_ISSUER).claim("name", name).roles(role);
  }

  private APIGatewayV2HTTPResponse logAs(String leadId, String json, String id, String name, String role) {
    return call(as(request("POST /v1/leads/{leadId}/activities", "/v1/leads/" + leadId + "/activities")
        .pathParameter("leadId", leadId), id, name, role).json(json).build());
  }

  private APIGatewayV2HTTPResponse logAsTom(String leadId, String json) {
    return logAs(leadId, json, tom, "Tom Caller", "telemarketing");
  }

  private JsonObject listAs(String id, String name, String role, String... query) {
    return body(call(as(request("GET /v1/leads", "/v1/leads"), id, name, role).queries(query).build()));
  }

  private static String in(long minutes) {
    return Instant.now().plus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Makes the lead's open follow-up due now, as if its time had come (the API refuses times long past). */
  private static void comeDue(String leadId, long minutesAgo) {
    query("UPDATE leads SET follow_up_at = now() - interval '" + minutesAgo + " minutes' WHERE id = '" + leadId + "'");
  }

  @Test
  void eachKindIsLoggedOnTheTimelineAndShownAsTheLastActivity() {
    String leadId = createLead("Pricing").getString("id");
    String callBack = in(90);

    JsonObject call = created(logAsTom(leadId, "{\"kind\": \"call\", \"outcome\": \"call_back\", \"note\": \"after lunch\", "
        + "\"followUpAt\": \"" + callBack + "\"}"));
    assertThat(call.getString("kind")).isEqualTo("call");
    assertThat(call.getString("outcome")).isEqualTo("call_back");
    assertThat(call.getString("note")).isEqualTo("after lunch");
    assertThat(call.getString("followUpAt")).isEqualTo(callBack);
    assertThat(call.getString("actor")).isEqualTo("Tom Caller");
    assertThat(call.getString("leadId")).isEqualTo(leadId);
    JsonObject lead = call.getJsonObject("lead");
    assertThat(lead.getString("followUpAt")).isEqualTo(callBack);
    assertThat(lead.getJsonObject("lastActivity")).isEqualTo(new JsonObject().put("kind", "call")
        .put("outcome", "call_back").put("at", call.getString("at")).put("actor", "Tom Caller"));

    created(logAs(leadId, "{\"kind\": \"email\", \"note\": \"sent the price list\"}", sam, "Sam Seller", "sales"));
    created(logAs(leadId, "{\"kind\": \"note\", \"note\": \"prefers mornings\"}", sam, "Sam Seller", "sales"));

    JsonObject read = body(getLead(leadId));
    assertThat(timeline(read)).endsWith("activity null->call Tom Caller call_back",
        "activity null->email Sam Seller email", "activity null->note Sam Seller note");
    JsonArray entries = read.getJsonArray("timeline");
    JsonObject callEntry = entries.getJsonObject(entries.size() - 3).getJsonObject("activity");
    assertThat(callEntry.getString("id")).isEqualTo(call.getString("id"));
    assertThat(callEntry.getString("note")).isEqualTo("after lunch");
    assertThat(callEntry.getString("followUpAt")).isEqualTo(callBack);
    assertThat(entries.getJsonObject(0).getValue("activity")).as("a change's entry has no activity").isNull();
    assertThat(read.getJsonObject("lastActivity").getString("kind")).isEqualTo("note");
    assertThat(read.getJsonObject("lastActivity").getValue("outcome")).isNull();
    // Someone else's email and note leave Tom's call back standing.
    assertThat(read.getString("followUpAt")).isEqualTo(callBack);
    assertThat(count("SELECT count(*) FROM lead_activities WHERE lead_id = '" + leadId + "'")).isEqualTo(3);

    // Lists show the same two members.
    JsonObject listed = listAs(tom, "Tom Caller", "telemarketing", "view", "all").getJsonArray("items").getJsonObject(0);
    assertThat(listed.getJsonObject("lastActivity").getString("actor")).isEqualTo("Sam Seller");
    assertThat(listed.getString("followUpAt")).isEqualTo(callBack);
  }

  @Test
  void aNewerFollowUpReplacesTheOpenOneAndTheOwnersCallWithoutOneSettlesIt() {
    String leadId = createLead("Pricing").getString("id");
    created(logAsTom(leadId, "{\"kind\": \"call\", \"outcome\": \"no_answer\", \"followUpAt\": \"" + in(30) + "\"}"));
    String later = in(240);
    JsonObject replaced = created(logAs(leadId, "{\"kind\": \"call\", \"outcome\": \"reached\", \"followUpAt\": \""
        + later + "\"}", sam, "Sam Seller", "sales")).getJsonObject("lead");
    assertThat(replaced.getString("followUpAt")).isEqualTo(later);
    assertThat(rows("SELECT follow_up_user_id FROM leads WHERE id = '" + leadId + "'").get(0).getUUID(0).toString())
        .isEqualTo(sam);

    // Tom's call is not Sam's follow-up done; a note of Sam's is not either; Sam's own call is.
    assertThat(created(logAsTom(leadId, "{\"kind\": \"call\", \"outcome\": \"reached\"}")).getJsonObject("lead")
        .getString("followUpAt")).isEqualTo(later);
    assertThat(created(logAs(leadId, "{\"kind\": \"note\", \"note\": \"n\"}", sam, "Sam Seller", "sales"))
        .getJsonObject("lead").getString("followUpAt")).isEqualTo(later);
    assertThat(created(logAs(leadId, "{\"kind\": \"call\", \"outcome\": \"reached\"}", sam, "Sam Seller", "sales"))
        .getJsonObject("lead").getValue("followUpAt")).isNull();
  }

  @Test
  void eachFaultIsOneErrorAndNothingIsWritten() {
    String leadId = createLead("Pricing").getString("id");
    String longNote = "x".repeat(4001);

    assertThat(errorFields(assertProblem(logAsTom(leadId, "{}"), 400))).containsExactly("kind");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"visit\"}"), 400))).containsExactly("kind");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"note\", \"outcome\": \"reached\"}"), 400)))
        .containsExactly("outcome");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"call\", \"outcome\": \"busy\"}"), 400)))
        .containsExactly("outcome");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"call\", \"outcome\": \"call_back\"}"), 400)))
        .containsExactly("followUpAt");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"call\", \"followUpAt\": \"tomorrow\"}"), 400)))
        .containsExactly("followUpAt");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"call\", \"followUpAt\": \""
        + Instant.now().minus(2, ChronoUnit.DAYS) + "\"}"), 400))).containsExactly("followUpAt");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"call\", \"followUpAt\": \""
        + Instant.now().plus(400, ChronoUnit.DAYS) + "\"}"), 400))).containsExactly("followUpAt");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"note\", \"note\": \"" + longNote + "\"}"), 400)))
        .containsExactly("note");
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"note\", \"when\": \"now\"}"), 400)))
        .containsExactly("when");
    // Several faults at once: one error each.
    assertThat(errorFields(assertProblem(logAsTom(leadId, "{\"kind\": \"email\", \"outcome\": \"reached\", "
        + "\"followUpAt\": 5, \"note\": \"\", \"extra\": 1}"), 400)))
        .containsExactlyInAnyOrder("extra", "outcome", "note", "followUpAt");

    assertThat(count("SELECT count(*) FROM lead_activities")).isZero();
    JsonObject lead = body(getLead(leadId));
    assertThat(lead.getValue("lastActivity")).isNull();
    assertThat(lead.getValue("followUpAt")).isNull();
    assertThat(timeline(lead)).noneMatch(line -> line.startsWith("activity"));
  }

  @Test
  void anUnknownLeadIs404AndAClosedOne409() {
    assertProblem(logAsTom("5d0c6f0e-1111-4222-8333-444455556666", "{\"kind\": \"note\", \"note\": \"n\"}"), 404);
    assertProblem(logAsTom("not-a-uuid", "{\"kind\": \"note\", \"note\": \"n\"}"), 404);

    String leadId = createLead("Pricing").getString("id");
    created(logAsTom(leadId, "{\"kind\": \"call\", \"outcome\": \"voicemail\", \"followUpAt\": \"" + in(60) + "\"}"));
    JsonObject disqualified = ok(process(leadId, "{\"action\": \"disqualify\", \"reason\": \"no budget\"}"));
    assertThat(disqualified.getValue("followUpAt")).as("a closed lead has nothing left to follow up").isNull();
    JsonObject problem = assertProblem(logAsTom(leadId, "{\"kind\": \"note\", \"note\": \"n\"}"), 409);
    assertThat(problem.getString("detail")).contains("disqualified");
    assertThat(count("SELECT count(*) FROM lead_activities")).isEqualTo(1);
  }

  @Test
  void marketingMayNotLogActivitiesTelemarketingSalesAndManagersMay() {
    String leadId = createLead("Pricing").getString("id");
    JsonObject refused = assertProblem(logAs(leadId, "{\"kind\": \"note\", \"note\": \"n\"}", mia, "Mia Marketing",
        "marketing"), 403);
    assertThat(refused.getString("detail")).contains("telemarketing").contains("sales");
    assertThat(count("SELECT count(*) FROM lead_activities")).isZero();

    created(logAs(leadId, "{\"kind\": \"note\", \"note\": \"n\"}", sam, "Sam Seller", "sales"));
    created(logAs(leadId, "{\"kind\": \"note\", \"note\": \"n\"}", tom, "Tom Caller", "telemarketing"));
    created(logAs(leadId, "{\"kind\": \"note\", \"note\": \"n\"}", sam, "Sue Manager", "sales_manager"));
    created(logAs(leadId, "{\"kind\": \"note\", \"note\": \"n\"}", sam, "Ann Admin", "admin"));
  }

  @Test
  void theDueViewListsOnlyMyFollowUpsWhoseTimeCameSoonestFirst() {
    String old = createLead("Old").getString("id");
    String recent = createLead("Recent").getString("id");
    String notYet = createLead("Not yet").getString("id");
    String samsDue = createLead("Sam's").getString("id");
    String none = createLead("None").getString("id");
    String closed = createLead("Closed").getString("id");
    created(logAsTom(recent, "{\"kind\": \"call\", \"outcome\": \"no_answer\", \"followUpAt\": \"" + in(10) + "\"}"));
    created(logAsTom(old, "{\"kind\": \"call\", \"outcome\": \"call_back\", \"followUpAt\": \"" + in(20) + "\"}"));
    created(logAsTom(notYet, "{\"kind\": \"email\", \"followUpAt\": \"" + in(60) + "\"}"));
    created(logAs(samsDue, "{\"kind\": \"note\", \"note\": \"n\", \"followUpAt\": \"" + in(5) + "\"}", sam, "Sam Seller", "sales"));
    created(logAsTom(none, "{\"kind\": \"call\", \"outcome\": \"reached\"}"));
    created(logAsTom(closed, "{\"kind\": \"call\", \"outcome\": \"call_back\", \"followUpAt\": \"" + in(5) + "\"}"));
    comeDue(old, 30);
    comeDue(recent, 2);
    comeDue(samsDue, 1);
    comeDue(closed, 40);
    query("UPDATE leads SET status = 'disqualified' WHERE id = '" + closed + "'");

    assertThat(ids(listAs(tom, "Tom Caller", "telemarketing", "view", "due"))).containsExactly(old, recent);
    assertThat(ids(listAs(sam, "Sam Seller", "sales", "view", "due"))).containsExactly(samsDue);
    // One per page: the cursor walks the same order.
    JsonObject first = listAs(tom, "Tom Caller", "telemarketing", "view", "due", "limit", "1");
    assertThat(ids(first)).containsExactly(old);
    JsonObject second = listAs(tom, "Tom Caller", "telemarketing", "view", "due", "limit", "1", "after",
        first.getString("next"));
    assertThat(ids(second)).containsExactly(recent);
    assertThat(second.getValue("next")).isNull();
    // Someone who set no follow-up has none due.
    assertThat(ids(listAs(mia, "Mia Marketing", "marketing", "view", "due"))).isEmpty();
  }

  @Test
  void sortDueListsLeadsWithAFollowUpFirstByTimeOnAnyViewAndPagesToTheEnd() {
    List<String> withoutOne = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      withoutOne.add(createLead("Without " + i).getString("id"));
    }
    String later = createLead("Later").getString("id");
    String sooner = createLead("Sooner").getString("id");
    created(logAsTom(later, "{\"kind\": \"call\", \"outcome\": \"call_back\", \"followUpAt\": \"" + in(120) + "\"}"));
    created(logAs(sooner, "{\"kind\": \"email\", \"followUpAt\": \"" + in(30) + "\"}", sam, "Sam Seller", "sales"));

    List<String> all = new ArrayList<>(List.of(sooner, later));
    withoutOne.stream().sorted().forEach(all::add);
    assertThat(ids(listAs(tom, "Tom Caller", "telemarketing", "sort", "due"))).containsExactlyElementsOf(all);

    List<String> paged = new ArrayList<>();
    String after = null;
    do {
      JsonObject page = after == null ? listAs(tom, "Tom Caller", "telemarketing", "view", "unassigned", "sort", "due", "limit", "2")
          : listAs(tom, "Tom Caller", "telemarketing", "view", "unassigned", "sort", "due", "limit", "2", "after", after);
      paged.addAll(ids(page));
      after = page.getString("next");
    } while (after != null);
    assertThat(paged).containsExactlyElementsOf(all);

    assertThat(errorFields(assertProblem(listLeads("sort", "soonest"), 400))).containsExactly("sort");
    assertThat(errorFields(assertProblem(listLeads("sort", "due", "after", "bm90LWEtY3Vyc29y"), 400)))
        .containsExactly("after");
  }

  @Test
  void activitiesLoggedAtOnceOnOneLeadAllLandAndTheLastOneCommittedSetsTheFollowUp() throws Exception {
    String leadId = createLead("Busy").getString("id");
    int callers = 8;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(callers);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
    try {
      List<java.util.concurrent.Future<APIGatewayV2HTTPResponse>> answers = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        String at = in(10 + i);
        String who = i % 2 == 0 ? tom : sam;
        String name = i % 2 == 0 ? "Tom Caller" : "Sam Seller";
        String role = i % 2 == 0 ? "telemarketing" : "sales";
        answers.add(pool.submit(() -> {
          start.await();
          return logAs(leadId, "{\"kind\": \"call\", \"outcome\": \"call_back\", \"followUpAt\": \"" + at + "\"}",
              who, name, role);
        }));
      }
      for (java.util.concurrent.Future<APIGatewayV2HTTPResponse> answer : answers) {
        assertThat(answer.get().getStatusCode()).as(answer.get().getBody()).isEqualTo(201);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(count("SELECT count(*) FROM lead_activities WHERE lead_id = '" + leadId + "'")).isEqualTo(callers);
    JsonObject lead = body(getLead(leadId));
    assertThat(timeline(lead).stream().filter(line -> line.startsWith("activity"))).hasSize(callers);
    // The lead's row lock queued them: the follow-up and last activity are those of the last one written.
    io.vertx.sqlclient.Row last = rows("SELECT id, follow_up_at, created_at FROM lead_activities WHERE lead_id = '"
        + leadId + "' ORDER BY created_at DESC LIMIT 1").get(0);
    assertThat(lead.getString("followUpAt")).isEqualTo(last.getOffsetDateTime("follow_up_at").toInstant().toString());
    assertThat(lead.getJsonObject("lastActivity").getString("at"))
        .isEqualTo(last.getOffsetDateTime("created_at").toInstant().toString());
    assertThat(rows("SELECT follow_up_activity_id FROM leads WHERE id = '" + leadId + "'").get(0).getUUID(0))
        .isEqualTo(last.getUUID("id"));
  }
}
