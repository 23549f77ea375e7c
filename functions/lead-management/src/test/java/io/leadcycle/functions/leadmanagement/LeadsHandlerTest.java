package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.Lead;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leads by hand through the handler: create, read, edit, and the telemarketing, sales and all views. */
class LeadsHandlerTest extends LeadManagementHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void postCreatesALeadInInquiryWithItsCreationOnTheTimeline() {
    APIGatewayV2HTTPResponse response = postLead("""
        {"topic": "Pricing request", "context": {"kind": "campaign", "id": "q4-push", "name": "Q4 push"}}""");

    JsonObject lead = created(response);
    String id = lead.getString("id");
    assertThat(lead.getString("topic")).isEqualTo("Pricing request");
    assertThat(lead.getJsonObject("context"))
        .isEqualTo(new JsonObject().put("kind", "campaign").put("id", "q4-push").put("name", "Q4 push"));
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    assertThat(lead.getString("status")).isEqualTo("open");
    assertThat(lead.getBoolean("telemarketingReady")).isFalse();
    assertThat(lead.getBoolean("salesReady")).isFalse();
    assertThat(lead.getString("ownerId")).isNull();
    assertThat(lead.getString("contactId")).isNull();
    assertThat(lead.getString("unscorableReason")).isEqualTo(Lead.UNSCORABLE_WITHOUT_PARENT);
    assertThat(lead.getJsonArray("scores")).isEmpty();
    assertThat(timeline(lead)).containsExactly("stage null->inquiry api created");
    Row stored = row("SELECT topic, stage, status, context_kind, context_id FROM leads WHERE id = $1", uuid(id));
    assertThat(stored.getString("stage")).isEqualTo("inquiry");
    assertThat(stored.getString("context_kind")).isEqualTo("campaign");
    assertThat(stored.getString("context_id")).isEqualTo("q4-push");
    // Announced like every new lead: lead.created, with the lead as created.
    Row created = row("SELECT type, lead_id, payload FROM outbox");
    assertThat(created.getString("type")).isEqualTo("lead.created");
    assertThat(created.getUUID("lead_id")).isEqualTo(uuid(id));
    JsonObject payload = created.getJsonObject("payload");
    assertThat(payload.getJsonObject("lead").getString("stage")).isEqualTo("inquiry");
    assertThat(payload.getJsonObject("lead").getString("createdAt")).isEqualTo(lead.getString("createdAt"));
    assertThat(payload.getJsonArray("changes")).containsExactly(
        new JsonObject().put("field", "stage").put("from", null).put("to", "inquiry"));
    assertThat(payload.getString("actor")).isEqualTo("api");
    assertThat(payload.getString("reason")).isEqualTo("created");
  }

  @Test
  void aLeadOfAContactIsScorableAndAmongTheContactsOpenLeads() {
    String contactId = createContact("{\"email\": \"ada@example.com\"}").getString("id");

    JsonObject lead = created(postLead(
        "{\"topic\": \"Demo\", \"contactId\": \"" + contactId + "\", \"context\": " + MANUAL_CONTEXT + "}"));

    assertThat(lead.getString("contactId")).isEqualTo(contactId);
    assertThat(lead.getString("unscorableReason")).isNull();
    assertThat(ok(getContact(contactId)).getJsonArray("leadIds")).containsExactly(lead.getString("id"));
  }

  @Test
  void anUnknownContactIdIs400NamingItAndWritesNothing() {
    APIGatewayV2HTTPResponse response = postLead(
        "{\"topic\": \"Demo\", \"contactId\": \"" + UUID.randomUUID() + "\", \"context\": " + MANUAL_CONTEXT + "}");

    assertThat(invalidFields(response)).containsExactly("contactId");
    assertThat(count("SELECT count(*) FROM leads")).isZero();
    assertThat(count("SELECT count(*) FROM lead_timeline")).isZero();
  }

  @Test
  void aBadContextKindAndUnknownFieldsAre400NamingEach() {
    APIGatewayV2HTTPResponse response = postLead(
        "{\"topic\": \"Demo\", \"priority\": \"high\", \"context\": {\"kind\": \"billboard\", \"url\": \"x\"}}");

    assertThat(invalidFields(response)).containsExactlyInAnyOrder("priority", "context.kind", "context.url");
    assertThat(count("SELECT count(*) FROM leads")).isZero();
  }

  @Test
  void aLeadWithoutAContextIs400SayingTheShapeAndTheKinds() {
    String kinds = "marketing_page, event, linkedin_form, journey, campaign, manual, import";

    JsonObject missing = assertProblem(postLead("{\"topic\": \"Demo\"}"), 400);
    JsonObject notAnObject = assertProblem(postLead("{\"topic\": \"Demo\", \"context\": \"campaign\"}"), 400);

    assertThat(errors(missing)).containsExactly(Map.entry("context", "required: {kind, id, name} — kind one of: "
        + kinds + "; id and name are optional text of up to 200 characters each"));
    assertThat(missing.getString("detail")).startsWith("context: required: {kind, id, name} — kind one of: ");
    assertThat(errors(notAnObject)).containsExactly(Map.entry("context", "must be an object {kind, id, name} — kind"
        + " one of: " + kinds + "; id and name are optional text of up to 200 characters each"));
    assertThat(count("SELECT count(*) FROM leads")).isZero();
  }

  @Test
  void aContextWithoutAKindOrWithBadPartsIs400SayingWhatEachPartTakes() {
    String kinds = "marketing_page, event, linkedin_form, journey, campaign, manual, import";

    JsonObject noKind = assertProblem(postLead("{\"topic\": \"Demo\", \"context\": {\"id\": \"q4\"}}"), 400);
    JsonObject badParts = assertProblem(postLead("""
        {"topic": "Demo", "context": {"kind": 7, "id": " ", "name": ["Q4"], "url": "x"}}"""), 400);
    JsonObject noTopic = assertProblem(postLead("{\"context\": " + MANUAL_CONTEXT + "}"), 400);

    assertThat(errors(noKind)).containsExactly(Map.entry("context.kind", "required, one of: " + kinds));
    assertThat(errors(badParts)).containsExactlyInAnyOrder(
        Map.entry("context.url", "unknown field; allowed: kind, id, name"),
        Map.entry("context.kind", "must be one of: " + kinds),
        Map.entry("context.id", "optional; when given, non-empty text of up to 200 characters"),
        Map.entry("context.name", "optional; when given, non-empty text of up to 200 characters"));
    assertThat(errors(noTopic)).containsExactly(
        Map.entry("topic", "required: what the lead is about, text up to 200 characters"));
    assertThat(count("SELECT count(*) FROM leads")).isZero();
  }

  @Test
  void aLeadWithNeitherContactNorAccountIsCreatedAndSaysWhyItCannotBeScored() {
    JsonObject lead = created(postLead("""
        {"topic": "Demo", "contactId": null, "context": {"kind": "manual"}}"""));

    assertThat(lead.getString("contactId")).isNull();
    assertThat(lead.getString("accountId")).isNull();
    assertThat(lead.getString("unscorableReason")).isEqualTo(Lead.UNSCORABLE_WITHOUT_PARENT);
    assertThat(lead.getJsonObject("context")).isEqualTo(new JsonObject().put("kind", "manual").putNull("id")
        .putNull("name"));
    assertThat(ok(getLead(lead.getString("id"))).getString("unscorableReason"))
        .isEqualTo(Lead.UNSCORABLE_WITHOUT_PARENT);
  }

  /** A problem's errors as field → message entries, in order. */
  private static List<Map.Entry<String, String>> errors(JsonObject problem) {
    List<Map.Entry<String, String>> entries = new java.util.ArrayList<>();
    problem.getJsonArray("errors").forEach(e -> entries.add(
        Map.entry(((JsonObject) e).getString("field"), ((JsonObject) e).getString("message"))));
    return entries;
  }

  @Test
  void getShowsTheLeadWithItsTimeline() {
    JsonObject lead = createLead("Pricing request");

    JsonObject fetched = ok(getLead(lead.getString("id")));

    assertThat(fetched).isEqualTo(lead);
    assertThat(fetched.getJsonArray("timeline")).hasSize(1);
  }

  @Test
  void anUnknownOrMalformedLeadIdIs404() {
    assertProblem(getLead(UUID.randomUUID().toString()), 404);
    assertProblem(getLead("not-a-uuid"), 404);
    assertProblem(patchLead(UUID.randomUUID().toString(), "{\"topic\": \"x\"}"), 404);
  }

  @Test
  void patchRenamesTheTopicOnTheTimelineAndMergesQualificationFindings() {
    String id = createLead("Pricing request").getString("id");

    JsonObject lead = ok(patchLead(id, """
        {"topic": "Pricing for 250 seats", "qualification": {"budget": "50k EUR", "need": "replace spreadsheets"},
         "actor": "tina"}"""));

    assertThat(lead.getString("topic")).isEqualTo("Pricing for 250 seats");
    assertThat(lead.getJsonObject("qualification").getMap())
        .containsOnly(Map.entry("budget", "50k EUR"), Map.entry("need", "replace spreadsheets"));
    assertThat(timeline(lead)).containsExactly("stage null->inquiry api created",
        "topic Pricing request->Pricing for 250 seats tina edited");

    JsonObject again = ok(patchLead(id, "{\"qualification\": {\"budget\": null, \"timeframe\": \"Q1\"}}"));

    assertThat(again.getJsonObject("qualification").getMap())
        .containsOnly(Map.entry("need", "replace spreadsheets"), Map.entry("timeframe", "Q1"));
    assertThat(again.getJsonArray("timeline")).hasSize(2);
    assertThat(row("SELECT topic FROM leads WHERE id = $1", uuid(id)).getString("topic"))
        .isEqualTo("Pricing for 250 seats");
  }

  @Test
  void linkingAContactAlsoLinksItsAccountWhenTheLeadHasNone() {
    String accountId = createAccount("{\"name\": \"Analytical Engines Ltd\"}").getString("id");
    String contactId = createContact("{\"email\": \"ada@example.com\", \"accountId\": \"" + accountId + "\"}")
        .getString("id");
    String id = createLead("Pricing request").getString("id");

    JsonObject lead = ok(patchLead(id, "{\"contactId\": \"" + contactId + "\", \"actor\": \"tina\"}"));

    assertThat(lead.getString("contactId")).isEqualTo(contactId);
    assertThat(lead.getString("accountId")).isEqualTo(accountId);
    assertThat(timeline(lead)).containsExactly("stage null->inquiry api created",
        "contactId null->" + contactId + " tina edited",
        "accountId null->" + accountId + " tina edited: the contact's account");
    Row stored = row("SELECT contact_id, account_id FROM leads WHERE id = $1", uuid(id));
    assertThat(stored.getUUID("contact_id")).isEqualTo(uuid(contactId));
    assertThat(stored.getUUID("account_id")).isEqualTo(uuid(accountId));
    assertThat(ok(getLead(id))).isEqualTo(lead);
    // Links are timeline entries, not events: no outbox rows, for the contact nor for its account.
    assertThat(count("SELECT count(*) FROM outbox WHERE type <> 'lead.created'")).isZero();
  }

  @Test
  void linkingAContactKeepsTheAccountTheLeadAlreadyHas() {
    String leadsAccount = createAccount("{\"name\": \"Difference Engines plc\"}").getString("id");
    String contactsAccount = createAccount("{\"name\": \"Analytical Engines Ltd\"}").getString("id");
    String contactId = createContact("{\"email\": \"ada@example.com\", \"accountId\": \"" + contactsAccount
        + "\"}").getString("id");
    String id = created(postLead("{\"topic\": \"Demo\", \"accountId\": \"" + leadsAccount + "\", \"context\": "
        + MANUAL_CONTEXT + "}")).getString("id");

    JsonObject lead = ok(patchLead(id, "{\"contactId\": \"" + contactId + "\"}"));

    assertThat(lead.getString("contactId")).isEqualTo(contactId);
    assertThat(lead.getString("accountId")).isEqualTo(leadsAccount);
    assertThat(timeline(lead)).containsExactly("stage null->inquiry api created",
        "contactId null->" + contactId + " api edited");
  }

  @Test
  void anAccountNamedInTheSamePatchWinsOverTheContacts() {
    String named = createAccount("{\"name\": \"Difference Engines plc\"}").getString("id");
    String contactsAccount = createAccount("{\"name\": \"Analytical Engines Ltd\"}").getString("id");
    String contactId = createContact("{\"email\": \"ada@example.com\", \"accountId\": \"" + contactsAccount
        + "\"}").getString("id");
    String withNamed = createLead("Named").getString("id");
    String withNone = createLead("Unlinked").getString("id");

    JsonObject named1 = ok(patchLead(withNamed,
        "{\"contactId\": \"" + contactId + "\", \"accountId\": \"" + named + "\"}"));
    JsonObject none = ok(patchLead(withNone, "{\"contactId\": \"" + contactId + "\", \"accountId\": null}"));

    assertThat(named1.getString("accountId")).isEqualTo(named);
    assertThat(timeline(named1)).containsExactly("stage null->inquiry api created",
        "contactId null->" + contactId + " api edited", "accountId null->" + named + " api edited");
    assertThat(none.getString("contactId")).isEqualTo(contactId);
    assertThat(none.getString("accountId")).isNull();
    assertThat(timeline(none)).containsExactly("stage null->inquiry api created",
        "contactId null->" + contactId + " api edited");
  }

  @Test
  void linkingAContactWithoutAnAccountOrAnUnknownContactLinksNoAccount() {
    String accountless = createContact("{\"email\": \"ada@example.com\"}").getString("id");
    String id = createLead("Pricing request").getString("id");

    APIGatewayV2HTTPResponse unknown = patchLead(id, "{\"contactId\": \"" + UUID.randomUUID() + "\"}");
    JsonObject lead = ok(patchLead(id, "{\"contactId\": \"" + accountless + "\"}"));

    assertThat(invalidFields(unknown)).containsExactly("contactId");
    assertThat(lead.getString("contactId")).isEqualTo(accountless);
    assertThat(lead.getString("accountId")).isNull();
    assertThat(timeline(lead)).containsExactly("stage null->inquiry api created",
        "contactId null->" + accountless + " api edited");
  }

  @Test
  void aLeadCreatedForAContactTakesItsAccountUnlessItNamesOne() {
    String contactsAccount = createAccount("{\"name\": \"Analytical Engines Ltd\"}").getString("id");
    String named = createAccount("{\"name\": \"Difference Engines plc\"}").getString("id");
    String contactId = createContact("{\"email\": \"ada@example.com\", \"accountId\": \"" + contactsAccount
        + "\"}").getString("id");

    JsonObject taking = created(postLead(
        "{\"topic\": \"Demo\", \"contactId\": \"" + contactId + "\", \"context\": " + MANUAL_CONTEXT + "}"));
    JsonObject naming = created(postLead("{\"topic\": \"Demo\", \"contactId\": \"" + contactId
        + "\", \"accountId\": \"" + named + "\", \"context\": " + MANUAL_CONTEXT + "}"));

    assertThat(taking.getString("accountId")).isEqualTo(contactsAccount);
    assertThat(timeline(taking)).containsExactly("stage null->inquiry api created");
    assertThat(naming.getString("accountId")).isEqualTo(named);
    assertThat(row("SELECT account_id FROM leads WHERE id = $1", uuid(taking.getString("id"))).getUUID("account_id"))
        .isEqualTo(uuid(contactsAccount));
  }

  @Test
  void anEmptyPatchIs400SayingWhatToSendWithNoFieldAtFault() {
    String id = createLead("Pricing request").getString("id");

    for (String body : new String[] {"{}", "{\"actor\": \"tina\"}"}) {
      JsonObject problem = assertProblem(patchLead(id, body), 400);

      assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:invalid-request");
      assertThat(problem.getString("detail")).isEqualTo("An empty patch changes nothing: send at least one of "
          + "contactId, accountId, topic, qualification (null unlinks the contact or account).");
      assertThat(problem.getJsonArray("errors")).isEmpty();
    }
    assertThat(ok(getLead(id)).getJsonArray("timeline")).hasSize(1);
  }

  @Test
  void anUnknownQualificationFindingIs400NamingIt() {
    String id = createLead("Pricing request").getString("id");

    APIGatewayV2HTTPResponse response = patchLead(id, "{\"qualification\": {\"mood\": \"keen\"}}");

    assertThat(invalidFields(response)).containsExactly("qualification.mood");
    assertThat(ok(getLead(id)).getJsonObject("qualification").isEmpty()).isTrue();
  }

  @Test
  void aClosedLeadCannotBeEdited() {
    String id = createLead("Pricing request").getString("id");
    assertThat(process(id, "{\"action\": \"disqualify\", \"reason\": \"student project\"}").getStatusCode())
        .isEqualTo(200);

    APIGatewayV2HTTPResponse response = patchLead(id, "{\"topic\": \"Renamed\", \"qualification\": {\"need\": \"x\"}}");

    JsonObject problem = assertProblem(response, 409);
    assertThat(problem.getString("detail")).contains("disqualified");
    JsonObject lead = ok(getLead(id));
    assertThat(lead.getString("topic")).isEqualTo("Pricing request");
    assertThat(lead.getJsonObject("qualification").isEmpty()).isTrue();
  }

  @Test
  void theViewsShowTelemarketingReadySalesReadyAndAllLeadsInCreationOrder() {
    String inquiry = createLead("Inquiry").getString("id");
    String telemarketing = createLead("Telemarketing").getString("id");
    String sales = createLead("Sales").getString("id");
    String accepted = createLead("Accepted by telemarketing").getString("id");
    act(telemarketing, "mark-telemarketing-ready");
    act(sales, "mark-sales-ready");
    act(accepted, "mark-telemarketing-ready");
    act(accepted, "accept-telemarketing");

    JsonObject telemarketingView = ok(listLeads("view", "telemarketing"));
    JsonObject salesView = ok(listLeads("view", "sales"));
    JsonObject allView = ok(listLeads("view", "all"));
    JsonObject byDefault = ok(listLeads());
    JsonObject inquiryStage = ok(listLeads("view", "all", "stage", "inquiry"));

    assertThat(ids(telemarketingView)).containsExactly(telemarketing);
    assertThat(ids(salesView)).containsExactly(sales);
    assertThat(ids(allView)).containsExactly(inquiry, telemarketing, sales, accepted);
    assertThat(byDefault).isEqualTo(allView);
    assertThat(ids(inquiryStage)).containsExactly(inquiry);
    assertThat(allView.getValue("next")).isNull();
    assertThat(salesView.getJsonArray("items").getJsonObject(0).containsKey("timeline")).isFalse();
  }

  @Test
  void theAfterCursorPagesThroughAView() {
    String first = createLead("First").getString("id");
    String second = createLead("Second").getString("id");
    String third = createLead("Third").getString("id");

    JsonObject page1 = ok(listLeads("view", "all", "limit", "2"));
    JsonObject page2 = ok(listLeads("view", "all", "limit", "2", "after", page1.getString("next")));

    assertThat(ids(page1)).containsExactly(first, second);
    assertThat(page1.getString("next")).isNotBlank();
    assertThat(ids(page2)).containsExactly(third);
    assertThat(page2.getValue("next")).isNull();
  }

  @Test
  void invalidViewLimitAfterAndStageAre400NamingTheParameter() {
    createLead("Some lead");
    String wellFormedButWrong = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("yesterday|someone".getBytes(StandardCharsets.UTF_8));

    assertThat(invalidFields(listLeads("view", "marketing"))).containsExactly("view");
    assertThat(invalidFields(listLeads("view", ""))).containsExactly("view");
    assertThat(invalidFields(listLeads("view", "sales", "limit", "0"))).containsExactly("limit");
    assertThat(invalidFields(listLeads("view", "sales", "limit", "201"))).containsExactly("limit");
    assertThat(invalidFields(listLeads("view", "sales", "limit", "ten"))).containsExactly("limit");
    assertThat(invalidFields(listLeads("view", "sales", "after", "not-a-cursor"))).containsExactly("after");
    assertThat(invalidFields(listLeads("view", "sales", "after", wellFormedButWrong))).containsExactly("after");
    String beyondTheDatabasesRange = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("+1000000000-12-31T23:59:59Z|" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    assertThat(invalidFields(listLeads("view", "sales", "after", beyondTheDatabasesRange))).containsExactly("after");
    assertThat(invalidFields(listLeads("view", "all", "stage", "negotiation"))).containsExactly("stage");
  }

  @Test
  void leadsCanBeFilteredByGradeAndListedBestScoreFirstPageByPage() {
    String cold = createLead("Cold").getString("id");
    String hot = createLead("Hot").getString("id");
    String warm = createLead("Warm").getString("id");
    String unscored = createLead("Unscored").getString("id");
    String hotToo = createLead("Hot too").getString("id");
    for (Object[] best : new Object[][] {{cold, 5, "C"}, {hot, 90, "A"}, {warm, 40, "B"}, {hotToo, 90, "A"}}) {
      TestDatabase.database().pool().preparedQuery("UPDATE leads SET score = $2, grade = $3 WHERE id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString((String) best[0]), best[1], best[2])).await();
    }
    String firstOfTheTies = hot.compareTo(hotToo) < 0 ? hot : hotToo;
    String secondOfTheTies = firstOfTheTies.equals(hot) ? hotToo : hot;

    JsonObject gradeA = ok(listLeads("grade", "A"));
    JsonObject page1 = ok(listLeads("sort", "score", "limit", "2"));
    JsonObject page2 = ok(listLeads("sort", "score", "limit", "2", "after", page1.getString("next")));
    JsonObject page3 = ok(listLeads("sort", "score", "limit", "2", "after", page2.getString("next")));

    assertThat(ids(gradeA)).containsExactlyInAnyOrder(hot, hotToo);
    assertThat(gradeA.getJsonArray("items").getJsonObject(0).getInteger("score")).isEqualTo(90);
    assertThat(ids(page1)).containsExactly(firstOfTheTies, secondOfTheTies);
    assertThat(ids(page2)).containsExactly(warm, cold);
    assertThat(ids(page3)).containsExactly(unscored);
    assertThat(page3.getValue("next")).isNull();
    assertThat(invalidFields(listLeads("sort", "name"))).containsExactly("sort");
    // A cursor of one order is not one of the other.
    assertThat(invalidFields(listLeads("sort", "score", "after", ok(listLeads("limit", "1")).getString("next"))))
        .containsExactly("after");
  }
}
