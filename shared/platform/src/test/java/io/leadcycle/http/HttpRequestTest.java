package io.leadcycle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
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

  private static HttpRequest request(String contentType, byte[] body) {
    return new HttpRequest("POST", "/v1/forms/f/submissions", Map.of(), Map.of(),
        Map.of("content-type", contentType), body, "req-1");
  }

  /** {@code prefix}, then the bytes {@code bad}, then {@code suffix}: a body that is not UTF-8. */
  private static byte[] bytes(String prefix, int[] bad, String suffix) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
    for (int b : bad) {
      out.write(b);
    }
    out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
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

  @Nested
  class StrictText {

    @Test
    void aJsonBodyThatIsNotUtf8Is400NamingTheOffsetOfTheFirstBadByte() {
      // {"email":"a\xff\xfe@x.com"}: the probe's body, which was stored as "a\ufffd\ufffd@x.com"
      byte[] body = bytes("{\"email\":\"a", new int[] {0xff, 0xfe}, "@x.com\"}");

      Problem problem = problem(() -> request("application/json", body).jsonMap());

      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem).hasMessageContaining("not valid UTF-8").hasMessageContaining("offset 11")
          .hasMessageContaining("0xFF");
      assertThat(problem.toJson().getInteger("byteOffset")).isEqualTo(11);
    }

    @Test
    void aSequenceCutOffAtTheEndOrAnEncodedSurrogateIsNotUtf8Either() {
      Problem cutOff = problem(() -> request("application/json", bytes("{\"a\":\"\"}", new int[] {0xc3}, "")).jsonMap());
      // CESU-8's \ud800: a surrogate encoded as three bytes is not UTF-8
      Problem surrogate = problem(() -> request("application/json",
          bytes("{\"a\":\"", new int[] {0xed, 0xa0, 0x80}, "\"}")).jsonMap());

      assertThat(cutOff.toJson().getInteger("byteOffset")).isEqualTo(8);
      assertThat(surrogate.toJson().getInteger("byteOffset")).isEqualTo(6);
    }

    @Test
    void aFormBodyThatIsNotUtf8Is400() {
      Problem raw = problem(() -> request("application/x-www-form-urlencoded",
          bytes("email=a", new int[] {0xff}, "@x.com")).formBody());
      Problem escaped = problem(() -> request("application/x-www-form-urlencoded", "name=Ann&email=a%FF%FE%40x.com")
          .formBody());

      assertThat(raw.status()).isEqualTo(400);
      assertThat(raw.toJson().getInteger("byteOffset")).isEqualTo(7);
      assertThat(escaped.status()).isEqualTo(400);
      assertThat(escaped.errors()).singleElement().satisfies(e -> {
        assertThat(e.field()).isEqualTo("email");
        assertThat(e.message()).contains("not UTF-8").contains("offset 1");
      });
    }

    @Test
    void validUtf8OutsideTheBasicPlaneIsText() {
      Map<String, Object> body = request("application/json", "{\"name\":\"Zo\u00eb \ud83d\ude00\"}").jsonMap();

      assertThat(body).containsEntry("name", "Zoë 😀");
      assertThat(request("application/x-www-form-urlencoded", "name=%F0%9F%98%80").formBody())
          .containsEntry("name", "😀");
    }

    @Test
    void aLoneSurrogateOrNulIsRefusedWithTheFieldsPath() {
      Problem problem = problem(() -> request("application/json",
          "{\"ok\":\"x\",\"a\":{\"b\":[\"fine\",\"\\ud800\"]},\"c\":\"x\\u0000y\",\"d\\udc00\":1}").jsonMap());

      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem.errors()).extracting(e -> e.field() + ": " + e.message()).containsExactly(
          "a.b[1]: " + io.leadcycle.domain.Fields.NO_LONE_SURROGATE,
          "c: " + io.leadcycle.domain.Fields.NO_NUL,
          "d\\udc00: (the member's name) " + io.leadcycle.domain.Fields.NO_LONE_SURROGATE);
    }

    @Test
    void aNulInAFormFieldIsRefusedWithTheFieldsName() {
      Problem problem = problem(() -> request("application/x-www-form-urlencoded", "name=Ann&city=K%00ln").formBody());

      assertThat(problem.errors()).extracting(e -> e.field()).containsExactly("city");
    }

    @Test
    void aBatchLeavesItsItemsToItsOwnCheckButNothingElse() {
      String items = "\"items\":[{\"a\":\"\\u0000\"},{\"a\":\"fine\"}]";

      Map<String, Object> body = request("application/json", "{" + items + "}").jsonBatch("items");
      Problem outside = problem(() -> request("application/json", "{" + items + ",\"note\":\"\\ud800\"}")
          .jsonBatch("items"));
      Problem notABatch = problem(() -> request("application/json", "{" + items + "}").jsonMap());

      assertThat(body.get("items")).asList().hasSize(2);
      assertThat(outside.errors()).extracting(e -> e.field()).containsExactly("note");
      assertThat(notABatch.errors()).extracting(e -> e.field()).containsExactly("items[0].a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1 /* comment */}", "{\"a\":1} // comment", "# comment\n{\"a\":1}",
        "{\"a\":1,}", "{\"a\":[1,]}", "{a:1}", "{\"a\":NaN}", "{\"a\":01}", "{\"a\":'x'}", "{\"a\":1,\"a\":2}",
        "{\"a\":\"\\x41\"}", "{\"a\":\"tab\there\"}"})
    void nonStandardJsonIs400(String body) {
      Problem problem = problem(() -> request("application/json", body).jsonMap());

      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem).hasMessageContaining("not valid JSON");
    }

    @Test
    void theParserSaysWhereItStopped() {
      assertThat(problem(() -> request("application/json", "{\n  \"a\": 1 /* no */\n}").jsonMap()))
          .hasMessageContaining("line 2, column");
    }

    @Test
    void pathAndQueryValuesFollowTheSameRule() {
      assertThat(problem(() -> HttpRequest.requireText("q", "a\ud800")).errors())
          .extracting(e -> e.field() + ": " + e.message())
          .containsExactly("q: " + io.leadcycle.domain.Fields.NO_LONE_SURROGATE);
      assertThat(HttpRequest.requireText("q", "\ud83d\ude00")).isEqualTo("😀");
    }
  }
}
