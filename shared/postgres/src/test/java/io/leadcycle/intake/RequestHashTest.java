package io.leadcycle.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical request an idempotency key is bound to. */
class RequestHashTest {

  private static Map<String, Object> ordered(Object... nameValue) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      map.put((String) nameValue[i], nameValue[i + 1]);
    }
    return map;
  }

  @Test
  void memberOrderDoesNotCountAtAnyDepth() {
    String one = RequestHash.of("page", ordered("email", "ada@example.com", "firstName", "Ada"),
        ordered("newsletter", true, "details", ordered("a", 1, "b", List.of(1, 2))), "2026-11-27T08:30:00Z");
    String other = RequestHash.of("page", ordered("firstName", "Ada", "email", "ada@example.com"),
        ordered("details", ordered("b", List.of(1, 2), "a", 1), "newsletter", true), "2026-11-27T08:30:00Z");

    assertThat(one).isEqualTo(other).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void everyPartCounts() {
    String base = RequestHash.of("page", ordered("email", "ada@example.com"), null, null);

    assertThat(RequestHash.of("other", ordered("email", "ada@example.com"), null, null)).isNotEqualTo(base);
    assertThat(RequestHash.of("page", ordered("email", "ada@example.com "), null, null)).isNotEqualTo(base);
    assertThat(RequestHash.of("page", ordered("email", "ada@example.com"), ordered("newsletter", true), null))
        .isNotEqualTo(base);
    assertThat(RequestHash.of("page", ordered("email", "ada@example.com"), null, "2026-11-27T08:30:00Z"))
        .isNotEqualTo(base);
    assertThat(RequestHash.of("page", ordered("email", "ada@example.com", "n", 3), null, null))
        .isNotEqualTo(RequestHash.of("page", ordered("email", "ada@example.com", "n", "3"), null, null));
  }

  @Test
  void itIsTheSha256OfTheDocumentedCanonicalJson() throws Exception {
    String canonical = "{\"consent\":null,\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ada\"},"
        + "\"formId\":\"page\",\"submittedAt\":null}";
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
        .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(RequestHash.of("page", ordered("firstName", "Ada", "email", "ada@example.com"), null, null))
        .isEqualTo(java.util.HexFormat.of().formatHex(digest));
  }
}
