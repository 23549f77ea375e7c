package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A partial update of a lead ({@code PATCH /v1/leads/{id}}): link or unlink its contact and account,
 * rename its topic, record qualification findings (budget, authority, need, timeframe, notes). An
 * absent field stays; {@code null} clears it.
 */
public record LeadPatch(boolean changesContact, UUID contactId, boolean changesAccount, UUID accountId, String topic,
    Map<String, String> qualification) {

  public static final List<String> QUALIFICATION_FIELDS = List.of("budget", "authority", "need", "timeframe", "notes");
  public static final int MAX_QUALIFICATION_LENGTH = 2000;

  public static final List<String> FIELDS = List.of("contactId", "accountId", "topic", "qualification");

  public static LeadPatch parse(Map<String, ?> body) {
    if (body.isEmpty()) {
      throw InvalidInput.ofBody("An empty patch changes nothing: send at least one of " + String.join(", ", FIELDS)
          + " (null unlinks the contact or account).");
    }
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    UUID contactId = Fields.optionalUuid(body, "contactId", errors);
    UUID accountId = Fields.optionalUuid(body, "accountId", errors);
    String topic = null;
    if (body.containsKey("topic")) {
      topic = Fields.requiredText(body, "topic", Submission.MAX_TEXT_LENGTH, errors);
    }
    Map<String, String> qualification = new LinkedHashMap<>();
    Object raw = body.get("qualification");
    if (raw instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String name = e.getKey().toString();
        String path = "qualification." + name;
        if (!QUALIFICATION_FIELDS.contains(name)) {
          errors.add(new FieldError(path, "unknown; allowed: " + String.join(", ", QUALIFICATION_FIELDS)));
        } else if (e.getValue() == null) {
          qualification.put(name, null);
        } else if (!(e.getValue() instanceof String || e.getValue() instanceof Number)) {
          errors.add(new FieldError(path, "must be text"));
        } else if (e.getValue().toString().length() > MAX_QUALIFICATION_LENGTH) {
          errors.add(new FieldError(path, "longer than " + MAX_QUALIFICATION_LENGTH + " characters"));
        } else {
          qualification.put(name, e.getValue().toString());
        }
      }
    } else if (raw != null) {
      errors.add(new FieldError("qualification", "must be an object: {budget, authority, need, timeframe, notes}"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new LeadPatch(body.containsKey("contactId"), contactId, body.containsKey("accountId"), accountId, topic,
        qualification);
  }
}
