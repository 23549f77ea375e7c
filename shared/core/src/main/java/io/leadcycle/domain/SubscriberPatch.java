package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A partial update of a subscriber ({@code PATCH /v1/subscribers/{id}}): an absent member stays as it
 * is; {@code description: null} clears the description; {@code disabled: false} enables the subscriber
 * again and clears its {@code disabledReason}.
 */
public record SubscriberPatch(String url, List<String> events, boolean changesDescription, String description,
    Boolean disabled) {

  public static final List<String> FIELDS = List.of("url", "events", "description", "disabled");

  public static SubscriberPatch parse(Map<String, ?> body, WebhookUrlPolicy policy) {
    if (body.isEmpty()) {
      throw InvalidInput.ofBody("An empty patch changes nothing: send at least one of " + String.join(", ", FIELDS)
          + ".");
    }
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    String url = body.containsKey("url") ? SubscriberInput.url(body.get("url"), policy, errors) : null;
    List<String> events = body.containsKey("events") ? SubscriberInput.events(body.get("events"), errors) : null;
    String description = SubscriberInput.description(body.get("description"), errors);
    Boolean disabled = null;
    if (body.containsKey("disabled")) {
      if (body.get("disabled") instanceof Boolean flag) {
        disabled = flag;
      } else {
        errors.add(new FieldError("disabled", "must be true or false"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new SubscriberPatch(url, events == null ? null : List.copyOf(events), body.containsKey("description"),
        description, disabled);
  }
}
