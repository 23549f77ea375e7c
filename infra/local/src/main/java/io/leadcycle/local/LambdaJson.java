package io.leadcycle.local;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Events in and answers out the way the AWS Java runtime (de)serializes them
 * ({@code aws-lambda-java-serialization}), so that a handler on the local server sees exactly what it
 * would see in Lambda. A {@code Map} event (custom resources) is plain JSON.
 */
final class LambdaJson {

  private LambdaJson() {
  }

  @SuppressWarnings("unchecked")
  static <T> T read(Class<T> type, String json) {
    if (Map.class.isAssignableFrom(type)) {
      return (T) new JsonObject(json).getMap();
    }
    return serializer(type).fromJson(json);
  }

  @SuppressWarnings("unchecked")
  static String write(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?> map) {
      return new JsonObject(new LinkedHashMap<>((Map<String, Object>) map)).encode();
    }
    PojoSerializer<Object> serializer = (PojoSerializer<Object>) serializer(value.getClass());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer.toJson(value, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static <T> PojoSerializer<T> serializer(Class<T> type) {
    return LambdaEventSerializers.serializerFor(type, LambdaJson.class.getClassLoader());
  }
}
