package io.leadcycle.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What every HTTP handler test harness shares: calling a handler and checking what comes back,
 * reading answers and problems, and reading rows of the test database. A function's harness extends
 * this class so that its tests call these helpers unqualified, and keeps only what its routes need.
 */
public abstract class HandlerCalls {

  protected HandlerCalls() {
  }

  // ---- calling a handler ----

  /**
   * Calls {@code handler} with {@code event} and asserts that it answered, never with a 500, and as
   * docs/openapi.yaml says ({@link OpenApiContract}: the request too, unless it was refused).
   */
  public static APIGatewayV2HTTPResponse answer(
      RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
    assertThat(response).isNotNull();
    assertThat(response.getStatusCode())
        .as("never a 500 for a client's request: %s", response.getBody())
        .isNotEqualTo(500);
    OpenApiContract.check(event, response);
    return response;
  }

  /** Asserts that the answer carries the event's request id in {@code x-request-id}. */
  public static void assertRequestId(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
    assertThat(response.getHeaders()).containsEntry("x-request-id", event.getRequestContext().getRequestId());
    // Every answer of the API, refusals too: browsers must not sniff a type other than the one it says.
    assertThat(response.getHeaders()).containsEntry("x-content-type-options", "nosniff");
  }

  /** Asserts that the answer's body is text, not base64. */
  public static void assertNotBase64(APIGatewayV2HTTPResponse response) {
    assertThat(response.getIsBase64Encoded()).isFalse();
  }

  /** Asserts problem details for a refusal and JSON for any other answer. */
  public static void assertJsonOrProblem(APIGatewayV2HTTPResponse response) {
    assertJsonOrProblem(response, r -> false);
  }

  /**
   * Asserts problem details for a refusal, and JSON for any other answer except those {@code notJson}
   * accepts (e.g. CSV, or a 204 without a body).
   */
  public static void assertJsonOrProblem(APIGatewayV2HTTPResponse response,
      Predicate<APIGatewayV2HTTPResponse> notJson) {
    if (response.getStatusCode() >= 400) {
      ProblemAssertions.assertProblem(response, response.getStatusCode());
    } else if (!notJson.test(response)) {
      assertThat(contentType(response)).as(response.getBody()).isEqualTo("application/json");
    }
  }

  // ---- reading responses ----

  public static JsonObject body(APIGatewayV2HTTPResponse response) {
    return new JsonObject(response.getBody());
  }

  public static String contentType(APIGatewayV2HTTPResponse response) {
    return response.getHeaders().get("content-type");
  }

  /** Asserts a 201 and returns its body. */
  public static JsonObject created(APIGatewayV2HTTPResponse response) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    return body(response);
  }

  /** Asserts a 200 and returns its body. */
  public static JsonObject ok(APIGatewayV2HTTPResponse response) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    return body(response);
  }

  /** Asserts a problem-details answer with {@code status} and returns its body. */
  public static JsonObject assertProblem(APIGatewayV2HTTPResponse response, int status) {
    return ProblemAssertions.assertProblem(response, status);
  }

  /** The {@code field} of every entry in a problem's {@code errors}. */
  public static List<String> errorFields(JsonObject problem) {
    return ProblemAssertions.errorFields(problem);
  }

  /** Asserts a 400 problem and returns the {@code field} of each of its errors. */
  public static List<String> invalidFields(APIGatewayV2HTTPResponse response) {
    return errorFields(assertProblem(response, 400));
  }

  /** The values of {@code member} of a page's items, in order. */
  public static List<Object> column(JsonObject page, String member) {
    List<Object> values = new ArrayList<>();
    JsonArray items = page.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      values.add(items.getJsonObject(i).getValue(member));
    }
    return values;
  }

  // ---- reading the database ----

  /** A single number from a query (e.g. {@code SELECT count(*) FROM contacts}). */
  public static long count(String sql) {
    return TestDatabase.count(sql);
  }

  public static RowSet<Row> query(String sql, Object... parameters) {
    return TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await();
  }

  public static List<Row> rows(String sql, Object... parameters) {
    List<Row> rows = new ArrayList<>();
    query(sql, parameters).forEach(rows::add);
    return rows;
  }

  /** The single row {@code sql} returns. */
  public static Row row(String sql, Object... parameters) {
    List<Row> rows = rows(sql, parameters);
    assertThat(rows).as("rows of %s", sql).hasSize(1);
    return rows.get(0);
  }
}
