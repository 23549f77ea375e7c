package io.leadcycle.store;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Conversions between rows and domain values that several stores need. */
public final class Rows {

  private Rows() {
  }

  public static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  public static Map<String, String> stringMap(Object json) {
    Map<String, String> map = new LinkedHashMap<>();
    if (json instanceof JsonObject object) {
      object.forEach(e -> map.put(e.getKey(), e.getValue() == null ? null : e.getValue().toString()));
    }
    return map;
  }

  /** A JSON object as plain nested Maps and Lists, which is what the domain's parsers read. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plainMap(JsonObject object) {
    return (Map<String, Object>) plain(object);
  }

  /** A JSON value read from a jsonb column as a plain value (Map, List, text, number, boolean); JSON null as null. */
  public static Object plainValue(Object value) {
    return value == io.vertx.sqlclient.Tuple.JSON_NULL ? null : plain(value);
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      java.util.List<Object> list = new java.util.ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }

  public static JsonObject json(Map<String, ?> map) {
    return map == null ? null : new JsonObject(new LinkedHashMap<>(map));
  }
}
