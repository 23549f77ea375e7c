package io.leadcycle.functions.formintake;

import io.leadcycle.http.StandardWebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Marketing-page submissions and event registrations through the handler, checked in the database. */
class SubmissionsHandlerTest extends FormIntakeHarness {

  private String secret;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    secret = createForm("spring-webinar", "{\"name\":\"Spring webinar\",\"kind\":\"marketing_page\"}");
  }

  @Test
  void aSignedJsonSubmissionCreatesContactLeadInteractionAndRescoringMark() {
    APIGatewayV2HTTPResponse response = submit("spring-webinar", secret, """
        {"submissionId": "sub-1", "submittedAt": "2026-03-01T09:30:00Z",
         "fields": {"email": "  Ada.Lovelace@Example.COM ", "firstName": "Ada", "lastName": "Lovelace",
                    "phone": "+44 20 7946 0000", "companyName": "Analytical Engines", "jobTitle": "CTO",
                    "country": "GB"},
         "consent": {"marketingEmail": true}}""");

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    assertThat(contentType(response)).isEqualTo("application/json");
    JsonObject result = body(response);
    assertThat(result.getString("submissionId")).isEqualTo("sub-1");
    assertThat(result.getBoolean("replayed")).isFalse();
    assertThat(result.getJsonObject("contact").getBoolean("created")).isTrue();
    assertThat(result.getJsonObject("contact").getBoolean("updated")).isFalse();
    assertThat(result.getJsonObject("lead").getBoolean("created")).isTrue();
    assertThat(result.getJsonObject("lead").getBoolean("updated")).isFalse();
    String contactId = contactId(result);
    String leadId = leadId(result);
    String interactionId = result.getString("interactionId");
    assertThat(interactionId).isNotNull();

    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    Row contact = contactRow(contactId);
    assertThat(contact.getString("email")).isEqualTo("Ada.Lovelace@Example.COM");
    assertThat(contact.getString("email_norm")).isEqualTo("ada.lovelace@example.com");
    assertThat(contact.getString("first_name")).isEqualTo("Ada");
    assertThat(contact.getString("last_name")).isEqualTo("Lovelace");
    assertThat(contact.getString("phone")).isEqualTo("+44 20 7946 0000");
    assertThat(contact.getString("company_name")).isEqualTo("Analytical Engines");
    assertThat(contact.getString("job_title")).isEqualTo("CTO");
    assertThat(contact.getString("country")).isEqualTo("GB");
    assertThat(contact.getJsonObject("consent").getBoolean("marketingEmail")).isTrue();

    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    Row lead = leadRow(leadId);
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    assertThat(lead.getString("status")).isEqualTo("open");
    assertThat(lead.getString("context_kind")).isEqualTo("marketing_page");
    assertThat(lead.getString("context_id")).isEqualTo("spring-webinar");
    assertThat(lead.getString("context_name")).isEqualTo("Spring webinar");
    assertThat(lead.getString("topic")).isEqualTo("Spring webinar");
    assertThat(lead.getString("contact_id")).isEqualTo(contactId);
    assertThat(lead.getJsonObject("submitted_fields").getString("firstName")).isEqualTo("Ada");
    // Its timeline starts with its creation, and lead.created announces it.
    Row created = row("SELECT actor, reason, to_value FROM lead_timeline WHERE lead_id = '" + leadId + "'");
    assertThat(created.getString("actor")).isEqualTo("intake");
    assertThat(created.getString("reason")).isEqualTo("submitted to form spring-webinar");
    assertThat(created.getString("to_value")).isEqualTo("inquiry");
    Row event = row("SELECT type, payload FROM outbox WHERE lead_id = '" + leadId + "'");
    assertThat(event.getString("type")).isEqualTo("lead.created");
    assertThat(event.getJsonObject("payload").getJsonObject("lead").getString("contactId")).isEqualTo(contactId);
    assertThat(event.getJsonObject("payload").getJsonObject("lead").getJsonObject("context"))
        .isEqualTo(new JsonObject().put("kind", "marketing_page").put("id", "spring-webinar").put("name", "Spring webinar"));

    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(1);
    Row interaction = interactionRow(interactionId);
    assertThat(interaction.getString("type")).isEqualTo("form_submitted");
    assertThat(interaction.getString("contact_id")).isEqualTo(contactId);
    assertThat(interaction.getString("context_kind")).isEqualTo("marketing_page");
    assertThat(interaction.getString("context_id")).isEqualTo("spring-webinar");
    assertThat(interaction.getString("source_key")).isEqualTo("form:spring-webinar:sub-1");
    assertThat(interaction.getOffsetDateTime("occurred_at").toInstant()).isEqualTo(Instant.parse("2026-03-01T09:30:00Z"));

    assertThat(query("SELECT contact_id FROM contacts_to_rescore").iterator().next().getUUID(0))
        .isEqualTo(UUID.fromString(contactId));
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);
    assertThat(row("SELECT status, response FROM intake_receipts WHERE form_id = 'spring-webinar' AND submission_key = 'sub-1'")
        .getInteger("status")).isEqualTo(201);
  }

  @Test
  void withoutSubmissionIdTheWebhookIdIsTheSubmissionId() {
    APIGatewayV2HTTPResponse response = call(submission("spring-webinar")
        .json("{\"fields\":{\"email\":\"ada@example.com\"}}")
        .signed(secret, "msg_2fQh1", Instant.now())
        .build());
    assertThat(response.getStatusCode()).isEqualTo(201);
    JsonObject result = body(response);
    assertThat(result.getString("submissionId")).isEqualTo("msg_2fQh1");
    assertThat(interactionRow(result.getString("interactionId")).getString("source_key"))
        .isEqualTo("form:spring-webinar:msg_2fQh1");
  }

  @Test
  void aFormThatDoesNotRequireSignaturesAcceptsUnsignedSubmissions() {
    createForm("open-page", "{\"name\":\"Open page\",\"kind\":\"marketing_page\",\"requireSignature\":false}");

    APIGatewayV2HTTPResponse response = call(submission("open-page")
        .json("{\"submissionId\":\"u-1\",\"fields\":{\"email\":\"unsigned@example.com\"}}").build());

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    // The anonymous answer carries no ids (UnsignedSubmissionsHandlerTest); the rows are there.
    assertThat(body(response).getString("status")).isEqualTo("accepted");
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'unsigned@example.com'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads WHERE context_id = 'open-page'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM interactions WHERE source_key = 'form:open-page:u-1'")).isEqualTo(1);
    // A form that does require signatures still refuses the same unsigned request.
    assertProblem(call(submission("spring-webinar")
        .json("{\"submissionId\":\"u-1\",\"fields\":{\"email\":\"unsigned@example.com\"}}").build()), 401);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void anUnsignedSubmissionWithoutSubmissionIdStillWorksAndEachIsItsOwnSubmission() {
    createForm("open-page", "{\"name\":\"Open page\",\"kind\":\"marketing_page\",\"requireSignature\":false}");
    String json = "{\"fields\":{\"email\":\"unsigned@example.com\"}}";

    APIGatewayV2HTTPResponse first = call(submission("open-page").json(json).build());
    APIGatewayV2HTTPResponse second = call(submission("open-page").json(json).build());

    // Both are first submissions: an anonymous caller gets 201 either way.
    assertThat(first.getStatusCode()).isEqualTo(201);
    assertThat(second.getStatusCode()).isEqualTo(201);
    assertThat(body(first).getString("submissionId")).isNotBlank().isNotEqualTo(body(second).getString("submissionId"));
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(2);
  }

  @Test
  void anyOfSeveralSignaturesMayMatchDuringKeyRotation() {
    String json = "{\"fields\":{\"email\":\"rotating@example.com\"}}";
    long now = Instant.now().getEpochSecond();
    byte[] raw = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String oldKey = io.leadcycle.http.StandardWebhooks.sign(io.leadcycle.http.StandardWebhooks.newSecret(), "msg_rot", now, raw);
    String current = io.leadcycle.http.StandardWebhooks.sign(secret, "msg_rot", now, raw);

    APIGatewayV2HTTPResponse response = call(submission("spring-webinar").json(json)
        .header("webhook-id", "msg_rot")
        .header("webhook-timestamp", Long.toString(now))
        .header("webhook-signature", oldKey + " " + current)
        .build());

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'rotating@example.com'")).isEqualTo(1);
  }

  @Test
  void anEventRegistrationRecordsEventRegisteredAndAnEventLead() {
    String eventSecret = createForm("expo-2026", "{\"name\":\"Expo 2026\",\"kind\":\"event\"}");

    APIGatewayV2HTTPResponse response = call(registration("expo-2026")
        .json("{\"fields\":{\"email\":\"grace@example.com\",\"firstName\":\"Grace\"}}")
        .signed(eventSecret)
        .build());

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    JsonObject result = body(response);
    Row lead = leadRow(leadId(result));
    assertThat(lead.getString("context_kind")).isEqualTo("event");
    assertThat(lead.getString("context_id")).isEqualTo("expo-2026");
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    assertThat(lead.getString("contact_id")).isEqualTo(contactId(result));
    Row interaction = interactionRow(result.getString("interactionId"));
    assertThat(interaction.getString("type")).isEqualTo("event_registered");
    assertThat(interaction.getString("context_kind")).isEqualTo("event");
    assertThat(interaction.getString("context_id")).isEqualTo("expo-2026");
    assertThat(interaction.getString("contact_id")).isEqualTo(contactId(result));
  }

  @Test
  void anEventIdUnderFormsSubmissionsIs404AndAPageUnderEventsIs404() {
    String eventSecret = createForm("expo-2026", "{\"name\":\"Expo 2026\",\"kind\":\"event\"}");
    Map<String, Long> before = tableCounts();

    assertProblem(call(submission("expo-2026")
        .json("{\"fields\":{\"email\":\"grace@example.com\"}}").signed(eventSecret).build()), 404);
    assertProblem(call(registration("spring-webinar")
        .json("{\"fields\":{\"email\":\"grace@example.com\"}}").signed(secret).build()), 404);

    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aFormEncodedBase64BodyWorks() {
    APIGatewayV2HTTPEvent event = submission("spring-webinar")
        .formEncoded("email=Ada%40Example.com&firstName=Ada+Augusta&submissionId=form-sub-7&favouriteColour=blue")
        .signed(secret)
        .build();
    assertThat(event.getIsBase64Encoded()).isTrue();

    APIGatewayV2HTTPResponse response = call(event);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    JsonObject result = body(response);
    assertThat(result.getString("submissionId")).isEqualTo("form-sub-7");
    Row contact = contactRow(contactId(result));
    assertThat(contact.getString("email_norm")).isEqualTo("ada@example.com");
    assertThat(contact.getString("first_name")).isEqualTo("Ada Augusta");
    // submissionId is the idempotency key, not a contact attribute.
    assertThat(contact.getJsonObject("attributes").getMap()).containsExactly(Map.entry("favouriteColour", "blue"));
    assertThat(interactionRow(result.getString("interactionId")).getString("source_key"))
        .isEqualTo("form:spring-webinar:form-sub-7");
    assertThat(leadRow(leadId(result)).getString("context_id")).isEqualTo("spring-webinar");
  }

  @Test
  void theSameEmailInAnotherCaseMatchesTheSameContactAndLeadAndAMissingFieldNeverBlanksAStoredOne() {
    JsonObject first = body(submit("spring-webinar", secret, """
        {"fields": {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace",
                    "phone": "+44 20 7946 0000", "companyName": "Analytical Engines"}}"""));

    APIGatewayV2HTTPResponse response = submit("spring-webinar", secret, """
        {"fields": {"email": "  ADA@Example.COM ", "firstName": "Augusta", "jobTitle": "Countess"}}""");

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    JsonObject second = body(response);
    assertThat(contactId(second)).isEqualTo(contactId(first));
    assertThat(leadId(second)).isEqualTo(leadId(first));
    assertThat(second.getJsonObject("contact").getBoolean("created")).isFalse();
    assertThat(second.getJsonObject("contact").getBoolean("updated")).isTrue();
    assertThat(second.getJsonObject("lead").getBoolean("created")).isFalse();
    assertThat(second.getJsonObject("lead").getBoolean("updated")).isTrue();
    assertThat(second.getString("interactionId")).isNotEqualTo(first.getString("interactionId"));

    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM interactions WHERE contact_id = '" + contactId(first) + "'")).isEqualTo(2);

    JsonObject contact = contactView(contactId(first));
    assertThat(contact.getString("firstName")).isEqualTo("Augusta");
    assertThat(contact.getString("jobTitle")).isEqualTo("Countess");
    // Not sent the second time: kept, never blanked.
    assertThat(contact.getString("lastName")).isEqualTo("Lovelace");
    assertThat(contact.getString("phone")).isEqualTo("+44 20 7946 0000");
    assertThat(contact.getString("companyName")).isEqualTo("Analytical Engines");
    assertThat(contact.getJsonArray("leadIds")).containsExactly(leadId(first));
    assertThat(contactRow(contactId(first)).getString("email_norm")).isEqualTo("ada@example.com");

    JsonObject submitted = leadRow(leadId(first)).getJsonObject("submitted_fields");
    assertThat(submitted.getString("firstName")).isEqualTo("Augusta");
    assertThat(submitted.getString("lastName")).isEqualTo("Lovelace");
    assertThat(submitted.getString("jobTitle")).isEqualTo("Countess");
  }

  @Test
  void anIdenticalResubmissionUpdatesNothingButIsStillRecorded() {
    String json = "{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ada\"}}";
    JsonObject first = body(submit("spring-webinar", secret, json));

    APIGatewayV2HTTPResponse response = submit("spring-webinar", secret, json);

    assertThat(response.getStatusCode()).isEqualTo(200);
    JsonObject second = body(response);
    assertThat(second.getJsonObject("contact").getBoolean("updated")).isFalse();
    assertThat(second.getJsonObject("lead").getBoolean("updated")).isFalse();
    assertThat(second.getBoolean("replayed")).isFalse();
    assertThat(contactId(second)).isEqualTo(contactId(first));
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(2);
  }

  @Test
  void extraFieldsBecomeContactAttributes() {
    JsonObject result = body(submit("spring-webinar", secret, """
        {"fields": {"email": "ada@example.com", "favouriteColour": "green", "newsletter": true, "seats": 3}}"""));

    JsonObject contact = contactView(contactId(result));
    assertThat(contact.getJsonObject("attributes").getMap())
        .containsOnly(Map.entry("favouriteColour", "green"), Map.entry("newsletter", "true"), Map.entry("seats", "3"));
    assertThat(contact.getString("email")).isEqualTo("ada@example.com");
    assertThat(contactRow(contactId(result)).getJsonObject("attributes").getString("favouriteColour")).isEqualTo("green");

    // A later submission adds attributes and overwrites the ones it carries, keeping the others.
    submit("spring-webinar", secret, "{\"fields\": {\"email\": \"ada@example.com\", \"favouriteColour\": \"red\"}}");
    assertThat(contactView(contactId(result)).getJsonObject("attributes").getMap())
        .containsOnly(Map.entry("favouriteColour", "red"), Map.entry("newsletter", "true"), Map.entry("seats", "3"));
  }
}
