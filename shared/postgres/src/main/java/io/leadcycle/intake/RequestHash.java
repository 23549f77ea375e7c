package io.leadcycle.intake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What binds an idempotency key to its request (the IETF Idempotency-Key draft's "fingerprint"): the
 * SHA-256, in hex, of the canonical request. Canonical is the JSON object {@code {consent, fields,
 * formId, submittedAt}} with every object's members sorted by name and no whitespace; the values as
 * received (not trimmed or normalized: a different spelling is a different request), absent ones
 * null. The submission id is the key itself and the signature headers change on every retry, so
 * neither is part of it. Computed from the body as read, before validation, so that a retry whose body
 * no longer validates is recognized too.
 */
public final class RequestHash {

  private RequestHash() {
  }

  public static String of(String formId, Map<String, ?> fields, Object consent, Object submittedAt) {
    Map<String, Object> request = new TreeMap<>();
    request.put("consent", canonical(consent));
    request.put("fields", canonical(fields));
    request.put("formId", formId);
    request.put("submittedAt", canonical(submittedAt));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(new JsonObject(request).encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Objects with their members sorted by name, at every depth; lists and scalars as they are. */
  private static Object canonical(Object value) {
    if (value instanceof JsonObject json) {
      return canonical(json.getMap());
    }
    if (value instanceof JsonArray array) {
      return canonical(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((name, member) -> sorted.put(String.valueOf(name), canonical(member)));
      return new JsonObject(sorted);
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(canonical(item)));
      return new JsonArray(items);
    }
    return value;
  }
}
