package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A partial update of a contact ({@code PATCH /v1/contacts/{id}}), with JSON merge-patch meaning: a
 * field that is absent stays as it is, a field set to {@code null} is cleared, an attribute set to
 * {@code null} is removed, {@code accountId: null} unlinks the account.
 */
public record ContactPatch(Map<String, String> fields, Map<String, String> attributes, boolean changesAccount,
    UUID accountId) {

  private static final List<String> ALLOWED = ContactDetails.INPUT_FIELDS;

  public static ContactPatch parse(Map<String, ?> body) {
    if (body.isEmpty()) {
      throw InvalidInput.ofBody("An empty patch changes nothing: send at least one of " + String.join(", ", ALLOWED)
          + " (null clears a field).");
    }
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, ALLOWED, "", errors);
    Map<String, String> fields = new HashMap<>();
    for (String name : ContactDetails.STANDARD_FIELDS) {
      if (!body.containsKey(name)) {
        continue;
      }
      String value = body.get(name) == null ? null : Fields.optionalText(body, name, Integer.MAX_VALUE, errors);
      if (value != null) {
        ContactFields.checkStandardField(name, name, value, errors);
      }
      fields.put(name, value);
    }
    Map<String, String> attributes = ContactInput.attributes(body.get("attributes"), true, errors);
    UUID accountId = Fields.optionalUuid(body, "accountId", errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new ContactPatch(fields, attributes, body.containsKey("accountId"), accountId);
  }

  /** The contact's details with this patch applied. */
  public ContactDetails applyTo(ContactDetails d) {
    Map<String, String> merged = new LinkedHashMap<>(d.attributes());
    attributes.forEach((name, value) -> {
      if (value == null) {
        merged.remove(name);
      } else {
        merged.put(name, value);
      }
    });
    return new ContactDetails(
        pick("email", d.email()), pick("firstName", d.firstName()), pick("lastName", d.lastName()),
        pick("phone", d.phone()), pick("companyName", d.companyName()), pick("jobTitle", d.jobTitle()),
        pick("country", d.country()), merged);
  }

  private String pick(String name, String current) {
    return fields.containsKey(name) ? fields.get(name) : current;
  }
}
