package io.leadcycle.testing;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Event fixtures from test resources (events/*.json), deserialized the way the AWS Java runtime does it. */
public final class LambdaEvents {

  private LambdaEvents() {
  }

  public static <T> T read(Class<T> type, String json) {
    return LambdaEventSerializers.serializerFor(type, LambdaEvents.class.getClassLoader()).fromJson(json);
  }

  public static String resource(String name) {
    try (InputStream in = LambdaEvents.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
