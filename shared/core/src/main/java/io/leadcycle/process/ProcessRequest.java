package io.leadcycle.process;

import io.leadcycle.domain.InvalidInput;
import java.util.List;
import java.util.Map;

/**
 * One action with its arguments: {@code ownerId} for accept-sales and assign, {@code stage} for move, and a
 * {@code reason} (required for move, disqualify and unassign, kept on the timeline for every action).
 */
public record ProcessRequest(ProcessAction action, String ownerId, String stage, String reason) {

  /** The fields a process request may have ({@code actor} names who acted; the caller reads it). */
  public static final List<String> FIELDS = List.of("action", "ownerId", "stage", "reason", "actor");

  public static ProcessRequest of(ProcessAction action) {
    return new ProcessRequest(action, null, null, null);
  }

  /** {@code {"action": ..., "ownerId"?, "stage"?, "reason"?, "actor"?}}; 400 naming the first bad field. */
  public static ProcessRequest parse(Map<String, ?> body) {
    for (String field : body.keySet()) {
      if (!FIELDS.contains(field)) {
        throw new InvalidInput(field, "unknown field; allowed: " + String.join(", ", FIELDS));
      }
    }
    Object action = body.get("action");
    ProcessAction parsed = action instanceof String name ? ProcessAction.fromWireName(name).orElse(null) : null;
    if (parsed == null) {
      throw new InvalidInput("action", "one of: mark-telemarketing-ready, accept-telemarketing, ready-for-sales, "
          + "mark-sales-ready, accept-sales, move, disqualify, convert, assign, unassign, complete-stage, set-fields, "
          + "switch-process");
    }
    return new ProcessRequest(parsed, text(body, "ownerId"), text(body, "stage"), text(body, "reason"));
  }

  private static String text(Map<String, ?> body, String field) {
    Object value = body.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new InvalidInput(field, "must be a string");
    }
    return text.isBlank() ? null : text.strip();
  }
}
