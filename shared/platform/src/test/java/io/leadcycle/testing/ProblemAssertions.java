package io.leadcycle.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What every handler test checks of a problem-details answer (RFC 9457), in one place. */
public final class ProblemAssertions {

  private ProblemAssertions() {
  }

  /** Asserts a complete problem-details answer with {@code status}, with no trace of our code, and returns it. */
  public static JsonObject assertProblem(APIGatewayV2HTTPResponse response, int status) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
    assertThat(response.getHeaders().get("content-type")).isEqualTo("application/problem+json");
    if (status == 503) {
      assertThat(response.getHeaders().get("retry-after")).as("a 503 says when to retry").matches("[1-9][0-9]*");
    }
    JsonObject problem = new JsonObject(response.getBody());
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("urn:leadcycle:problem:");
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getJsonArray("errors")).isNotNull();
    assertThat(problem.encode()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.leadcycle.");
    return problem;
  }

  /** The {@code field} of every entry in a problem's {@code errors}. */
  public static List<String> errorFields(JsonObject problem) {
    List<String> fields = new ArrayList<>();
    JsonArray errors = problem.getJsonArray("errors");
    for (int i = 0; i < errors.size(); i++) {
      fields.add(errors.getJsonObject(i).getString("field"));
    }
    return fields;
  }
}
