package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.events.JsonViews;
import io.leadcycle.leads.LeadService;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What anyone who knows a public form's URL may do (issue 21): an unsigned post fills what is empty on a
 * contact it matches and overwrites nothing (unless the form says {@code unsignedUpdates: overwrite}),
 * consent is the person's to give or withdraw and lands on the lead timeline, and the answer tells an
 * anonymous caller nothing about what exists.
 */
class UnsignedSubmissionsHandlerTest extends FormIntakeHarness {

  /** Ada as the marketing team's server sent her: signed, with every field filled. */
  private static final String ADA = """
      {"fields": {"email": "Ada.Lovelace@Example.com", "firstName": "Ada", "lastName": "Lovelace",
                  "phone": "+44 20 1234", "companyName": "Analytical Engines", "plan": "pro"},
       "consent": {"newsletter": true}}""";

  private String secret;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    secret = createForm("open", """
        {"name": "Open page", "kind": "marketing_page", "requireSignature": false}""");
  }

  /** Ada as stored after her signed submission; her contact's id. */
  private String adaSignedUp() {
    APIGatewayV2HTTPResponse response = submit("open", secret, ADA);
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    return contactId(body(response));
  }

  private APIGatewayV2HTTPResponse unsigned(String json) {
    return call(submission("open").json(json).build());
  }

  @Test
  void anUnsignedPostFillsWhatIsEmptyAndOverwritesNothingByDefault() {
    String ada = adaSignedUp();
    Row before = contactRow(ada);

    // The probe: someone else's email, another name and company, plus what Ada never told us.
    APIGatewayV2HTTPResponse response = unsigned("""
        {"fields": {"email": "ada.lovelace@example.com", "firstName": "Mallory", "lastName": "Evil",
                    "phone": "+1 555 0000", "companyName": "Evil Corp", "jobTitle": "Countess",
                    "plan": "free", "source": "probe"}}""");

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    Row after = contactRow(ada);
    assertThat(after.getString("email")).isEqualTo("Ada.Lovelace@Example.com");
    assertThat(after.getString("first_name")).isEqualTo("Ada");
    assertThat(after.getString("last_name")).isEqualTo("Lovelace");
    assertThat(after.getString("phone")).isEqualTo("+44 20 1234");
    assertThat(after.getString("company_name")).isEqualTo("Analytical Engines");
    assertThat(after.getJsonObject("consent")).isEqualTo(before.getJsonObject("consent"));
    // Only what was empty is filled.
    assertThat(after.getString("job_title")).isEqualTo("Countess");
    assertThat(after.getJsonObject("attributes")).isEqualTo(new JsonObject().put("plan", "pro").put("source", "probe"));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void theLeadsSubmittedFieldsAreOnlyFilledToo() {
    adaSignedUp();

    unsigned("{\"fields\": {\"email\": \"ada.lovelace@example.com\", \"firstName\": \"Mallory\", \"country\": \"UK\"}}");

    JsonObject fields = new JsonObject(row("SELECT submitted_fields::text AS f FROM leads").getString("f"));
    assertThat(fields.getString("firstName")).isEqualTo("Ada");
    assertThat(fields.getString("email")).isEqualTo("Ada.Lovelace@Example.com");
    assertThat(fields.getString("country")).isEqualTo("UK");
  }

  @Test
  void withUnsignedUpdatesOverwriteAnUnsignedPostOverwritesAllButTheEmailsSpelling() {
    String ada = adaSignedUp();
    assertThat(body(patchForm("open", "{\"unsignedUpdates\": \"overwrite\"}")).getString("unsignedUpdates"))
        .isEqualTo("overwrite");

    unsigned("""
        {"fields": {"email": "ADA.LOVELACE@example.com", "firstName": "Augusta", "companyName": "Babbage & Co"}}""");

    Row after = contactRow(ada);
    assertThat(after.getString("email")).isEqualTo("Ada.Lovelace@Example.com");
    assertThat(after.getString("first_name")).isEqualTo("Augusta");
    assertThat(after.getString("company_name")).isEqualTo("Babbage & Co");
  }

  @Test
  void aSignedSubmissionKeepsOverwritingAsBefore() {
    String ada = adaSignedUp();

    APIGatewayV2HTTPResponse response = submit("open", secret, """
        {"fields": {"email": "ada.lovelace@example.com", "firstName": "Augusta"}}""");

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(body(response).getJsonObject("contact").getBoolean("updated")).isTrue();
    Row after = contactRow(ada);
    assertThat(after.getString("email")).isEqualTo("ada.lovelace@example.com");
    assertThat(after.getString("first_name")).isEqualTo("Augusta");
  }

  @Test
  void aBadSignatureOnAnOpenFormIsRefusedNotTakenAsUnsigned() {
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse response = call(submission("open").json(ADA)
        .header("webhook-id", "msg_1").header("webhook-timestamp", String.valueOf(System.currentTimeMillis() / 1000))
        .header("webhook-signature", "v1,AAAA").build());

    assertProblem(response, 401);
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void consentMayBeWithdrawnOrGivenAndEachChangeIsOnTheLeadTimeline() {
    String ada = adaSignedUp();

    APIGatewayV2HTTPResponse response = unsigned("""
        {"fields": {"email": "ada.lovelace@example.com"}, "consent": {"newsletter": false, "events": true}}""");

    assertThat(response.getStatusCode()).isEqualTo(201);
    assertThat(contactRow(ada).getJsonObject("consent"))
        .isEqualTo(new JsonObject().put("newsletter", false).put("events", true));
    List<Row> entries = rows("SELECT field, from_value, to_value, actor, reason FROM lead_timeline"
        + " WHERE field LIKE 'consent.%' ORDER BY id");
    assertThat(entries).extracting(r -> r.getString("field") + ": " + r.getString("from_value") + " -> "
        + r.getString("to_value")).containsExactly("consent.newsletter: true -> false", "consent.events: null -> true");
    assertThat(entries).allSatisfy(r -> {
      assertThat(r.getString("actor")).isEqualTo("intake");
      assertThat(r.getString("reason")).isEqualTo("consent changed by a submission to form open");
    });
    // Sent again, it changes nothing: no new entries.
    unsigned("{\"fields\": {\"email\": \"ada.lovelace@example.com\"}, \"consent\": {\"newsletter\": false}}");
    assertThat(count("SELECT count(*) FROM lead_timeline WHERE field LIKE 'consent.%'")).isEqualTo(2);
  }

  @Test
  void theLeadViewShowsAConsentChangeWithItsBooleanValues() {
    String ada = adaSignedUp();
    String lead = row("SELECT id::text AS id FROM leads WHERE contact_id = $1", UUID.fromString(ada)).getString("id");

    unsigned("{\"fields\": {\"email\": \"ada.lovelace@example.com\"}, \"consent\": {\"newsletter\": false}}");

    // GET /v1/leads/{id} belongs to lead-management: read through the service and view that route uses.
    LeadService.LeadWithTimeline read = new LeadService(TestDatabase.database()).get(UUID.fromString(lead)).await();
    JsonObject entry = JsonViews.lead(read.lead(), read.timeline(), read.scores()).getJsonArray("timeline")
        .getJsonObject(1);
    assertThat(entry.getString("field")).isEqualTo("consent.newsletter");
    assertThat(entry.getValue("from")).isEqualTo(true);
    assertThat(entry.getValue("to")).isEqualTo(false);
  }

  @Test
  void anAnonymousCallerLearnsNothingAboutWhatExists() {
    adaSignedUp();

    JsonObject known = body(unsigned("{\"submissionId\": \"s-1\", \"fields\": {\"email\": \"ada.lovelace@example.com\"}}"));
    JsonObject unknown = body(unsigned("{\"submissionId\": \"s-2\", \"fields\": {\"email\": \"grace@example.com\"}}"));

    JsonObject expected = new JsonObject().put("status", "accepted").put("submissionId", "s-1").putNull("contact")
        .putNull("lead").putNull("interactionId").put("replayed", false);
    assertThat(known).isEqualTo(expected);
    assertThat(unknown).isEqualTo(expected.copy().put("submissionId", "s-2"));
  }

  @Test
  void everyFirstAnonymousSubmissionIs201WhateverItCreatedAndAReplayIs200() {
    adaSignedUp();
    String existing = "{\"submissionId\": \"s-1\", \"fields\": {\"email\": \"ada.lovelace@example.com\"}}";

    assertThat(unsigned(existing).getStatusCode()).isEqualTo(201);
    APIGatewayV2HTTPResponse replay = unsigned(existing);
    assertThat(replay.getStatusCode()).isEqualTo(200);
    assertThat(body(replay).getBoolean("replayed")).isTrue();
    assertThat(body(replay).getValue("contact")).isNull();

    createForm("log-only", """
        {"name": "Survey", "kind": "marketing_page", "requireSignature": false, "updateMode": "no_update"}""");
    APIGatewayV2HTTPResponse stored = call(submission("log-only").json("{\"fields\": {\"rating\": \"5\"}}").build());
    assertThat(stored.getStatusCode()).isEqualTo(201);
    assertThat(body(stored).getString("status")).isEqualTo("accepted");
  }

  @Test
  void anAnonymousCallerGetsWarningsAboutItsInputButNoneAboutStoredData() {
    createForm("leads-only", """
        {"name": "Leads", "kind": "marketing_page", "requireSignature": false, "updateMode": "only_leads"}""");

    JsonObject result = body(call(submission("leads-only")
        .json("{\"fields\": {\"email\": \"grace@example.com\", \"firstname\": \"Grace\"}}").build()));

    assertThat(result.getJsonArray("warnings").getList()).containsExactly(
        "firstname: not a standard field; did you mean firstName? It was kept as a custom attribute.");
    // The submission log, for the marketing team, still says what happened.
    JsonObject logged = body(submissionLog("leads-only")).getJsonArray("items").getJsonObject(0);
    assertThat(logged.getJsonArray("warnings").getList()).hasSize(2);
    assertThat(logged.getJsonObject("outcome").getJsonObject("lead").getBoolean("created")).isTrue();
  }

  @Test
  void aFilledHoneypotOnAnOpenFormIsAnsweredLikeAnyAcceptedAnonymousSubmission() {
    patchForm("open", "{\"honeypotField\": \"website\"}");
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse response = unsigned("{\"fields\": {\"email\": \"bot@example.com\", \"website\": \"x\"}}");

    assertThat(response.getStatusCode()).isEqualTo(201);
    assertThat(body(response).getString("status")).isEqualTo("accepted");
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void theSettingDefaultsToFillEmptyAndRefusesOtherValues() {
    assertThat(body(getForm("open")).getString("unsignedUpdates")).isEqualTo("fill_empty");
    Map<String, Long> before = tableCounts();

    assertThat(invalidFields(putForm("open", """
        {"name": "Open page", "kind": "marketing_page", "unsignedUpdates": "always"}"""))).containsExactly("unsignedUpdates");
    assertThat(invalidFields(patchForm("open", "{\"unsignedUpdates\": true}"))).containsExactly("unsignedUpdates");

    assertThat(tableCounts()).isEqualTo(before);
    assertThat(body(patchForm("open", "{\"unsignedUpdates\": \"overwrite\"}")).getString("unsignedUpdates"))
        .isEqualTo("overwrite");
    assertThat(body(patchForm("open", "{\"unsignedUpdates\": null}")).getString("unsignedUpdates"))
        .isEqualTo("fill_empty");
  }
}
