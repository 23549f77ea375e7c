package io.leadcycle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestTest {

  private static HttpRequest request(String contentType, String body) {
    Map<String, String> headers = new HashMap<>();
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    return new HttpRequest("POST", "/v1/forms/f/submissions", Map.of("formId", "f"), Map.of("after", "c1"), headers,
        body.getBytes(StandardCharsets.UTF_8), "req-1");
  }

  private static Problem problem(Runnable call) {
    Problem problem = catchThrowableOfType(Problem.class, call::run);
    assertThat(problem).as("Problem thrown").isNotNull();
    return problem;
  }

  @Test
  void headersAreLookedUpCaseInsensitively() {
    HttpRequest request = request("application/json", "{}");

    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("CONTENT-TYPE")).isEqualTo("application/json");
    assertThat(request.header("webhook-id")).isNull();
    assertThat(request.pathParameter("formId")).isEqualTo("f");
    assertThat(request.queryParameter("after")).isEqualTo("c1");
  }

  @Test
  void mediaTypeDropsParametersAndLowerCases() {
    assertThat(request("application/json; charset=utf-8", "").mediaType()).isEqualTo("application/json");
    assertThat(request("Application/JSON;charset=UTF-8", "").mediaType()).isEqualTo("application/json");
    assertThat(request("  text/plain  ", "").mediaType()).isEqualTo("text/plain");
    assertThat(request(null, "").mediaType()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
      "application/problem+json", "application/vnd.api+json; charset=utf-8"})
  void recognizesJson(String contentType) {
    assertThat(request(contentType, "{}").isJson()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "text/json-ish", "application/jsonp",
      "multipart/form-data; boundary=json"})
  void recognizesNonJson(String contentType) {
    assertThat(request(contentType, "{}").isJson()).isFalse();
  }

  @Test
  void noContentTypeIsNotJson() {
    assertThat(request(null, "{}").isJson()).isFalse();
    assertThat(request(null, "{}").isFormUrlEncoded()).isFalse();
  }

  @Test
  void recognizesFormUrlEncoded() {
    assertThat(request("application/x-www-form-urlencoded; charset=UTF-8", "").isFormUrlEncoded()).isTrue();
    assertThat(request("application/json", "").isFormUrlEncoded()).isFalse();
  }

  @Test
  void jsonBodyParsesAnObject() {
    JsonObject body = request("application/json; charset=utf-8", "{\"fields\":{\"email\":\"a@b.io\"},\"n\":1}").jsonBody();

    assertThat(body.getJsonObject("fields").getString("email")).isEqualTo("a@b.io");
    assertThat(body.getInteger("n")).isEqualTo(1);
  }

  @Test
  void jsonBodyAcceptsPlusJsonTypes() {
    assertThat(request("application/merge-patch+json", "{\"a\":true}").jsonBody().getBoolean("a")).isTrue();
  }

  @Test
  void jsonBodyDecodesUtf8() {
    assertThat(request("application/json", "{\"name\":\"Jürgen Groß\"}").jsonBody().getString("name"))
        .isEqualTo("Jürgen Groß");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":}", "{'a':1}", "not json", "{\"a\":1} trailing", "{\"a\":1}{}"})
  void malformedJsonIs400(String body) {
    Problem problem = problem(() -> request("application/json", body).jsonBody());

    assertThat(problem.status()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"text\"", "42", "true", "null"})
  void nonObjectJsonIs400(String body) {
    Problem problem = problem(() -> request("application/json", body).jsonBody());

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem).hasMessageContaining("object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n"})
  void emptyJsonBodyIs400(String body) {
    assertThat(problem(() -> request("application/json", body).jsonBody()).status()).isEqualTo(400);
  }

  @Test
  void deeplyNestedJsonIs400() {
    String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

    assertThat(problem(() -> request("application/json", deep).jsonBody()).status()).isEqualTo(400);
  }

  @Test
  void wrongContentTypeForJsonBodyIs415() {
    Problem wrong = problem(() -> request("text/plain", "{\"a\":1}").jsonBody());
    Problem form = problem(() -> request("application/x-www-form-urlencoded", "{\"a\":1}").jsonBody());
    Problem missing = problem(() -> request(null, "{\"a\":1}").jsonBody());

    assertThat(wrong.status()).isEqualTo(415);
    assertThat(wrong).hasMessageContaining("text/plain");
    assertThat(form.status()).isEqualTo(415);
    assertThat(missing.status()).isEqualTo(415);
    assertThat(missing).hasMessageContaining("no Content-Type");
  }

  @Test
  void formBodyDecodesPlusAndPercentEscapes() {
    Map<String, String> fields = request("application/x-www-form-urlencoded",
        "email=ann%2Btag%40example.com&firstName=Ann+Marie&city=K%C3%B6ln&note=50%25+off").formBody();

    assertThat(fields).containsExactly(entry("email", "ann+tag@example.com"), entry("firstName", "Ann Marie"),
        entry("city", "Köln"), entry("note", "50% off"));
  }

  @Test
  void formBodyDecodesKeysAndHandlesEdgeCases() {
    Map<String, String> fields = request("application/x-www-form-urlencoded",
        "first%20name=A&flag&empty=&&a=1&a=2&eq=x%3Dy=z").formBody();

    assertThat(fields).containsExactly(entry("first name", "A"), entry("flag", ""), entry("empty", ""),
        entry("a", "2"), entry("eq", "x=y=z"));
  }

  @Test
  void emptyFormBodyHasNoFields() {
    assertThat(request("application/x-www-form-urlencoded", "").formBody()).isEmpty();
    assertThat(request("application/x-www-form-urlencoded", "  ").formBody()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"email=%zz", "email=%", "email=abc%4", "%G1=x"})
  void malformedFormEscapeIs400(String body) {
    Problem problem = problem(() -> request("application/x-www-form-urlencoded", body).formBody());

    assertThat(problem.status()).isEqualTo(400);
  }

  @Test
  void bodyTextIsUtf8() {
    assertThat(request("text/plain", "Grüße").bodyText()).isEqualTo("Grüße");
  }
}
