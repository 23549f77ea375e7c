package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a matching submission may change, per form: the four update modes, lead generation, custom strategies. */
class UpdateModesHandlerTest extends FormIntakeHarness {

  private static final String FIRST = """
      {"fields": {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", "plan": "basic"}}""";
  private static final String SECOND = """
      {"fields": {"email": "ADA@example.com ", "firstName": "Augusta", "plan": "premium"}}""";

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  /** Creates a page with {@code updateMode}, submits FIRST then SECOND, and returns both results. */
  private JsonObject[] submitTwiceWith(String updateMode) {
    String secret = createForm("page", "{\"name\":\"Page\",\"kind\":\"marketing_page\",\"updateMode\":\"" + updateMode + "\"}");
    APIGatewayV2HTTPResponse first = submit("page", secret, FIRST);
    assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(201);
    APIGatewayV2HTTPResponse second = submit("page", secret, SECOND);
    assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(200);
    JsonObject[] results = {body(first), body(second)};
    assertThat(contactId(results[1])).isEqualTo(contactId(results[0]));
    assertThat(leadId(results[1])).isEqualTo(leadId(results[0]));
    assertThat(results[1].getJsonObject("contact").getBoolean("created")).isFalse();
    assertThat(results[1].getJsonObject("lead").getBoolean("created")).isFalse();
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    // Every mode still records the interaction, on the matched contact.
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(2);
    assertThat(interactionRow(results[1].getString("interactionId")).getString("contact_id"))
        .isEqualTo(contactId(results[0]));
    return results;
  }

  @Test
  void contactsAndLeadsUpdatesBoth() {
    JsonObject[] r = submitTwiceWith("contacts_and_leads");

    assertThat(r[1].getJsonObject("contact").getBoolean("updated")).isTrue();
    assertThat(r[1].getJsonObject("lead").getBoolean("updated")).isTrue();
    Row contact = contactRow(contactId(r[0]));
    assertThat(contact.getString("first_name")).isEqualTo("Augusta");
    assertThat(contact.getString("last_name")).isEqualTo("Lovelace");
    assertThat(contact.getJsonObject("attributes").getString("plan")).isEqualTo("premium");
    JsonObject submitted = leadRow(leadId(r[0])).getJsonObject("submitted_fields");
    assertThat(submitted.getString("firstName")).isEqualTo("Augusta");
    assertThat(submitted.getString("lastName")).isEqualTo("Lovelace");
    assertThat(submitted.getString("plan")).isEqualTo("premium");
  }

  @Test
  void onlyContactsUpdatesTheContactButNotTheLead() {
    JsonObject[] r = submitTwiceWith("only_contacts");

    assertThat(r[1].getJsonObject("contact").getBoolean("updated")).isTrue();
    assertThat(r[1].getJsonObject("lead").getBoolean("updated")).isFalse();
    Row contact = contactRow(contactId(r[0]));
    assertThat(contact.getString("first_name")).isEqualTo("Augusta");
    assertThat(contact.getJsonObject("attributes").getString("plan")).isEqualTo("premium");
    JsonObject submitted = leadRow(leadId(r[0])).getJsonObject("submitted_fields");
    assertThat(submitted.getString("firstName")).isEqualTo("Ada");
    assertThat(submitted.getString("plan")).isEqualTo("basic");
  }

  @Test
  void onlyLeadsUpdatesTheLeadButNotTheContact() {
    JsonObject[] r = submitTwiceWith("only_leads");

    assertThat(r[1].getJsonObject("contact").getBoolean("updated")).isFalse();
    assertThat(r[1].getJsonObject("lead").getBoolean("updated")).isTrue();
    Row contact = contactRow(contactId(r[0]));
    assertThat(contact.getString("first_name")).isEqualTo("Ada");
    assertThat(contact.getString("email")).isEqualTo("ada@example.com");
    assertThat(contact.getJsonObject("attributes").getString("plan")).isEqualTo("basic");
    JsonObject submitted = leadRow(leadId(r[0])).getJsonObject("submitted_fields");
    assertThat(submitted.getString("firstName")).isEqualTo("Augusta");
    assertThat(submitted.getString("lastName")).isEqualTo("Lovelace");
    assertThat(submitted.getString("plan")).isEqualTo("premium");
  }

  @Test
  void noUpdateChangesNeitherButStillLinksTheInteractionToTheMatchedContact() {
    JsonObject[] r = submitTwiceWith("no_update");

    assertThat(r[1].getJsonObject("contact").getBoolean("updated")).isFalse();
    assertThat(r[1].getJsonObject("lead").getBoolean("updated")).isFalse();
    Row contact = contactRow(contactId(r[0]));
    assertThat(contact.getString("first_name")).isEqualTo("Ada");
    assertThat(contact.getString("email")).isEqualTo("ada@example.com");
    assertThat(contact.getJsonObject("attributes").getString("plan")).isEqualTo("basic");
    JsonObject submitted = leadRow(leadId(r[0])).getJsonObject("submitted_fields");
    assertThat(submitted.getString("firstName")).isEqualTo("Ada");
    assertThat(submitted.getString("plan")).isEqualTo("basic");
    // The interaction keeps what was submitted, attributed to the matched contact, which is marked for rescoring.
    Row interaction = interactionRow(r[1].getString("interactionId"));
    assertThat(interaction.getString("type")).isEqualTo("form_submitted");
    assertThat(interaction.getJsonObject("payload").getJsonObject("fields").getString("firstName")).isEqualTo("Augusta");
    assertThat(count("SELECT count(*) FROM contacts_to_rescore WHERE contact_id = '" + contactId(r[0]) + "'")).isEqualTo(1);
  }

  @Test
  void noUpdateStillLinksANewLeadToTheExistingContact() {
    String pageSecret = createPage("first-page");
    String noUpdateSecret = createForm("second-page",
        "{\"name\":\"Second\",\"kind\":\"marketing_page\",\"updateMode\":\"no_update\"}");
    JsonObject first = body(submit("first-page", pageSecret, FIRST));

    APIGatewayV2HTTPResponse response = submit("second-page", noUpdateSecret, SECOND);

    assertThat(response.getStatusCode()).isEqualTo(201);
    JsonObject second = body(response);
    assertThat(second.getJsonObject("contact").getBoolean("created")).isFalse();
    assertThat(second.getJsonObject("lead").getBoolean("created")).isTrue();
    assertThat(contactId(second)).isEqualTo(contactId(first));
    assertThat(leadRow(leadId(second)).getString("contact_id")).isEqualTo(contactId(first));
    assertThat(leadRow(leadId(second)).getString("context_id")).isEqualTo("second-page");
    assertThat(contactRow(contactId(first)).getString("first_name")).isEqualTo("Ada");
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
