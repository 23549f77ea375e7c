package io.leadcycle.local;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The route reference ({@code docs/openapi.yaml}, packed into the jar), served as JSON at {@code GET /openapi.json}. */
final class OpenApiDocument {

  private static volatile String json;

  private OpenApiDocument() {
  }

  static String json() {
    if (json == null) {
      try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
        if (in == null) {
          throw new IllegalStateException("openapi.yaml is not on the class path (built from docs/openapi.yaml)");
        }
        Map<String, Object> document = new Yaml().load(in);
        json = new JsonObject(plain(document)).encode();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return json;
  }

  /** YAML reads unquoted timestamps as dates; JSON wants them as the text they were. */
  @SuppressWarnings("unchecked")
  private static <T> T plain(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
      return (T) copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(plain(v)));
      return (T) copy;
    }
    if (value instanceof Date date) {
      return (T) date.toInstant().toString();
    }
    return value;
  }
}
