package io.leadcycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonLog} writes its lines without Jackson: each must be, character for character, what the
 * JsonObject it replaced encoded to (the log fields docs/operations.md promises, their order and escapes).
 */
class JsonLogTest {

  /** The line as JsonLog wrote it before: a JsonObject of the first four members, the details merged in. */
  private static String asJsonObjectWrote(String time, String level, String requestId, String message,
      JsonObject details) {
    JsonObject line = new JsonObject().put("time", time).put("level", level).put("requestId", requestId)
        .put("message", message);
    if (details != null) {
      line.mergeIn(details);
    }
    return line.encode();
  }

  private static void sameAsJsonObject(String requestId, String message, JsonObject details) {
    String time = "2026-12-06T12:06:19.718Z";
    assertThat(JsonLog.line(time, "INFO", requestId, message, details))
        .isEqualTo(asJsonObjectWrote(time, "INFO", requestId, message, details));
  }

  @Test
  void aClosingInvocationLineWithItsMetricsIsWrittenAsTheJsonObjectWasEncoded() {
    Metrics metrics = new Metrics();
    metrics.count(Metric.SUBMISSIONS_ACCEPTED);
    metrics.count(Metric.CONTACTS_CREATED, 0);
    JsonObject line = new JsonObject().put("function", "FormIntakeHandler").put("method", "POST")
        .put("route", "POST /v1/forms/{formId}/submissions").put("status", 201).put("durationMs", 83.7)
        .put("coldStart", false);
    metrics.embedIn(line, "leadcycle-FormIntakeFunction-AbC123", 1796558779718L);

    sameAsJsonObject("a4e83a23-0c1b-4d8e-9b7a-6f0e1d2c3b4a", "invocation", line);
  }

  @Test
  void everyKindOfValueAndNoDetailsAtAll() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("n", 1);
    map.put("nested", List.of("a", 2L, true));
    JsonObject details = new JsonObject()
        .put("null", (Object) null).put("int", 7).put("long", Long.MAX_VALUE).put("negative", -3)
        .put("double", 0.1).put("tiny", 1.0E-7).put("huge", 1.5E300).put("float", 1.25f)
        .put("decimal", new BigDecimal("12.3400")).put("bool", true)
        .put("instant", Instant.parse("2026-12-06T12:00:00Z")).put("bytes", new byte[] {1, 2, 3})
        .put("object", new JsonObject().put("a", new JsonArray().add(1).add("x").addNull()))
        .put("map", map).put("list", List.of(1, "two")).put("empty", new JsonObject());

    sameAsJsonObject("id", "every kind", details);
    sameAsJsonObject(null, null, null);
    sameAsJsonObject("id", "no details", new JsonObject());
  }

  @Test
  void aDetailNamedLikeAFirstMemberReplacesItInPlaceAsMergeInDid() {
    sameAsJsonObject("id", "message", new JsonObject().put("route", "r").put("message", "replaced").put("time", 5));
  }

  @Test
  void stringsAreEscapedAsJacksonEscapesThem() {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      every.append(c);
    }
    every.append("é ü 日本 \u2028 \u2029 \uD83D\uDE00 \u007F \u0080 \u00A0");
    sameAsJsonObject("id", every.toString(), new JsonObject().put(every.toString(), every.toString()));

    Random random = new Random(23);
    for (int i = 0; i < 200; i++) {
      char[] chars = new char[random.nextInt(40)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = (char) (random.nextBoolean() ? random.nextInt(0x100) : random.nextInt(0xD800));
      }
      sameAsJsonObject("id", new String(chars), new JsonObject().put("reason", new String(chars)));
    }
  }
}
