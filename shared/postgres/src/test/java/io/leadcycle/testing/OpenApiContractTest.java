package io.leadcycle.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check itself: it must let through what docs/openapi.yaml describes and stop the rest. */
class OpenApiContractTest {

  private static final Map<String, List<String>> JSON = Map.of("content-type", List.of("application/json"));
  private static final Map<String, List<String>> PROBLEM = Map.of("content-type",
      List.of("application/problem+json"));

  @Test
  void anAnswerAsDocumentedPasses() {
    assertThatCode(() -> OpenApiContract.check("GET", "/health", Map.of(), null, 200, JSON,
        "{\"status\":\"ok\",\"database\":\"ok\"}")).doesNotThrowAnyException();
  }

  @Test
  void anAnswerMissingARequiredMemberFails() {
    assertThatThrownBy(() -> OpenApiContract.check("GET", "/health", Map.of(), null, 200, JSON,
        "{\"status\":\"ok\"}"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("database");
  }

  @Test
  void aNullWhereTheDocumentWantsTextFails() {
    assertThatThrownBy(() -> OpenApiContract.check("GET", "/v1/linkedin/forms", Map.of(), null, 200, JSON,
        "{\"items\":[{\"formUrn\":null,\"name\":\"x\",\"fields\":{},\"contactStrategyId\":\"default-contact\","
            + "\"leadStrategyId\":\"default-lead\",\"onPartialMatch\":\"create\",\"includeTestLeads\":false}],"
            + "\"next\":null}"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("formUrn");
  }

  @Test
  void aStatusTheOperationDoesNotListFails() {
    assertThatThrownBy(() -> OpenApiContract.check("GET", "/health", Map.of(), null, 418, PROBLEM,
        "{\"type\":\"urn:leadcycle:problem:conflict\",\"title\":\"x\",\"status\":418,\"detail\":\"x\",\"errors\":[]}"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void anAcceptedRequestTheDocumentForbidsFails() {
    assertThatThrownBy(() -> OpenApiContract.check("POST", "/v1/matching-strategies", JSON,
        "{\"name\":\"x\",\"entity\":\"planet\",\"fields\":[\"email\"]}", 201, JSON,
        "{\"id\":\"x\",\"name\":\"x\",\"entity\":\"contact\",\"fields\":[\"email\"]}"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("planet");
  }

  @Test
  void aRefusedRequestIsHeldToItsAnswerOnly() {
    assertThatCode(() -> OpenApiContract.check("POST", "/v1/matching-strategies", JSON,
        "{\"name\":\"x\",\"entity\":\"planet\",\"fields\":[\"email\"]}", 400, PROBLEM,
        "{\"type\":\"urn:leadcycle:problem:invalid-request\",\"title\":\"Invalid request\",\"status\":400,"
            + "\"detail\":\"x\",\"errors\":[{\"field\":\"entity\",\"message\":\"contact or lead\"}]}"))
        .doesNotThrowAnyException();
  }
}
