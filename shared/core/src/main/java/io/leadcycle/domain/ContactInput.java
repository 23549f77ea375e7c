package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A contact created by hand ({@code POST /v1/contacts}), validated like a form submission's fields. */
public record ContactInput(ContactDetails details, UUID accountId) {

  private static final List<String> ALLOWED = ContactDetails.INPUT_FIELDS;

  public static ContactInput parse(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, ALLOWED, "", errors);
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : ContactDetails.STANDARD_FIELDS) {
      String value = Fields.optionalText(body, name, Integer.MAX_VALUE, errors);
      if (value != null) {
        ContactFields.checkStandardField(name, name, value, errors);
        values.put(name, value);
      }
    }
    Map<String, String> attributes = attributes(body.get("attributes"), false, errors);
    UUID accountId = Fields.optionalUuid(body, "accountId", errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new ContactInput(new ContactDetails(values.get("email"), values.get("firstName"), values.get("lastName"),
        values.get("phone"), values.get("companyName"), values.get("jobTitle"), values.get("country"), attributes),
        accountId);
  }

  /**
   * Reads {@code attributes}: an object of text values. With {@code allowNull} a null value stays in
   * the map (a patch's "remove this attribute").
   */
  static Map<String, String> attributes(Object raw, boolean allowNull, List<FieldError> errors) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (raw == null) {
      return attributes;
    }
    if (!(raw instanceof Map<?, ?> map)) {
      errors.add(new FieldError("attributes", "must be an object of text values"));
      return attributes;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = e.getKey().toString();
      String path = "attributes." + name;
      Object value = e.getValue();
      if (!ContactFields.isAttributeName(name)) {
        errors.add(new FieldError(path, ContactFields.ATTRIBUTE_NAME_RULE));
      } else if (value == null && allowNull) {
        attributes.put(name, null);
      } else if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        errors.add(new FieldError(path, "must be a string, number or boolean"));
      } else if (value.toString().length() > Submission.MAX_ATTRIBUTE_LENGTH) {
        errors.add(new FieldError(path, "longer than " + Submission.MAX_ATTRIBUTE_LENGTH + " characters"));
      } else {
        attributes.put(name, value.toString());
      }
    }
    if (attributes.size() > Submission.MAX_ATTRIBUTES) {
      errors.add(new FieldError("attributes", "more than " + Submission.MAX_ATTRIBUTES + " attributes"));
    }
    return attributes;
  }
}
