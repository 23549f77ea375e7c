package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every {@code /v1/contacts} route through the handler: create, read, find by email, merge-patch. */
class ContactsHandlerTest extends LeadManagementHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    createPage("spring-webinar");
  }

  @Test
  void postCreatesAContactThatGetShowsTheSame() {
    APIGatewayV2HTTPResponse response = postContact("""
        {"email": "  Ada.Lovelace@Example.COM ", "firstName": "Ada", "lastName": "Lovelace", "country": "GB",
         "attributes": {"favouriteColour": "green", "seats": 3}}""");

    JsonObject contact = created(response);
    assertThat(UUID.fromString(contact.getString("id"))).isNotNull();
    assertThat(contact.getString("email")).isEqualTo("Ada.Lovelace@Example.COM");
    assertThat(contact.getString("firstName")).isEqualTo("Ada");
    assertThat(contact.getString("lastName")).isEqualTo("Lovelace");
    assertThat(contact.getString("country")).isEqualTo("GB");
    assertThat(contact.getString("phone")).isNull();
    assertThat(contact.getString("accountId")).isNull();
    assertThat(contact.getJsonObject("attributes").getMap())
        .containsOnly(Map.entry("favouriteColour", "green"), Map.entry("seats", "3"));
    assertThat(contact.getJsonArray("leadIds")).isEmpty();
    assertThat(row("SELECT email_norm FROM contacts WHERE id = $1", uuid(contact.getString("id")))
        .getString("email_norm")).isEqualTo("ada.lovelace@example.com");

    // GET shows the same, and (only there) the consent history: none, as the API sets no consent.
    assertThat(ok(getContact(contact.getString("id")))).isEqualTo(contact.copy().put("consentHistory",
        new io.vertx.core.json.JsonArray()));
  }

  @Test
  void aContactShowsTheSegmentsItIsIn() {
    JsonObject contact = createContact("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}");
    assertThat(contact.getJsonArray("segments")).isEmpty();
    String id = contact.getString("id");
    var segments = new io.leadcycle.segmentation.SegmentService(TestDatabase.database(), java.time.Clock.systemUTC());
    var fair = segments.create(io.leadcycle.segments.SegmentParser.segment(
        Map.of("name", "Fair visitors", "kind", "static"))).await();
    segments.addMembers(fair.id(), java.util.List.of(UUID.fromString(id))).await();
    assertThat(ok(getContact(id)).getJsonArray("segments")).containsExactly(
        new JsonObject().put("id", fair.id().toString()).put("name", "Fair visitors"));
  }

  @Test
  void aSecondContactWithTheSameEmailIs409NamingTheExistingOne() {
    JsonObject first = createContact("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}");

    APIGatewayV2HTTPResponse response = postContact("{\"email\": \" ADA@Example.com\", \"firstName\": \"Augusta\"}");

    JsonObject problem = assertProblem(response, 409);
    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:conflict");
    assertThat(problem.getString("existingId")).isEqualTo(first.getString("id"));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(ok(getContact(first.getString("id"))).getString("firstName")).isEqualTo("Ada");
  }

  @Test
  void unknownFieldsAre400NamingEachOfThem() {
    APIGatewayV2HTTPResponse response = postContact(
        "{\"email\": \"ada@example.com\", \"fax\": \"+44 20 7946 0001\", \"nickname\": \"Ada\"}");

    assertThat(invalidFields(response)).containsExactlyInAnyOrder("fax", "nickname");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void contactsAreFoundByEmailCaseInsensitivelyWithTheirOpenLeads() {
    createPage("autumn-offer");
    JsonObject spring = submit("spring-webinar", "{\"fields\":{\"email\":\"ada@example.com\"}}");
    JsonObject autumn = submit("autumn-offer", "{\"fields\":{\"email\":\"Ada@example.com\"}}");
    submit("spring-webinar", "{\"fields\":{\"email\":\"someone.else@example.com\"}}");
    assertThat(contactId(autumn)).isEqualTo(contactId(spring));
    assertThat(leadId(autumn)).isNotEqualTo(leadId(spring));
    assertThat(autumn.getJsonObject("lead").getBoolean("created")).isTrue();

    APIGatewayV2HTTPResponse response = findContacts("  ADA@EXAMPLE.com");

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    JsonArray items = body(response).getJsonArray("items");
    assertThat(items).hasSize(1);
    JsonObject contact = items.getJsonObject(0);
    assertThat(contact.getString("id")).isEqualTo(contactId(spring));
    assertThat(contact.getJsonArray("leadIds")).containsExactlyInAnyOrder(leadId(spring), leadId(autumn));
  }

  @Test
  void findingContactsOfAnUnknownEmailIsAnEmptyList() {
    APIGatewayV2HTTPResponse response = findContacts("nobody@example.com");
    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(body(response).getJsonArray("items")).isEmpty();
  }

  @Test
  void findingContactsByABlankEmailIs400NamingEmailAndWithoutOneListsThemAll() {
    JsonObject ada = createContact("{\"email\": \"ada@example.com\"}");

    APIGatewayV2HTTPResponse blank = call(request("GET /v1/contacts", "/v1/contacts").query("email", " ").build());
    JsonObject all = ok(call(request("GET /v1/contacts", "/v1/contacts").build()));

    assertThat(errorFields(assertProblem(blank, 400))).containsExactly("email");
    assertThat(ids(all)).containsExactly(ada.getString("id"));
  }

  @Test
  void anUnknownOrMalformedContactIdIs404() {
    assertProblem(getContact(UUID.randomUUID().toString()), 404);
    assertProblem(getContact("not-a-uuid"), 404);
  }

  @Test
  void patchMergesFieldsAndAttributesAndLinksAnExistingAccount() {
    String accountId = createAccount("{\"name\": \"Analytical Engines Ltd\"}").getString("id");
    String contactId = createContact("""
        {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", "phone": "+44 20 7946 0000",
         "attributes": {"favouriteColour": "green", "newsletter": "yes"}}""").getString("id");

    APIGatewayV2HTTPResponse response = patchContact(contactId, """
        {"accountId": "%s", "firstName": "Augusta", "phone": null,
         "attributes": {"favouriteColour": null, "seats": "3"}}""".formatted(accountId));

    JsonObject contact = ok(response);
    assertThat(contact.getString("accountId")).isEqualTo(accountId);
    assertThat(contact.getString("firstName")).isEqualTo("Augusta");
    assertThat(contact.getString("lastName")).isEqualTo("Lovelace");
    assertThat(contact.getString("phone")).isNull();
    assertThat(contact.getString("email")).isEqualTo("ada@example.com");
    assertThat(contact.getJsonObject("attributes").getMap())
        .containsOnly(Map.entry("newsletter", "yes"), Map.entry("seats", "3"));
    Row stored = row("SELECT account_id::text AS account_id, first_name, phone FROM contacts WHERE id = $1",
        uuid(contactId));
    assertThat(stored.getString("account_id")).isEqualTo(accountId);
    assertThat(stored.getString("first_name")).isEqualTo("Augusta");
    assertThat(stored.getString("phone")).isNull();
    assertThat(count("SELECT count(*) FROM contacts_to_rescore WHERE contact_id = '" + contactId + "'")).isEqualTo(1);
    assertThat(ok(getContact(contactId))).isEqualTo(contact.copy().put("consentHistory",
        new io.vertx.core.json.JsonArray()));
  }

  @Test
  void patchingTheAccountToNullUnlinksIt() {
    String accountId = createAccount("{\"name\": \"Analytical Engines Ltd\"}").getString("id");
    String contactId = createContact("{\"email\": \"ada@example.com\", \"accountId\": \"" + accountId + "\"}")
        .getString("id");

    JsonObject contact = ok(patchContact(contactId, "{\"accountId\": null}"));

    assertThat(contact.getString("accountId")).isNull();
    assertThat(contact.getString("email")).isEqualTo("ada@example.com");
  }

  @Test
  void patchingAnUnknownAccountIs400AndChangesNothing() {
    String contactId = createContact("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}").getString("id");

    APIGatewayV2HTTPResponse response =
        patchContact(contactId, "{\"accountId\": \"" + UUID.randomUUID() + "\", \"firstName\": \"Augusta\"}");

    assertThat(invalidFields(response)).containsExactly("accountId");
    JsonObject contact = ok(getContact(contactId));
    assertThat(contact.getString("accountId")).isNull();
    assertThat(contact.getString("firstName")).isEqualTo("Ada");
  }

  @Test
  void anEmptyPatchIs400SayingWhatToSendWithNoFieldAtFault() {
    String contactId = createContact("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}").getString("id");

    JsonObject problem = assertProblem(patchContact(contactId, "{}"), 400);

    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:invalid-request");
    assertThat(problem.getString("detail")).isEqualTo("An empty patch changes nothing: send at least one of email, "
        + "firstName, lastName, phone, companyName, jobTitle, country, accountId, attributes (null clears a field).");
    assertThat(problem.getJsonArray("errors")).isEmpty();
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isZero();
  }

  @Test
  void patchingAnUnknownOrMalformedContactIs404() {
    assertProblem(patchContact(UUID.randomUUID().toString(), "{\"firstName\": \"Ada\"}"), 404);
    assertProblem(patchContact("not-a-uuid", "{\"firstName\": \"Ada\"}"), 404);
  }
}
