package io.leadcycle.functions.subscribers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.domain.WebhookUrlPolicy;
import io.leadcycle.leads.LeadService;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.ProblemAssertions;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every subscribers handler test needs: the handler with AWS's URL rules on the test database,
 * real-shaped events for its routes, rows the delivery side would write (outbox events, deliveries,
 * attempts), and readers for responses and rows. Every response is checked on the way back: never a
 * 500, the event's request id in {@code x-request-id}, JSON for answers, problem details for refusals,
 * and never a secret except in the answers that show one.
 */
abstract class SubscribersHarness {

  static final String SUBSCRIBER = """
      {"url": "https://hooks.example.com/leadcycle", "events": ["lead.sales_ready", "lead.converted"],
       "description": "CRM sync"}""";

  SubscribersHandler handler = new SubscribersHandler(TestDatabase::database, WebhookUrlPolicy.STRICT);

  // ---- calling the handler ----

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

    assertThat(response).isNotNull();
    assertThat(response.getStatusCode())
        .as("never a 500 for a client's request: %s", response.getBody())
        .isNotEqualTo(500);
    assertThat(response.getHeaders()).containsEntry("x-request-id", event.getRequestContext().getRequestId());
    if (response.getStatusCode() >= 400) {
      ProblemAssertions.assertProblem(response, response.getStatusCode());
    } else if (response.getStatusCode() != 204) {
      assertThat(response.getHeaders().get("content-type")).as(response.getBody()).isEqualTo("application/json");
    }
    boolean showsSecret = response.getStatusCode() == 201 || event.getRouteKey().endsWith("/rotate-secret");
    if (!showsSecret && response.getBody() != null) {
      assertThat(response.getBody()).as("no secret in any other answer").doesNotContain("whsec_");
    }
    return response;
  }

  /** An event for a management route: the caller sends its token, which the JWT authorizer checked. */
  static HttpEvents request(String routeKey, String rawPath) {
    return HttpEvents.request(routeKey, rawPath).header("authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.test.signature");
  }

  APIGatewayV2HTTPResponse post(String json) {
    return call(request("POST /v1/subscribers", "/v1/subscribers").json(json).build());
  }

  /** Creates a subscriber; answers the 201's body (with its secret). */
  JsonObject create(String json) {
    return created(post(json));
  }

  /** Creates a subscriber to {@code url} for {@code ["*"]}; answers its id. */
  String createFor(String url) {
    return create(new JsonObject().put("url", url).put("events", new JsonArray().add("*")).encode()).getString("id");
  }

  APIGatewayV2HTTPResponse get(String id) {
    return call(request("GET /v1/subscribers/{subscriberId}", "/v1/subscribers/" + id)
        .pathParameter("subscriberId", id).build());
  }

  APIGatewayV2HTTPResponse patch(String id, String json) {
    return call(request("PATCH /v1/subscribers/{subscriberId}", "/v1/subscribers/" + id)
        .pathParameter("subscriberId", id).json(json).build());
  }

  APIGatewayV2HTTPResponse delete(String id) {
    return call(request("DELETE /v1/subscribers/{subscriberId}", "/v1/subscribers/" + id)
        .pathParameter("subscriberId", id).build());
  }

  APIGatewayV2HTTPResponse rotate(String id) {
    return call(request("POST /v1/subscribers/{subscriberId}/rotate-secret", "/v1/subscribers/" + id + "/rotate-secret")
        .pathParameter("subscriberId", id).build());
  }

  /** {@code GET /v1/subscribers} with query parameters as name, value, name, value, ... */
  APIGatewayV2HTTPResponse list(String... nameValuePairs) {
    HttpEvents event = request("GET /v1/subscribers", "/v1/subscribers");
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      event.query(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return call(event.build());
  }

  /** {@code GET /v1/subscribers/{id}/deliveries} with query parameters as name, value, ... */
  APIGatewayV2HTTPResponse deliveries(String id, String... nameValuePairs) {
    HttpEvents event = request("GET /v1/subscribers/{subscriberId}/deliveries", "/v1/subscribers/" + id + "/deliveries")
        .pathParameter("subscriberId", id);
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      event.query(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return call(event.build());
  }

  APIGatewayV2HTTPResponse redeliver(String subscriberId, String deliveryId) {
    String path = "/v1/subscribers/" + subscriberId + "/deliveries/" + deliveryId + "/redeliver";
    return call(request("POST /v1/subscribers/{subscriberId}/deliveries/{deliveryId}/redeliver", path)
        .pathParameter("subscriberId", subscriberId).pathParameter("deliveryId", deliveryId).build());
  }

  // ---- rows the delivery side writes ----

  /** A lead in the manual context, for outbox events to be about. */
  static UUID createLead(String topic) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", topic);
    body.put("context", Map.of("kind", "manual", "id", "desk", "name", "Sales desk"));
    return new LeadService(TestDatabase.database()).create(NewLeadInput.parse(body), "test").await().lead().id();
  }

  static UUID insertEvent(UUID leadId, String type) {
    return query("INSERT INTO outbox (type, lead_id, payload) VALUES ($1, $2, '{}'::jsonb) RETURNING id", type, leadId)
        .iterator().next().getUUID("id");
  }

  /** A delivery of {@code eventId} to the subscriber, in {@code status}, created at {@code createdAt}. */
  static UUID insertDelivery(UUID eventId, String subscriberId, String status, String createdAt, int attempts) {
    return query("""
        INSERT INTO deliveries (outbox_id, subscriber_id, status, attempts, created_at, next_attempt_at, delivered_at)
        VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '1 hour',
                CASE WHEN $3 = 'delivered' THEN $5::timestamptz + interval '1 minute' END) RETURNING id""",
        eventId, UUID.fromString(subscriberId), status, attempts, OffsetDateTime.parse(createdAt))
        .iterator().next().getUUID("id");
  }

  static void insertAttempt(UUID deliveryId, String at, Integer httpStatus, String error, int durationMs) {
    query("INSERT INTO delivery_attempts (delivery_id, at, http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5)",
        deliveryId, OffsetDateTime.parse(at), httpStatus, error, durationMs);
  }

  // ---- reading responses ----

  static JsonObject body(APIGatewayV2HTTPResponse response) {
    return new JsonObject(response.getBody());
  }

  static JsonObject created(APIGatewayV2HTTPResponse response) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    return body(response);
  }

  static JsonObject ok(APIGatewayV2HTTPResponse response) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    return body(response);
  }

  static JsonObject assertProblem(APIGatewayV2HTTPResponse response, int status) {
    return ProblemAssertions.assertProblem(response, status);
  }

  /** Asserts a 400 problem and returns the {@code field} of each of its errors. */
  static List<String> invalidFields(APIGatewayV2HTTPResponse response) {
    return ProblemAssertions.errorFields(assertProblem(response, 400));
  }

  /** The values of {@code member} of a page's items, in order. */
  static List<Object> column(JsonObject page, String member) {
    List<Object> values = new ArrayList<>();
    JsonArray items = page.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      values.add(items.getJsonObject(i).getValue(member));
    }
    return values;
  }

  // ---- reading the database ----

  static long count(String sql) {
    return TestDatabase.count(sql);
  }

  static RowSet<Row> query(String sql, Object... parameters) {
    return TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
  }

  static Row row(String sql, Object... parameters) {
    return query(sql, parameters).iterator().next();
  }
}
