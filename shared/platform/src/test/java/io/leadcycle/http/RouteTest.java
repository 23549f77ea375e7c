package io.leadcycle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {

  private static final Route.Endpoint NOTHING = request -> {
    throw new AssertionError("not called");
  };

  private static Route route(String method, String path) {
    return new Route(method, path, Access.PUBLIC, NOTHING);
  }

  private static final Route SUBMISSIONS = route("POST", "/v1/forms/{formId}/submissions");

  @Test
  void extractsPathParameters() {
    assertThat(SUBMISSIONS.match("/v1/forms/spring-page/submissions")).containsExactly(Map.entry("formId", "spring-page"));
  }

  @Test
  void extractsSeveralPathParameters() {
    Route redeliver = route("POST", "/v1/subscribers/{id}/deliveries/{deliveryId}/redeliver");

    assertThat(redeliver.match("/v1/subscribers/s-1/deliveries/d-2/redeliver"))
        .containsOnly(Map.entry("id", "s-1"), Map.entry("deliveryId", "d-2"));
    assertThat(redeliver.parameterNames()).containsExactly("id", "deliveryId");
  }

  @Test
  void matchesARouteWithoutParameters() {
    Route health = route("GET", "/health");

    assertThat(health.match("/health")).isEmpty();
    assertThat(health.parameterNames()).isEmpty();
  }

  @Test
  void toleratesATrailingSlash() {
    assertThat(SUBMISSIONS.match("/v1/forms/spring-page/submissions/")).containsExactly(Map.entry("formId", "spring-page"));
    assertThat(route("GET", "/health").match("/health/")).isEmpty();
  }

  @Test
  void urlDecodesParameters() {
    Route linkedIn = route("PUT", "/v1/linkedin/forms/{formUrn}");

    assertThat(linkedIn.match("/v1/linkedin/forms/urn%3Ali%3AleadGenForm%3A123"))
        .containsExactly(Map.entry("formUrn", "urn:li:leadGenForm:123"));
    assertThat(SUBMISSIONS.match("/v1/forms/spring%20page/submissions")).containsEntry("formId", "spring page");
    assertThat(SUBMISSIONS.match("/v1/forms/caf%C3%A9/submissions")).containsEntry("formId", "café");
  }

  @Test
  void aPlusInThePathStaysAPlus() {
    assertThat(SUBMISSIONS.match("/v1/forms/a+b/submissions")).containsEntry("formId", "a+b");
  }

  @Test
  void anEncodedSlashDoesNotSplitTheParameter() {
    assertThat(route("PUT", "/v1/linkedin/forms/{formUrn}").match("/v1/linkedin/forms/a%2Fb"))
        .containsExactly(Map.entry("formUrn", "a/b"));
  }

  @Test
  void nonMatchingPathsGiveNull() {
    assertThat(SUBMISSIONS.match("/v1/forms/spring-page")).isNull();
    assertThat(SUBMISSIONS.match("/v1/forms//submissions")).isNull();
    assertThat(SUBMISSIONS.match("/v1/forms/a/b/submissions")).isNull();
    assertThat(SUBMISSIONS.match("/v1/forms/spring-page/submissions/extra")).isNull();
    assertThat(SUBMISSIONS.match("/v2/forms/spring-page/submissions")).isNull();
    assertThat(SUBMISSIONS.match("/prefix/v1/forms/spring-page/submissions")).isNull();
    assertThat(SUBMISSIONS.match("/v1/forms/spring-page/submissions//")).isNull();
    assertThat(route("GET", "/health").match("/healthz")).isNull();
  }

  @Test
  void literalPartsAreNotRegularExpressions() {
    Route dotted = route("GET", "/v1/a.b/{id}");

    assertThat(dotted.match("/v1/a.b/7")).containsExactly(Map.entry("id", "7"));
    assertThat(dotted.match("/v1/aXb/7")).isNull();
  }

  @Test
  void routeKeyIsMethodAndPath() {
    assertThat(SUBMISSIONS.routeKey()).isEqualTo("POST /v1/forms/{formId}/submissions");
  }

  @Test
  void aMalformedEscapeIsNotAServerError() {
    Throwable thrown = catchThrowable(() -> SUBMISSIONS.match("/v1/forms/%zz/submissions"));

    if (thrown != null) {
      assertThat(thrown).isInstanceOf(Problem.class);
      assertThat(((Problem) thrown).status()).isEqualTo(400);
    }
  }

  @Test
  void aRouteTableNamesTheMethodsOfAPathForAllow() {
    RouteTable<String> table = new RouteTable<>(java.util.List.of(
        new RouteTable.Entry<>("a", route("PUT", "/v1/forms/{formId}")),
        new RouteTable.Entry<>("a", route("GET", "/v1/forms/{formId}")),
        new RouteTable.Entry<>("a", SUBMISSIONS)));

    assertThat(table.methods("/v1/forms/spring")).containsExactly("GET", "PUT");
    assertThat(table.methods("/v1/forms/spring/submissions")).containsExactly("POST");
    assertThat(table.methods("/v1/nothing")).isEmpty();
    assertThat(((Problem) catchThrowable(() -> table.find(null, "DELETE", "/v1/forms/spring"))).status()).isEqualTo(405);
  }

  @Test
  void aPathWrittenOutIsTakenBeforeOneWithAParameterInItsPlace() {
    RouteTable<String> table = new RouteTable<>(java.util.List.of(
        new RouteTable.Entry<>("a", route("GET", "/v1/imports/{importId}")),
        new RouteTable.Entry<>("a", route("POST", "/v1/imports/preview"))));

    assertThat(table.find(null, "POST", "/v1/imports/preview").route().path()).isEqualTo("/v1/imports/preview");
    assertThat(table.methods("/v1/imports/preview")).containsExactly("POST");
    assertThat(((Problem) catchThrowable(() -> table.find(null, "GET", "/v1/imports/preview"))).status())
        .isEqualTo(405);
    assertThat(table.find(null, "GET", "/v1/imports/9b2").pathParameters()).containsEntry("importId", "9b2");
  }

  @Test
  void aGreedyParameterTakesTheRestOfThePath() {
    Route files = route("GET", "/workbench/{proxy+}");

    assertThat(files.parameterNames()).containsExactly("proxy");
    assertThat(files.match("/workbench/app.js")).containsExactly(Map.entry("proxy", "app.js"));
    assertThat(files.match("/workbench/assets/v1/app.js")).containsExactly(Map.entry("proxy", "assets/v1/app.js"));
    assertThat(files.match("/workbench/assets/v1/")).containsExactly(Map.entry("proxy", "assets/v1"));
    assertThat(files.match("/workbench/a%20b.css")).containsExactly(Map.entry("proxy", "a b.css"));
    assertThat(files.match("/workbench")).as("a greedy parameter takes at least one character").isNull();
    assertThat(files.match("/workbench/")).isNull();
    assertThat(files.match("/workbenches/app.js")).isNull();
  }

  @Test
  void aGreedyParameterMustEndThePath() {
    assertThat(catchThrowable(() -> route("GET", "/workbench/{proxy+}/more")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end the path");
  }

  @Test
  void theBarePathGoesToItsOwnRouteAndTheRestToTheGreedyOne() {
    RouteTable<String> table = new RouteTable<>(java.util.List.of(
        new RouteTable.Entry<>("page", route("GET", "/workbench")),
        new RouteTable.Entry<>("files", route("GET", "/workbench/{proxy+}"))));

    assertThat(table.find(null, "GET", "/workbench").owner()).isEqualTo("page");
    assertThat(table.find(null, "GET", "/workbench/").owner()).isEqualTo("page");
    assertThat(table.find(null, "GET", "/workbench/x/y.js").pathParameters()).containsEntry("proxy", "x/y.js");
    assertThat(table.methods("/workbench/x/y.js")).containsExactly("GET");
  }
}
