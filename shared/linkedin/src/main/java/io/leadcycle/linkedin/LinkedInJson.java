package io.leadcycle.linkedin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** LinkedIn's JSON as the plain maps and lists the domain reads. */
final class LinkedInJson {

  private LinkedInJson() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> plain(JsonObject object) {
    return (Map<String, Object>) plainValue(object);
  }

  private static Object plainValue(Object value) {
    if (value instanceof JsonObject object) {
      return plainValue(object.getMap());
    }
    if (value instanceof JsonArray array) {
      return plainValue(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> plain = new LinkedHashMap<>();
      map.forEach((key, item) -> plain.put(String.valueOf(key), plainValue(item)));
      return plain;
    }
    if (value instanceof List<?> list) {
      List<Object> plain = new ArrayList<>();
      list.forEach(item -> plain.add(plainValue(item)));
      return plain;
    }
    return value;
  }
}
