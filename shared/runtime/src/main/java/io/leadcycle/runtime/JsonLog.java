package io.leadcycle.runtime;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line on standard output, which Lambda ships to CloudWatch Logs as it is.
 * Callers pass only what is safe to keep: never secrets, signatures or request bodies.
 *
 * <p>Every invocation writes at least one line (its closing {@code invocation} line), so a line is written
 * straight into a StringBuilder: no merged copy of the details and no Jackson generator per line. The text is
 * the one {@code JsonObject.encode()} gives (same members, order and escapes); a value of a type not handled
 * here is encoded by Vert.x's codec.
 */
public final class JsonLog {

  private static final String[] FIRST = {"time", "level", "requestId", "message"};
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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
    System.out.println(line(Instant.now().toString(), level, requestId, message, details));
  }

  /**
   * The line: time, level, requestId and message first, then the details in their order. A detail named like
   * one of the first four replaces its value in place, as {@code mergeIn} would.
   */
  static String line(String time, String level, String requestId, String message, JsonObject details) {
    Object[] first = {time, level, requestId, message};
    StringBuilder line = new StringBuilder(256);
    line.append('{');
    for (int i = 0; i < FIRST.length; i++) {
      Object value = details != null && details.containsKey(FIRST[i]) ? details.getValue(FIRST[i]) : first[i];
      member(line, i > 0, FIRST[i], value);
    }
    if (details != null) {
      for (Map.Entry<String, Object> member : details.getMap().entrySet()) {
        if (!isFirst(member.getKey())) {
          member(line, true, member.getKey(), member.getValue());
        }
      }
    }
    return line.append('}').toString();
  }

  private static boolean isFirst(String name) {
    for (String first : FIRST) {
      if (first.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static void member(StringBuilder out, boolean comma, String name, Object value) {
    if (comma) {
      out.append(',');
    }
    string(out, name);
    out.append(':');
    value(out, value);
  }

  @SuppressWarnings("unchecked")
  private static void value(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      string(out, text);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double number) {
      out.append(number.doubleValue()); // Double.toString, as Jackson writes a double
    } else if (value instanceof JsonObject object) {
      object(out, object.getMap());
    } else if (value instanceof Map<?, ?> map && allStringKeys(map)) {
      object(out, (Map<String, Object>) map);
    } else if (value instanceof JsonArray array) {
      array(out, array.getList());
    } else if (value instanceof List<?> list) {
      array(out, list);
    } else {
      out.append(Json.encode(value)); // anything else (an Instant, an enum, bytes, a BigDecimal) as the codec writes it
    }
  }

  private static boolean allStringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static void object(StringBuilder out, Map<String, Object> members) {
    out.append('{');
    boolean comma = false;
    for (Map.Entry<String, Object> member : members.entrySet()) {
      member(out, comma, member.getKey(), member.getValue());
      comma = true;
    }
    out.append('}');
  }

  private static void array(StringBuilder out, List<?> items) {
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      value(out, items.get(i));
    }
    out.append(']');
  }

  /** A JSON string with Jackson's escapes: quote, backslash, and control characters (short forms where JSON has one). */
  private static void string(StringBuilder out, String text) {
    out.append('"');
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
