package io.leadcycle.runtime;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/**
 * One JSON object per line on standard output, which Lambda ships to CloudWatch Logs as it is.
 * Callers pass only what is safe to keep: never secrets, signatures or request bodies.
 */
public final class JsonLog {

  private JsonLog() {
  }

  public static void info(String requestId, String message, JsonObject details) {
    write("INFO", requestId, message, details);
  }

  public static void warn(String requestId, String message, JsonObject details) {
    write("WARN", requestId, message, details);
  }

  public static void error(String requestId, String message, Throwable error) {
    error(requestId, message, error, null);
  }

  /** An error with its stack trace and what it was about (a message id, a route). */
  public static void error(String requestId, String message, Throwable error, JsonObject details) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    JsonObject line = details == null ? new JsonObject() : details.copy();
    write("ERROR", requestId, message, line
        .put("error", error.getClass().getName() + ": " + error.getMessage())
        .put("stackTrace", trace.toString()));
  }

  private static void write(String level, String requestId, String message, JsonObject details) {
    JsonObject line = new JsonObject()
        .put("time", Instant.now().toString())
        .put("level", level)
        .put("requestId", requestId)
        .put("message", message);
    if (details != null) {
      line.mergeIn(details);
    }
    System.out.println(line.encode());
  }
}
