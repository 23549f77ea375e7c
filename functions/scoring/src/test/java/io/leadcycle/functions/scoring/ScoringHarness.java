package io.leadcycle.functions.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.contacts.ContactService;
import io.leadcycle.domain.AccountDetails;
import io.leadcycle.domain.ContactInput;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.leads.LeadService;
import io.leadcycle.store.AccountStore;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What every scoring handler test needs: the handler wired to the test database, real-shaped events
 * for its routes, contacts, accounts and leads made through the shared services (functions never call
 * each other), and readers for responses and rows. Every response is checked on the way back: never a
 * 500, always the event's request id in {@code x-request-id}, JSON (or CSV where asked) for answers and
 * problem details for refusals.
 */
abstract class ScoringHarness extends HandlerCalls {

  /** A valid model as API.md writes one: grades continuous from -1000 to 1000, a threshold of 50. */
  static final String MODEL = """
      {"name": "Webinar interest", "target": "contact", "salesReadyThreshold": 50,
       "grades": [{"name": "C", "min": -1000, "max": 19}, {"name": "B", "min": 20, "max": 49},
                  {"name": "A", "min": 50, "max": 1000}],
       "rules": [
         {"id": "manager", "kind": "demographic", "field": "jobTitle", "op": "contains", "value": "manager", "points": 10},
         {"id": "big", "kind": "firmographic", "field": "employeeCount", "op": "gte", "value": 500, "points": 15},
         {"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
          "withinDays": 30, "points": 2, "maxPoints": 20}
       ]}""";

  final ScoringHandler handler = new ScoringHandler(TestDatabase::database);

  // ---- calling the handler ----

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPResponse response = answer(handler, event);
    assertNotBase64(response);
    assertRequestId(event, response);
    assertJsonOrProblem(response, r -> contentType(r).startsWith("text/csv"));
    return response;
  }

  /** An event for a management route: the caller sends its token, which the JWT authorizer checked. */
  static HttpEvents request(String routeKey, String rawPath) {
    return HttpEvents.management(routeKey, rawPath);
  }

  // ---- models ----

  APIGatewayV2HTTPResponse postModel(String json) {
    return call(request("POST /v1/scoring-models", "/v1/scoring-models").json(json).build());
  }

  /** Creates a draft and returns it as the API shows it. */
  JsonObject createModel(String json) {
    return created(postModel(json));
  }

  /** {@link #MODEL} named {@code name}. */
  static String model(String name) {
    return new JsonObject(MODEL).put("name", name).encode();
  }

  APIGatewayV2HTTPResponse getModel(String id) {
    return call(request("GET /v1/scoring-models/{modelId}", "/v1/scoring-models/" + id)
        .pathParameter("modelId", id).build());
  }

  APIGatewayV2HTTPResponse putModel(String id, String json) {
    return call(request("PUT /v1/scoring-models/{modelId}", "/v1/scoring-models/" + id)
        .pathParameter("modelId", id).json(json).build());
  }

  /** {@code POST /v1/scoring-models/{modelId}/<action>} (publish, retire, copy) without a body. */
  APIGatewayV2HTTPResponse act(String id, String action) {
    return call(actionEvent(id, action).build());
  }

  static HttpEvents actionEvent(String id, String action) {
    return request("POST /v1/scoring-models/{modelId}/" + action, "/v1/scoring-models/" + id + "/" + action)
        .pathParameter("modelId", id);
  }

  /** {@code GET /v1/scoring-models} with query parameters given as name, value, name, value, ... */
  APIGatewayV2HTTPResponse listModels(String... nameValuePairs) {
    return call(request("GET /v1/scoring-models", "/v1/scoring-models").queries(nameValuePairs).build());
  }

  /** {@code GET /v1/scoring-models/{modelId}/scores} with query parameters as name, value, ... */
  APIGatewayV2HTTPResponse scores(String id, String... nameValuePairs) {
    return call(request("GET /v1/scoring-models/{modelId}/scores", "/v1/scoring-models/" + id + "/scores")
        .pathParameter("modelId", id).queries(nameValuePairs).build());
  }

  // ---- interactions ----

  APIGatewayV2HTTPResponse postInteractions(String json) {
    return call(request("POST /v1/interactions", "/v1/interactions").json(json).build());
  }

  /** Posts {@code {"interactions": items}}; asserts the 202 and returns its body. */
  JsonObject record(JsonArray items) {
    APIGatewayV2HTTPResponse response = postInteractions(new JsonObject().put("interactions", items).encode());
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    return body(response);
  }

  static JsonObject interaction(String sourceId, String type, String contactIdOrEmail, String occurredAt) {
    JsonObject item = new JsonObject().put("sourceId", sourceId).put("type", type).put("occurredAt", occurredAt);
    return contactIdOrEmail.contains("@") ? item.put("email", contactIdOrEmail) : item.put("contactId", contactIdOrEmail);
  }

  // ---- records the scores are about ----

  static UUID createContact(String email, String firstName) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("email", email);
    fields.put("firstName", firstName);
    return new ContactService(TestDatabase.database()).create(ContactInput.parse(fields)).await().id();
  }

  static UUID createAccount(String name) {
    return TestDatabase.database().inTransaction(conn -> new AccountStore()
        .create(conn, AccountDetails.parse(Map.of("name", name)))).await().id();
  }

  /** A lead of {@code contactId} (may be null) in the manual context. */
  static UUID createLead(String topic, UUID contactId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", topic);
    if (contactId != null) {
      body.put("contactId", contactId.toString());
    }
    body.put("context", Map.of("kind", "manual", "id", "desk", "name", "Sales desk"));
    return new LeadService(TestDatabase.database()).create(NewLeadInput.parse(body), "test").await().lead().id();
  }

  /** Stores a lead's score in a model as score recalculation would. */
  static void insertScore(UUID leadId, String modelId, int score, String grade, boolean salesReady, String scoredAt) {
    query("""
        INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at)
        VALUES ($1, $2, $3, $4, $5, '[]'::jsonb, $6)""",
        leadId, UUID.fromString(modelId), score, grade, salesReady, java.time.OffsetDateTime.parse(scoredAt));
  }
}
