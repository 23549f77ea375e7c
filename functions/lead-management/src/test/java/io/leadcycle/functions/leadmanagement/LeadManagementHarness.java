package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.Submission;
import io.leadcycle.forms.FormService;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every lead-management handler test needs: the handler wired to the test database, short ways
 * to build real-shaped events for its routes, and readers for responses and rows. Everything goes
 * through {@link LeadManagementHandler#handleRequest}; the database is read only to check what a
 * request did. Every response is checked on the way back: never a 500, always the event's request id
 * in {@code x-request-id}, JSON for answers and problem details (without stack traces) for refusals.
 */
abstract class LeadManagementHarness extends HandlerCalls {

  static final String MANUAL_CONTEXT = "{\"kind\": \"manual\", \"id\": \"desk\", \"name\": \"Sales desk\"}";

  /** The nudges the handler sent threshold notification (their reasons). */
  final List<String> nudges = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The nudges the handler sent score recalculation (their reasons). */
  final List<String> scoringNudges = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The nudges the handler sent segment evaluation (their reasons). */
  final List<String> segmentNudges = new java.util.concurrent.CopyOnWriteArrayList<>();
  final LeadManagementHandler handler =
      new LeadManagementHandler(TestDatabase::database, nudges::add, scoringNudges::add, segmentNudges::add);

  // ---- calling the handler ----

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPResponse response = answer(handler, event);
    assertNotBase64(response);
    assertRequestId(event, response);
    assertJsonOrProblem(response, r -> r.getStatusCode() == 204); // DELETE /v1/users/{userId}
    return response;
  }

  /** An event for a management route: the caller sends its token, which the JWT authorizer checked. */
  static HttpEvents request(String routeKey, String rawPath) {
    return HttpEvents.management(routeKey, rawPath);
  }

  /** A management request sent to a catch-all {@code $default} route, routed by its raw path. */
  static HttpEvents defaultRoute(String method, String rawPath) {
    return HttpEvents.managementDefaultRoute(method, rawPath);
  }

  APIGatewayV2HTTPResponse postContact(String json) {
    return call(request("POST /v1/contacts", "/v1/contacts").json(json).build());
  }

  /** Creates a contact and returns it as the API shows it. */
  JsonObject createContact(String json) {
    return created(postContact(json));
  }

  APIGatewayV2HTTPResponse getContact(String contactId) {
    return call(request("GET /v1/contacts/{contactId}", "/v1/contacts/" + contactId)
        .pathParameter("contactId", contactId).build());
  }

  APIGatewayV2HTTPResponse findContacts(String email) {
    return call(request("GET /v1/contacts", "/v1/contacts").query("email", email).build());
  }

  APIGatewayV2HTTPResponse patchContact(String contactId, String json) {
    return call(request("PATCH /v1/contacts/{contactId}", "/v1/contacts/" + contactId)
        .pathParameter("contactId", contactId).json(json).build());
  }

  APIGatewayV2HTTPResponse postAccount(String json) {
    return call(request("POST /v1/accounts", "/v1/accounts").json(json).build());
  }

  JsonObject createAccount(String json) {
    return created(postAccount(json));
  }

  APIGatewayV2HTTPResponse getAccount(String accountId) {
    return call(request("GET /v1/accounts/{accountId}", "/v1/accounts/" + accountId)
        .pathParameter("accountId", accountId).build());
  }

  APIGatewayV2HTTPResponse postLead(String json) {
    return call(request("POST /v1/leads", "/v1/leads").json(json).build());
  }

  /** Creates a lead without parents in the manual context and returns it with its timeline. */
  JsonObject createLead(String topic) {
    return created(postLead("{\"topic\": \"" + topic + "\", \"context\": " + MANUAL_CONTEXT + "}"));
  }

  APIGatewayV2HTTPResponse getLead(String leadId) {
    return call(request("GET /v1/leads/{leadId}", "/v1/leads/" + leadId).pathParameter("leadId", leadId).build());
  }

  APIGatewayV2HTTPResponse patchLead(String leadId, String json) {
    return call(request("PATCH /v1/leads/{leadId}", "/v1/leads/" + leadId)
        .pathParameter("leadId", leadId).json(json).build());
  }

  /** {@code GET /v1/leads} with query parameters given as name, value, name, value, ... */
  APIGatewayV2HTTPResponse listLeads(String... nameValuePairs) {
    return call(request("GET /v1/leads", "/v1/leads").queries(nameValuePairs).build());
  }

  /** A {@code POST /v1/leads/{leadId}/process} event, not yet built. */
  static HttpEvents processEvent(String leadId) {
    return request("POST /v1/leads/{leadId}/process", "/v1/leads/" + leadId + "/process")
        .pathParameter("leadId", leadId);
  }

  APIGatewayV2HTTPResponse process(String leadId, String json) {
    return call(processEvent(leadId).json(json).build());
  }

  /** Applies {@code action}, which must succeed, and returns the lead. */
  JsonObject act(String leadId, String action) {
    APIGatewayV2HTTPResponse response = process(leadId, "{\"action\": \"" + action + "\"}");
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    return body(response);
  }

  // ---- intake, for contacts with leads from forms ----

  /**
   * Creates a marketing page with every default. Functions never call each other, so these tests
   * reach intake through the shared service form-intake itself uses.
   */
  static void createPage(String formId) {
    FormDefinition page = FormDefinition.parse(formId, Map.of("name", "Page " + formId, "kind", "marketing_page"));
    new FormService(TestDatabase.database()).put(page, "whsec_c2VjcmV0").await();
  }

  /**
   * A submission ({@code {"fields": {...}, "submissionId"?, ...}}) to a page, taken in by the intake
   * service; answers what form-intake's handler would: {@code {submissionId, contact, lead, ...}}.
   */
  static JsonObject submit(String formId, String json) {
    Map<String, Object> submitted = HttpRequest.plain(new JsonObject(json));
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) submitted.get("fields");
    Form form = new FormService(TestDatabase.database()).find(formId).await();
    Submission submission = Submission.parse(submitted.get("submissionId"), submitted.get("submittedAt"), fields,
        submitted.get("consent"), form);
    return new IntakeService(TestDatabase.database()).submit(form, submission, "msg_" + UUID.randomUUID()).await()
        .toJson();
  }

  static String contactId(JsonObject result) {
    return result.getJsonObject("contact").getString("id");
  }

  static String leadId(JsonObject result) {
    return result.getJsonObject("lead").getString("id");
  }

  // ---- reading responses ----

  /** The ids of a list page's items, in order. */
  static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    JsonArray items = page.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      ids.add(items.getJsonObject(i).getString("id"));
    }
    return ids;
  }

  /**
   * A lead's timeline entries as {@code "field from->to actor reason"} lines, oldest first. Checks each
   * value's JSON type on the way: flags are booleans, everything else text, null stays null.
   */
  static List<String> timeline(JsonObject lead) {
    List<String> lines = new ArrayList<>();
    JsonArray entries = lead.getJsonArray("timeline");
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      assertTyped(e);
      lines.add(e.getString("field") + " " + e.getValue("from") + "->" + e.getValue("to") + " "
          + e.getString("actor") + " " + e.getString("reason"));
    }
    return lines;
  }

  static final List<String> FLAGS =
      List.of("telemarketingReady", "telemarketingAccepted", "salesReady", "salesAccepted");

  /** A timeline entry's or event change's {@code from} and {@code to}: booleans for flags, text otherwise, or null. */
  static void assertTyped(JsonObject change) {
    Class<?> kind = FLAGS.contains(change.getString("field")) ? Boolean.class : String.class;
    for (String end : List.of("from", "to")) {
      Object value = change.getValue(end);
      if (value != null) {
        assertThat(value).as("%s of %s", end, change).isInstanceOf(kind);
      }
    }
  }

  static UUID uuid(String id) {
    return UUID.fromString(id);
  }
}
