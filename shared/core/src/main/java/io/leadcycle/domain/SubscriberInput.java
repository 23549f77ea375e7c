package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A new subscriber ({@code POST /v1/subscribers}): {@code {url, events, description?}}, checked against
 * the URL policy of this host and the event types the outbox writes.
 */
public record SubscriberInput(String url, List<String> events, String description) {

  public static final int MAX_EVENTS = 20;
  public static final int MAX_DESCRIPTION_LENGTH = 500;
  public static final List<String> FIELDS = List.of("url", "events", "description");

  public SubscriberInput {
    events = List.copyOf(events);
  }

  public static SubscriberInput parse(Map<String, ?> body, WebhookUrlPolicy policy) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    String url = url(body.get("url"), policy, errors);
    List<String> events = events(body.get("events"), errors);
    String description = description(body.get("description"), errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new SubscriberInput(url, events, description);
  }

  /** The {@code url} member: required, a string the policy allows (kept as sent, without outer spaces). */
  static String url(Object value, WebhookUrlPolicy policy, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError("url", "required: the https URL webhooks are POSTed to"));
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      errors.add(new FieldError("url", "must be a non-empty string: the https URL webhooks are POSTed to"));
      return null;
    }
    String url = text.strip();
    String violation = policy.violation(url);
    if (violation != null) {
      errors.add(new FieldError("url", violation));
      return null;
    }
    return url;
  }

  /** The {@code events} member: 1 to 20 distinct known types, or {@code ["*"]} alone. */
  static List<String> events(Object value, List<FieldError> errors) {
    String expected = "a list of 1 to " + MAX_EVENTS + " event types (" + String.join(", ", EventTypes.TYPES)
        + "), or [\"*\"] for all";
    if (!(value instanceof List<?> list)) {
      errors.add(new FieldError("events", (value == null ? "required: " : "must be ") + expected));
      return List.of();
    }
    if (list.isEmpty() || list.size() > MAX_EVENTS) {
      errors.add(new FieldError("events", (list.isEmpty() ? "empty" : "more than " + MAX_EVENTS + " types")
          + "; expected " + expected));
      return List.of();
    }
    List<String> events = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int before = errors.size();
    for (int i = 0; i < list.size(); i++) {
      String field = "events[" + i + "]";
      Object item = list.get(i);
      if (!(item instanceof String type)) {
        errors.add(new FieldError(field, "must be an event type (a string)"));
      } else if (!type.equals(EventTypes.ALL) && !EventTypes.isKnown(type)) {
        errors.add(new FieldError(field, "unknown event type \"" + type + "\"; known: "
            + String.join(", ", EventTypes.TYPES) + ", or \"*\" for all"));
      } else if (!seen.add(type)) {
        errors.add(new FieldError(field, "\"" + type + "\" is listed twice"));
      } else {
        events.add(type);
      }
    }
    if (errors.size() == before && events.contains(EventTypes.ALL) && events.size() > 1) {
      errors.add(new FieldError("events", "\"*\" subscribes to every type: send it alone, [\"*\"]"));
    }
    return events;
  }

  /** The {@code description} member: absent or null for none, else at most 500 characters. */
  static String description(Object value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      errors.add(new FieldError("description", "must be a string (or null for none)"));
      return null;
    }
    if (text.length() > MAX_DESCRIPTION_LENGTH) {
      errors.add(new FieldError("description", "longer than " + MAX_DESCRIPTION_LENGTH + " characters"));
      return null;
    }
    String stripped = text.strip();
    return stripped.isEmpty() ? null : stripped;
  }
}
