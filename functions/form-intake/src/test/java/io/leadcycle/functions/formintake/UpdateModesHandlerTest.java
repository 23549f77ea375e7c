package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which records a submission touches, per form: the four update modes, lead generation, custom strategies. */
class UpdateModesHandlerTest extends FormIntakeHarness {

  private static final String FIRST = """
      {"fields": {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", "plan": "basic"}}""";
  private static final String SECOND = """
      {"fields": {"email": "ADA@example.com ", "firstName": "Augusta", "plan": "premium"}}""";

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void contactsAndLeadsMatchesCreatesAndUpdatesBoth() {
    String secret = createForm("page", "{\"name\":\"Page\",\"kind\":\"marketing_page\"}");
    JsonObject first = body(submit("page", secret, FIRST));
    APIGatewayV2HTTPResponse secondResponse = submit("page", secret, SECOND);

    assertThat(secondResponse.getStatusCode()).isEqualTo(200);
    JsonObject second = body(secondResponse);
    assertThat(first.getJsonObject("contact").getBoolean("created")).isTrue();
    assertThat(first.getJsonObject("lead").getBoolean("created")).isTrue();
    assertThat(contactId(second)).isEqualTo(contactId(first));
    assertThat(leadId(second)).isEqualTo(leadId(first));
    assertThat(second.getJsonObject("contact").getBoolean("updated")).isTrue();
    assertThat(second.getJsonObject("lead").getBoolean("updated")).isTrue();
    Row contact = contactRow(contactId(first));
    assertThat(contact.getString("first_name")).isEqualTo("Augusta");
    assertThat(contact.getString("last_name")).isEqualTo("Lovelace");
    assertThat(contact.getJsonObject("attributes").getString("plan")).isEqualTo("premium");
    JsonObject submitted = leadRow(leadId(first)).getJsonObject("submitted_fields");
    assertThat(submitted.getString("firstName")).isEqualTo("Augusta");
    assertThat(submitted.getString("lastName")).isEqualTo("Lovelace");
    assertThat(submitted.getString("plan")).isEqualTo("premium");
    // Both interactions on the one contact.
    assertThat(count("SELECT count(*) FROM interactions WHERE contact_id = '" + contactId(first) + "'")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
  }

  @Test
  void onlyContactsCreatesAndUpdatesTheContactButNeverALead() {
    String secret = createForm("page", "{\"name\":\"Page\",\"kind\":\"marketing_page\",\"updateMode\":\"only_contacts\"}");

    APIGatewayV2HTTPResponse firstResponse = submit("page", secret, FIRST);
    APIGatewayV2HTTPResponse secondResponse = submit("page", secret, SECOND);

    assertThat(firstResponse.getStatusCode()).as(firstResponse.getBody()).isEqualTo(201);
    assertThat(secondResponse.getStatusCode()).isEqualTo(200);
    JsonObject first = body(firstResponse);
    JsonObject second = body(secondResponse);
    assertThat(first.getJsonObject("contact").getBoolean("created")).isTrue();
    assertThat(first.getValue("lead")).isNull();
    assertThat(first.containsKey("lead")).isTrue();
    assertThat(second.getJsonObject("contact").getBoolean("updated")).isTrue();
    assertThat(second.getValue("lead")).isNull();
    assertThat(contactRow(contactId(first)).getString("first_name")).isEqualTo("Augusta");
    assertThat(count("SELECT count(*) FROM leads")).isZero();
    // The interaction is on the contact, which is marked so that its existing leads are rescored.
    assertThat(interactionRow(second.getString("interactionId")).getString("contact_id")).isEqualTo(contactId(first));
    assertThat(count("SELECT count(*) FROM contacts_to_rescore WHERE contact_id = '" + contactId(first) + "'"))
        .isEqualTo(1);
  }

  @Test
  void onlyContactsLeavesTheContactsExistingLeadsAlone() {
    String pageSecret = createPage("first-page");
    String contactsOnly = createForm("newsletter",
        "{\"name\":\"Newsletter\",\"kind\":\"marketing_page\",\"updateMode\":\"only_contacts\"}");
    JsonObject first = body(submit("first-page", pageSecret, FIRST));

    JsonObject second = body(submit("newsletter", contactsOnly, SECOND));

    assertThat(contactId(second)).isEqualTo(contactId(first));
    assertThat(second.getValue("lead")).isNull();
    assertThat(leadRow(leadId(first)).getJsonObject("submitted_fields").getString("firstName")).isEqualTo("Ada");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
  }

  @Test
  void onlyLeadsUsesTheMatchedContactWithoutChangingItAndUpdatesTheLead() {
    String pageSecret = createPage("first-page");
    String leadsOnly = createForm("webinar",
        "{\"name\":\"Webinar\",\"kind\":\"marketing_page\",\"updateMode\":\"only_leads\"}");
    JsonObject known = body(submit("first-page", pageSecret, FIRST));
    Row contactBefore = contactRow(contactId(known));

    JsonObject first = body(submit("webinar", leadsOnly, FIRST));
    JsonObject second = body(submit("webinar", leadsOnly, SECOND));

    assertThat(first.getJsonObject("contact").getMap())
        .containsEntry("id", contactId(known)).containsEntry("created", false).containsEntry("updated", false);
    assertThat(first.getJsonObject("lead").getBoolean("created")).isTrue();
    assertThat(leadId(second)).isEqualTo(leadId(first));
    assertThat(second.getJsonObject("lead").getBoolean("updated")).isTrue();
    assertThat(second.getJsonObject("contact").getBoolean("updated")).isFalse();
    Row lead = leadRow(leadId(first));
    assertThat(lead.getString("contact_id")).isEqualTo(contactId(known));
    assertThat(lead.getString("context_id")).isEqualTo("webinar");
    assertThat(lead.getJsonObject("submitted_fields").getString("plan")).isEqualTo("premium");
    // The contact is never updated by only_leads, not even its updated_at.
    Row contactAfter = contactRow(contactId(known));
    assertThat(contactAfter.getString("first_name")).isEqualTo("Ada");
    assertThat(contactAfter.getJsonObject("attributes").getString("plan")).isEqualTo("basic");
    assertThat(contactAfter.getValue("updated_at")).isEqualTo(contactBefore.getValue("updated_at"));
    // The interaction is on the matched contact.
    assertThat(interactionRow(second.getString("interactionId")).getString("contact_id")).isEqualTo(contactId(known));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void onlyLeadsWithoutAMatchingContactMakesOneContactlessUnscorableLeadPerPerson() {
    String secret = createForm("webinar",
        "{\"name\":\"Webinar\",\"kind\":\"marketing_page\",\"updateMode\":\"only_leads\"}");

    APIGatewayV2HTTPResponse firstResponse = submit("webinar", secret, FIRST);
    APIGatewayV2HTTPResponse secondResponse = submit("webinar", secret, SECOND);
    JsonObject other = body(submit("webinar", secret, "{\"fields\":{\"email\":\"grace@example.com\"}}"));

    assertThat(firstResponse.getStatusCode()).as(firstResponse.getBody()).isEqualTo(201);
    JsonObject first = body(firstResponse);
    JsonObject second = body(secondResponse);
    assertThat(first.getValue("contact")).isNull();
    assertThat(first.getValue("interactionId")).isNull();
    assertThat(first.getJsonObject("lead").getBoolean("created")).isTrue();
    assertThat(first.getJsonArray("warnings").getString(0)).contains("no contact matched");
    // The same unknown person again: the same lead, updated, matched on its own submitted fields.
    assertThat(secondResponse.getStatusCode()).isEqualTo(200);
    assertThat(leadId(second)).isEqualTo(leadId(first));
    assertThat(second.getJsonObject("lead").getBoolean("updated")).isTrue();
    assertThat(leadId(other)).isNotEqualTo(leadId(first));
    Row lead = leadRow(leadId(first));
    assertThat(lead.getValue("contact_id")).isNull();
    assertThat(lead.getValue("account_id")).isNull();
    assertThat(lead.getJsonObject("submitted_fields").getString("firstName")).isEqualTo("Augusta");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    assertThat(count("SELECT count(*) FROM interactions")).isZero();
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isZero();
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(2);
  }

  @Test
  void sixteenConcurrentFirstSubmissionsOfOneUnknownPersonToAnOnlyLeadsFormMakeOneLead() throws Exception {
    // The contact strategy differs from the lead strategy, so the contact key's lock does not serialize
    // these submissions: only the lead key's lock does.
    String strategyId = body(createStrategy(
        "{\"name\":\"Email and last name\",\"entity\":\"contact\",\"fields\":[\"email\",\"lastName\"]}")).getString("id");
    String secret = createForm("webinar", "{\"name\":\"Webinar\",\"kind\":\"marketing_page\",\"updateMode\":\"only_leads\","
        + "\"contactStrategyId\":\"" + strategyId + "\"}");
    List<APIGatewayV2HTTPEvent> events = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      // Different deliveries (each its own webhook-id), one email spelled differently.
      events.add(submission("webinar").json("{\"fields\":{\"email\":\"" + (i % 2 == 0 ? "Solo@Example.com" : " solo@example.com")
          + "\",\"lastName\":\"Name" + i + "\"}}").signed(secret).build());
    }

    List<APIGatewayV2HTTPResponse> responses = callAllAtOnce(events);

    assertThat(responses).extracting(APIGatewayV2HTTPResponse::getStatusCode).containsOnly(200, 201);
    assertThat(responses).filteredOn(r -> r.getStatusCode() == 201).hasSize(1);
    assertThat(responses).extracting(r -> leadId(body(r))).containsOnly(leadId(body(responses.get(0))));
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void noUpdateWritesNothingButTheSubmissionLog() {
    String pageSecret = createPage("first-page");
    String noUpdate = createForm("survey", "{\"name\":\"Survey\",\"kind\":\"marketing_page\",\"updateMode\":\"no_update\"}");
    JsonObject known = body(submit("first-page", pageSecret, FIRST));
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse response = submit("survey", noUpdate, SECOND);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    JsonObject result = body(response);
    assertThat(result.getValue("contact")).isNull();
    assertThat(result.getValue("lead")).isNull();
    assertThat(result.getValue("interactionId")).isNull();
    assertThat(result.getBoolean("replayed")).isFalse();
    Map<String, Long> after = tableCounts();
    assertThat(after.get("intake_receipts")).isEqualTo(before.get("intake_receipts") + 1);
    after.remove("intake_receipts");
    before.remove("intake_receipts");
    assertThat(after).isEqualTo(before);
    assertThat(contactRow(contactId(known)).getString("first_name")).isEqualTo("Ada");
    JsonObject logged = body(submissionLog("survey")).getJsonArray("items").getJsonObject(0);
    assertThat(logged.getJsonObject("fields").getString("firstName")).isEqualTo("Augusta");
    assertThat(logged.getJsonObject("outcome").getString("summary")).contains("no_update");
  }

  @Test
  void noUpdateNeedsNoMatchingFields() {
    String noUpdate = createForm("survey", "{\"name\":\"Survey\",\"kind\":\"marketing_page\",\"updateMode\":\"no_update\"}");

    APIGatewayV2HTTPResponse response = submit("survey", noUpdate, "{\"fields\":{\"answer\":\"42\"}}");

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM intake_receipts WHERE form_id = 'survey'")).isEqualTo(1);
  }

  @Test
  void generateLeadsWithoutMatchingCreatesALeadPerSubmissionButOneContact() {
    String secret = createForm("page",
        "{\"name\":\"Page\",\"kind\":\"marketing_page\",\"generateLeadsWithoutMatching\":true}");
    Set<String> leadIds = new HashSet<>();
    Set<String> contactIds = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      APIGatewayV2HTTPResponse response = submit("page", secret,
          "{\"fields\":{\"email\":\"" + (i == 1 ? " ADA@EXAMPLE.COM" : "ada@example.com") + "\"}}");
      assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
      JsonObject result = body(response);
      assertThat(result.getJsonObject("lead").getBoolean("created")).isTrue();
      assertThat(result.getJsonObject("contact").getBoolean("created")).isEqualTo(i == 0);
      leadIds.add(leadId(result));
      contactIds.add(contactId(result));
    }

    assertThat(leadIds).hasSize(3);
    assertThat(contactIds).hasSize(1);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(3);
    String contactId = contactIds.iterator().next();
    assertThat(count("SELECT count(*) FROM leads WHERE contact_id = '" + contactId
        + "' AND context_id = 'page' AND stage = 'inquiry'")).isEqualTo(3);
    assertThat(contactView(contactId).getJsonArray("leadIds")).hasSize(3);
  }

  @Test
  void aCustomContactStrategyOnEmailAndLastNameSeparatesPeopleSharingAnEmail() {
    APIGatewayV2HTTPResponse strategy = createStrategy(
        "{\"name\":\"Email and last name\",\"entity\":\"contact\",\"fields\":[\"email\",\"lastName\"]}");
    assertThat(strategy.getStatusCode()).isEqualTo(201);
    String strategyId = body(strategy).getString("id");
    String secret = createForm("page",
        "{\"name\":\"Page\",\"kind\":\"marketing_page\",\"contactStrategyId\":\"" + strategyId + "\"}");

    JsonObject lovelace = body(submit("page", secret,
        "{\"fields\":{\"email\":\"family@example.com\",\"lastName\":\"Lovelace\",\"firstName\":\"Ada\"}}"));
    APIGatewayV2HTTPResponse byronResponse = submit("page", secret,
        "{\"fields\":{\"email\":\"family@example.com\",\"lastName\":\"Byron\",\"firstName\":\"George\"}}");
    assertThat(byronResponse.getStatusCode()).as(byronResponse.getBody()).isEqualTo(201);
    JsonObject byron = body(byronResponse);
    assertThat(byron.getJsonObject("contact").getBoolean("created")).isTrue();
    assertThat(contactId(byron)).isNotEqualTo(contactId(lovelace));
    assertThat(contactRow(contactId(byron)).getString("last_name")).isEqualTo("Byron");
    assertThat(contactRow(contactId(lovelace)).getString("last_name")).isEqualTo("Lovelace");
    assertThat(contactRow(contactId(lovelace)).getString("first_name")).isEqualTo("Ada");
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(2);

    // Both fields compared normalized: the first person again, however the page spells it.
    APIGatewayV2HTTPResponse lovelaceAgain = submit("page", secret,
        "{\"fields\":{\"email\":\"FAMILY@example.com\",\"lastName\":\"  LOVELACE \"}}");
    assertThat(lovelaceAgain.getStatusCode()).isEqualTo(200);
    assertThat(contactId(body(lovelaceAgain))).isEqualTo(contactId(lovelace));
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'family@example.com'")).isEqualTo(2);
    // Each interaction is attributed to the person who submitted it.
    assertThat(interactionRow(byron.getString("interactionId")).getString("contact_id")).isEqualTo(contactId(byron));
  }

  @Test
  void aSecondPersonSharingAnEmailGetsTheirOwnLeadAndLeavesTheFirstPersonsLeadAlone() {
    String strategyId = body(createStrategy(
        "{\"name\":\"Email and last name\",\"entity\":\"contact\",\"fields\":[\"email\",\"lastName\"]}")).getString("id");
    String secret = createForm("page",
        "{\"name\":\"Page\",\"kind\":\"marketing_page\",\"contactStrategyId\":\"" + strategyId + "\"}");
    JsonObject lovelace = body(submit("page", secret,
        "{\"fields\":{\"email\":\"family@example.com\",\"lastName\":\"Lovelace\",\"firstName\":\"Ada\"}}"));

    JsonObject byron = body(submit("page", secret,
        "{\"fields\":{\"email\":\"family@example.com\",\"lastName\":\"Byron\",\"firstName\":\"George\"}}"));

    assertThat(contactId(byron)).isNotEqualTo(contactId(lovelace));
    // The lead in the answer belongs to the contact in the answer.
    assertThat(leadRow(leadId(byron)).getString("contact_id")).isEqualTo(contactId(byron));
    assertThat(contactView(contactId(byron)).getJsonArray("leadIds")).containsExactly(leadId(byron));
    // One person's submission never rewrites another person's lead.
    JsonObject lovelaceFields = leadRow(leadId(lovelace)).getJsonObject("submitted_fields");
    assertThat(lovelaceFields.getString("lastName")).isEqualTo("Lovelace");
    assertThat(lovelaceFields.getString("firstName")).isEqualTo("Ada");
  }

  @Test
  void aContactStrategyFieldIsRequiredInSubmissions() {
    String strategyId = body(createStrategy(
        "{\"name\":\"Email and last name\",\"entity\":\"contact\",\"fields\":[\"email\",\"lastName\"]}")).getString("id");
    String secret = createForm("page",
        "{\"name\":\"Page\",\"kind\":\"marketing_page\",\"contactStrategyId\":\"" + strategyId + "\"}");

    JsonObject problem = assertProblem(submit("page", secret, "{\"fields\":{\"email\":\"family@example.com\"}}"), 400);

    assertThat(errorFields(problem)).containsExactly("fields.lastName");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }
}
