package io.leadcycle.functions.linkedinsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.HttpEvents;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Form mappings, the proposal read from LinkedIn, the sync status and its reset, and bad input. */
class LinkedInMappingsHandlerTest extends LinkedInHarness {

  private APIGatewayV2HTTPResponse get(String encodedUrn) {
    return call(HttpEvents.management("GET /v1/linkedin/forms/{formUrn}", "/v1/linkedin/forms/" + encodedUrn)
        .pathParameter("formUrn", encodedUrn).build());
  }

  private APIGatewayV2HTTPResponse propose(String encodedUrn) {
    return call(HttpEvents.management("POST /v1/linkedin/forms/{formUrn}/propose",
        "/v1/linkedin/forms/" + encodedUrn + "/propose").pathParameter("formUrn", encodedUrn).build());
  }

  @Test
  void aMappingIsCreatedReplacedReadAndListedWithItsDefaults() {
    JsonObject created = created(putMapping(MAPPING));
    assertThat(created.getString("formUrn")).isEqualTo(FakeLinkedIn.FORM_URN);
    assertThat(created.getString("contactStrategyId")).isEqualTo("default-contact");
    assertThat(created.getString("leadStrategyId")).isEqualTo("default-lead");
    assertThat(created.getString("onPartialMatch")).isEqualTo("create");
    assertThat(created.getBoolean("includeTestLeads")).isFalse();

    JsonObject replaced = ok(putMapping(MAPPING.replace("\"name\"", "\"includeTestLeads\": true, \"name\"")));
    assertThat(replaced.getBoolean("includeTestLeads")).isTrue();

    // The URN URL-encoded in the path, as API Gateway may hand it over.
    JsonObject read = ok(get(ENCODED_FORM_URN));
    assertThat(read).isEqualTo(replaced);
    assertThat(read.getJsonObject("fields").fieldNames())
        .containsExactly("FIRST_NAME", "LAST_NAME", "307234246", "JOB_TITLE", "707234246");
    JsonObject list = ok(call(HttpEvents.management("GET /v1/linkedin/forms", "/v1/linkedin/forms").build()));
    assertThat(column(list, "formUrn")).containsExactly(FakeLinkedIn.FORM_URN);
    assertThat(list.getValue("next")).isNull();
  }

  @Test
  void unknownFormsAre404() {
    assertProblem(get(ENCODED_FORM_URN), 404);
    assertProblem(get("not-a-urn"), 404);
    assertProblem(propose("urn%3Ali%3AleadGenForm%3A999"), 404);
  }

  @Test
  void badMappingsAre400NamingEachFieldAndChangeNothing() {
    List<String> fields = invalidFields(putMapping("""
        {"name": "", "fields": {"FAVOURITE_FOOD": "email", "123": "salary", "456": "attributes.1bad",
                                "789": "attributes.email", "111": 42},
         "contactStrategyId": "nope", "onPartialMatch": "maybe", "includeTestLeads": "yes", "colour": "red"}"""));
    assertThat(fields).contains("name", "fields.FAVOURITE_FOOD", "fields.123", "fields.456", "fields.789",
        "fields.111", "onPartialMatch", "includeTestLeads", "colour");
    assertThat(invalidFields(putMapping("{\"name\": \"x\", \"fields\": {}}"))).contains("fields");
    assertThat(invalidFields(putMapping("{\"name\": \"x\", \"fields\": {\"EMAIL\": \"email\"}, "
        + "\"contactStrategyId\": \"missing\", \"leadStrategyId\": \"default-contact\"}")))
        .containsExactlyInAnyOrder("contactStrategyId", "leadStrategyId");
    APIGatewayV2HTTPResponse versioned = call(HttpEvents.management("PUT /v1/linkedin/forms/{formUrn}",
            "/v1/linkedin/forms/x").pathParameter("formUrn", "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:1,1)")
        .json(MAPPING).build());
    assertThat(invalidFields(versioned)).containsExactly("formUrn");
    assertProblem(call(HttpEvents.management("PUT /v1/linkedin/forms/{formUrn}", "/v1/linkedin/forms/x")
        .pathParameter("formUrn", FakeLinkedIn.FORM_URN).formEncoded("name=x").build()), 415);

    assertThat(count("SELECT count(*) FROM linkedin_form_mappings")).isZero();
  }

  @Test
  void aProposalMapsThePredefinedQuestionsOfTheFormAndCanBeSavedAsItIs() {
    JsonObject proposal = ok(propose(ENCODED_FORM_URN));

    assertThat(proposal.getString("name")).isEqualTo("Form with written spanish");
    assertThat(proposal.getJsonObject("fields").getMap()).containsExactly(
        java.util.Map.entry("107234246", "firstName"), java.util.Map.entry("207234246", "lastName"),
        java.util.Map.entry("307234246", "email"), java.util.Map.entry("407234246", "jobTitle"),
        java.util.Map.entry("507234246", "attributes.jobFunction"),
        java.util.Map.entry("607234246", "attributes.workEmail"));
    assertThat(count("SELECT count(*) FROM linkedin_form_mappings")).isZero();
    assertThat(linkedIn.requestsTo("/rest/leadForms/7234246")).hasSize(1);

    JsonObject body = proposal.copy();
    body.remove("formUrn");
    assertThat(created(putMapping(body.encode())).getJsonObject("fields")).isEqualTo(proposal.getJsonObject("fields"));
  }

  @Test
  void aProposalWhileLinkedInRefusesTheTokenIs503WithTheReason() {
    linkedIn.token = "another";
    JsonObject problem = assertProblem(propose(ENCODED_FORM_URN), 503);
    assertThat(problem.getString("detail")).contains("401").doesNotContain(FakeLinkedIn.TOKEN);
  }

  @Test
  void aProposalWithoutAnAccessTokenIs409() {
    java.util.Map<String, String> env = env();
    env.remove("LINKEDIN_ACCESS_TOKEN");
    handler = webhookHandler(env);
    assertThat(assertProblem(propose(ENCODED_FORM_URN), 409).getString("detail")).contains("LINKEDIN_ACCESS_TOKEN");
    assertThat(linkedIn.requests).isEmpty();
  }

  @Test
  void theSyncStatusStartsEmptyAndResetStartsOver() {
    JsonObject status = status();
    assertThat(status.getValue("lastPoll")).isNull();
    assertThat(status.getValue("watermark")).isNull();
    assertThat(status.getValue("lastError")).isNull();
    assertThat(status.getJsonObject("counts").getMap()).containsOnlyKeys("created", "matched", "skippedTestLeads",
        "ignoredPartialMatches", "deleted", "unmapped", "erased").allSatisfy((k, v) -> assertThat(v).isEqualTo(0));

    saved(putMapping(MAPPING));
    linkedIn.add(FakeLinkedIn.lead("s-1", java.time.Instant.now().minusSeconds(30), false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));
    poll();
    assertThat(status().getValue("watermark")).isNotNull();
    assertThat(status().getJsonObject("counts").getLong("created")).isEqualTo(1);

    JsonObject reset = ok(call(HttpEvents.management("POST /v1/linkedin/sync-status/reset",
        "/v1/linkedin/sync-status/reset").build()));
    assertThat(reset.getValue("watermark")).isNull();
    assertThat(reset.getValue("lastPoll")).isNull();
    assertThat(reset.getJsonObject("counts").getLong("created")).isZero();
    // Read again from the start, nothing is taken twice.
    poll();
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }
}
