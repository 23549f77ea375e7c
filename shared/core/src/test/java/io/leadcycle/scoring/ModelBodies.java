package io.leadcycle.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Model bodies for tests: maps built from keys and values, a valid default, and the faults parse reports. */
final class ModelBodies {

  private ModelBodies() {
  }

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** A list that may hold nulls (List.of may not). */
  static List<Object> list(Object... values) {
    List<Object> list = new ArrayList<>();
    java.util.Collections.addAll(list, values);
    return list;
  }

  static List<Object> standardGrades() {
    return list(map("name", "C", "min", -1000, "max", 24), map("name", "B", "min", 25, "max", 49),
        map("name", "A", "min", 50, "max", 100_000));
  }

  /** A valid contact model with the given rules. */
  static Map<String, Object> contactModel(Object... rules) {
    return map("name", "Test model", "target", "contact", "salesReadyThreshold", 50, "grades", standardGrades(),
        "rules", list(rules));
  }

  static Map<String, Object> accountModel(Object... rules) {
    return map("name", "Accounts", "target", "account", "salesReadyThreshold", 50, "grades", standardGrades(),
        "rules", list(rules));
  }

  /** The body with {@code member} set to {@code value} (null removes it). */
  static Map<String, Object> with(Map<String, Object> body, String member, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(body);
    if (value == null) {
      copy.remove(member);
    } else {
      copy.put(member, value);
    }
    return copy;
  }

  static Map<String, Object> titleRule() {
    return map("id", "title", "kind", "demographic", "field", "jobTitle", "op", "contains", "value", "director",
        "points", 10);
  }

  static Map<String, Object> visitsRule() {
    return map("id", "visits", "kind", "behavioral", "interaction", "website_visited", "frequency", "each",
        "points", 2);
  }

  /** The faults of an invalid body: path to message, in order. */
  static Map<String, String> faults(Map<String, ?> body) {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> ModelDefinition.parse(body));
    assertThat(invalid).as("InvalidInput for %s", body).isNotNull();
    Map<String, String> faults = new LinkedHashMap<>();
    for (FieldError error : invalid.errors()) {
      assertThat(faults).as("one entry per fault").doesNotContainKey(error.field());
      faults.put(error.field(), error.message());
    }
    return faults;
  }

  /** The body through JSON text and back, as the store keeps it (jsonb) and Vert.x reads it. */
  static Map<String, Object> throughJson(Map<String, Object> body) {
    String json = new JsonObject(new LinkedHashMap<>(body)).encode();
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) plain(new JsonObject(json));
    return plain;
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }
}
