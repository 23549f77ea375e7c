package io.leadcycle.functions.subscribers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.domain.WebhookUrlPolicy;
import io.leadcycle.leads.LeadService;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What every subscribers handler test needs: the handler with AWS's URL rules on the test database,
 * real-shaped events for its routes, rows the delivery side would write (outbox events, deliveries,
 * attempts), and readers for responses and rows. Every response is checked on the way back: never a
 * 500, the event's request id in {@code x-request-id}, JSON for answers, problem details for refusals,
 * and never a secret except in the answers that show one.
 */
abstract class SubscribersHarness extends HandlerCalls {

  static final String SUBSCRIBER = """
      {"url": "https://hooks.example.com/leadcycle", "events": ["lead.sales_ready", "lead.converted"],
       "description": "CRM sync"}""";

  SubscribersHandler handler = new SubscribersHandler(TestDatabase::database, WebhookUrlPolicy.STRICT);

  // ---- calling the handler ----

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPResponse response = answer(handler, event);
    assertRequestId(event, response);
    assertJsonOrProblem(response, r -> r.getStatusCode() == 204);
    boolean showsSecret = response.getStatusCode() == 201 || event.getRouteKey().endsWith("/rotate-secret");
    if (!showsSecret && response.getBody() != null) {
      assertThat(response.getBody()).as("no secret in any other answer").doesNotContain("whsec_");
    }
    return response;
  }

  /** An event for a management route: the caller sends its token, which the JWT authorizer checked. */
  static HttpEvents request(String routeKey, String rawPath) {
    return HttpEvents.management(routeKey, rawPath);
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
    return call(request("GET /v1/subscribers", "/v1/subscribers").queries(nameValuePairs).build());
  }

  /** {@code GET /v1/subscribers/{id}/deliveries} with query parameters as name, value, ... */
  APIGatewayV2HTTPResponse deliveries(String id, String... nameValuePairs) {
    return call(request("GET /v1/subscribers/{subscriberId}/deliveries", "/v1/subscribers/" + id + "/deliveries")
        .pathParameter("subscriberId", id).queries(nameValuePairs).build());
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
}
