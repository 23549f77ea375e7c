package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.contacts.ContactService;
import io.leadcycle.events.JsonViews;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What every form-intake handler test needs: the handler wired to the test database, short ways to
 * build real-shaped events for its routes, and readers for responses and rows. Everything goes through
 * {@link FormIntakeHandler#handleRequest}; the database is read only to check what a request did.
 */
abstract class FormIntakeHarness extends HandlerCalls {

  static final String SUBMISSIONS = "POST /v1/forms/{formId}/submissions";
  static final String REGISTRATIONS = "POST /v1/events/{eventId}/registrations";

  /** The tables intake writes to; a rejected request must leave every one of them as it was. */
  static final List<String> INTAKE_TABLES =
      List.of("accounts", "contacts", "leads", "interactions", "intake_receipts", "contacts_to_rescore", "forms",
          "matching_strategies");

  final FormIntakeHandler handler = new FormIntakeHandler(TestDatabase::database, Clock.systemUTC());

  // ---- calling the handler ----

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
    return answer(handler, event);
  }

  /**
   * Calls the handler with every event at the same moment, one thread each (a start gate opens once
   * all are waiting), and returns the answers in the order of the events.
   */
  List<APIGatewayV2HTTPResponse> callAllAtOnce(List<APIGatewayV2HTTPEvent> events) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(events.size());
    try {
      CountDownLatch ready = new CountDownLatch(events.size());
      CountDownLatch start = new CountDownLatch(1);
      List<Future<APIGatewayV2HTTPResponse>> answers = new ArrayList<>();
      for (APIGatewayV2HTTPEvent event : events) {
        answers.add(executor.submit(() -> {
          ready.countDown();
          start.await();
          return handler.handleRequest(event, null);
        }));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      start.countDown();
      List<APIGatewayV2HTTPResponse> responses = new ArrayList<>();
      for (Future<APIGatewayV2HTTPResponse> answer : answers) {
        responses.add(answer.get(60, TimeUnit.SECONDS));
      }
      return responses;
    } finally {
      executor.shutdownNow();
    }
  }

  /** {@code PATCH /v1/forms/{formId}} with a JSON body. */
  APIGatewayV2HTTPResponse patchForm(String formId, String json) {
    return call(HttpEvents.management("PATCH /v1/forms/{formId}", "/v1/forms/" + formId)
        .pathParameter("formId", formId).json(json).build());
  }

  /** {@code GET /v1/forms/{formId}/submissions}, optionally with query parameters (name, value, ...). */
  APIGatewayV2HTTPResponse submissionLog(String formId, String... query) {
    return call(HttpEvents.management("GET /v1/forms/{formId}/submissions", "/v1/forms/" + formId + "/submissions")
        .pathParameter("formId", formId).queries(query).build());
  }

  /** {@code PUT /v1/forms/{formId}} with a JSON body. */
  APIGatewayV2HTTPResponse putForm(String formId, String json) {
    return call(HttpEvents.management("PUT /v1/forms/{formId}", "/v1/forms/" + formId)
        .pathParameter("formId", formId).json(json).build());
  }

  /** Creates a form and returns its signing secret. */
  String createForm(String formId, String json) {
    APIGatewayV2HTTPResponse response = putForm(formId, json);
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    String secret = body(response).getString("signingSecret");
    assertThat(secret).startsWith("whsec_");
    return secret;
  }

  /** Creates a marketing page with every default and returns its signing secret. */
  String createPage(String formId) {
    return createForm(formId, "{\"name\":\"Page " + formId + "\",\"kind\":\"marketing_page\"}");
  }

  APIGatewayV2HTTPResponse getForm(String formId) {
    return call(HttpEvents.management("GET /v1/forms/{formId}", "/v1/forms/" + formId)
        .pathParameter("formId", formId).build());
  }

  APIGatewayV2HTTPResponse createStrategy(String json) {
    return call(HttpEvents.management("POST /v1/matching-strategies", "/v1/matching-strategies").json(json).build());
  }

  APIGatewayV2HTTPResponse listStrategies() {
    return call(HttpEvents.management("GET /v1/matching-strategies", "/v1/matching-strategies").build());
  }

  /**
   * The contact as {@code GET /v1/contacts/{id}} shows it. That route belongs to lead-management, so
   * intake's tests read it through the shared service and view the route uses.
   */
  static JsonObject contactView(String contactId) {
    return JsonViews.contact(new ContactService(TestDatabase.database()).find(java.util.UUID.fromString(contactId)).await());
  }

  /** A submission event to a marketing page, not yet signed or built. */
  static HttpEvents submission(String formId) {
    return HttpEvents.request(SUBMISSIONS, "/v1/forms/" + formId + "/submissions").pathParameter("formId", formId);
  }

  /** A registration event to an event, not yet signed or built. */
  static HttpEvents registration(String eventId) {
    return HttpEvents.request(REGISTRATIONS, "/v1/events/" + eventId + "/registrations")
        .pathParameter("eventId", eventId);
  }

  /** A JSON submission signed with {@code secret} under a fresh webhook-id. */
  APIGatewayV2HTTPResponse submit(String formId, String secret, String json) {
    return call(submission(formId).json(json).signed(secret).build());
  }

  // ---- reading responses ----

  static String contactId(JsonObject result) {
    return result.getJsonObject("contact").getString("id");
  }

  static String leadId(JsonObject result) {
    return result.getJsonObject("lead").getString("id");
  }

  // ---- reading the database ----

  /** The row count of every intake table, to prove that a rejected request wrote nothing. */
  static Map<String, Long> tableCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : INTAKE_TABLES) {
      counts.put(table, TestDatabase.count("SELECT count(*) FROM " + table));
    }
    return counts;
  }

  static Row leadRow(String leadId) {
    return row("SELECT id::text AS id, contact_id::text AS contact_id, account_id::text AS account_id, topic, stage,"
        + " status, context_kind, context_id, context_name, submitted_fields FROM leads WHERE id = $1", java.util.UUID.fromString(leadId));
  }

  static Row contactRow(String contactId) {
    return row("SELECT id::text AS id, account_id::text AS account_id, email, email_norm, first_name, last_name, phone,"
        + " company_name, job_title, country, attributes, consent, updated_at::text AS updated_at FROM contacts"
        + " WHERE id = $1", java.util.UUID.fromString(contactId));
  }

  static Row interactionRow(String interactionId) {
    return row("SELECT id::text AS id, contact_id::text AS contact_id, type, occurred_at, context_kind, context_id,"
        + " context_name, source_key, payload FROM interactions WHERE id = $1", java.util.UUID.fromString(interactionId));
  }
}
