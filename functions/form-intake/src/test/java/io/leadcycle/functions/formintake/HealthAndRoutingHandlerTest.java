package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.database.EmbeddedDatabase;
import io.leadcycle.postgres.Database;
import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.postgres.DatabaseSettings;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /health}, unknown routes, {@code $default} routing, and a database that is down. */
class HealthAndRoutingHandlerTest extends FormIntakeHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  /** An event as HTTP API sends it to a {@code $default} (catch-all) route: no route key, no path parameters. */
  private static APIGatewayV2HTTPEvent defaultRoute(String method, String rawPath) {
    return HttpEvents.defaultRoute(method, rawPath).build();
  }

  @Test
  void healthIsOkWithTheDatabase() {
    APIGatewayV2HTTPResponse response = call(HttpEvents.request("GET /health", "/health").build());

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    assertThat(body(response)).isEqualTo(new JsonObject().put("status", "ok").put("database", "ok"));
    assertThat(response.getHeaders()).containsKey("x-request-id");
  }

  @Test
  void anUnknownPathOnTheDefaultRouteIs404NeverA500() {
    APIGatewayV2HTTPResponse response = call(defaultRoute("GET", "/v1/no/such/thing"));

    JsonObject problem = assertProblem(response, 404);
    assertThat(problem.getString("detail")).contains("/v1/no/such/thing");
  }

  @Test
  void anUnknownPostOnTheDefaultRouteIs404AndWritesNothing() {
    Map<String, Long> before = tableCounts();
    // (POST /v1/forms used to be unknown; GET /v1/forms now exists, so that path would be a 405.)
    APIGatewayV2HTTPEvent event = HttpEvents.request("POST /v1/form-list", "/v1/form-list")
        .json("{\"name\":\"x\",\"kind\":\"marketing_page\"}").build();
    event.setRouteKey("$default");
    assertProblem(call(event), 404);
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aKnownPathWithAnotherMethodOnTheDefaultRouteIsAProblemNotA500() {
    APIGatewayV2HTTPResponse response = call(defaultRoute("DELETE", "/v1/forms/f1"));
    assertThat(response.getStatusCode()).isIn(404, 405);
    assertThat(contentType(response)).isEqualTo("application/problem+json");
  }

  @Test
  void theDefaultRouteDispatchesOnTheRawPathAndDecodesPathParameters() {
    createForm("spring.webinar-2026", "{\"name\":\"Spring\",\"kind\":\"marketing_page\"}");

    APIGatewayV2HTTPResponse response = call(HttpEvents.managementDefaultRoute("GET", "/v1/forms/spring.webinar-2026")
        .build());

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    assertThat(body(response).getString("id")).isEqualTo("spring.webinar-2026");
  }

  @Test
  void healthWithTheDatabaseDownIs503() {
    Database unreachable = unreachableDatabase();
    try {
      FormIntakeHandler down = new FormIntakeHandler(() -> unreachable, Clock.systemUTC());

      APIGatewayV2HTTPResponse response = down.handleRequest(HttpEvents.request("GET /health", "/health").build(), null);

      assertThat(response.getStatusCode()).isEqualTo(503);
      assertThat(body(response).getString("status")).isNotEqualTo("ok");
      assertThat(body(response).getString("database")).isNotEqualTo("ok");
    } finally {
      unreachable.pool().close().await();
    }
  }

  @Test
  void aSubmissionWithTheDatabaseDownIs503NotA500() {
    Database unreachable = unreachableDatabase();
    try {
      FormIntakeHandler down = new FormIntakeHandler(() -> unreachable, Clock.systemUTC());

      APIGatewayV2HTTPEvent event = submission("page")
          .json("{\"fields\":{\"email\":\"ada@example.com\"}}").signed(StandardWebhooks.newSecret()).build();
      APIGatewayV2HTTPResponse[] response = new APIGatewayV2HTTPResponse[1];

      // A Lambda handler that throws becomes an invocation error, which HTTP API answers with a bare 500.
      Throwable thrown = catchThrowable(() -> response[0] = down.handleRequest(event, null));

      assertThat(thrown).as("handleRequest must answer, not throw").isNull();
      JsonObject problem = assertProblem(response[0], 503);
      assertThat(problem.getString("detail")).doesNotContain("127.0.0.1");
    } finally {
      unreachable.pool().close().await();
    }
  }

  /** A pool aimed at a port nobody listens on (it was free a moment ago). */
  private static Database unreachableDatabase() {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    DatabaseSettings settings = new DatabaseSettings("127.0.0.1", port, EmbeddedDatabase.DATABASE,
        EmbeddedDatabase.USER, "", "disable", 1);
    return new Database(Database.createPool(TestDatabase.vertx(), settings));
  }
}
