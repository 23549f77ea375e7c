package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An admin's request to erase a person: {@code POST /v1/privacy/erasures} {@code {contactId | email, reason}}.
 * The person is named by one contact id or by an email address (every contact and contactless lead with that
 * address); the reason is kept on the tombstone, so it must not name the person (checked once the person is
 * known, {@link #namesThePerson}).
 */
public record ErasureRequest(UUID contactId, String email, String reason) {

  public static final List<String> FIELDS = List.of("contactId", "email", "reason");
  public static final int MAX_REASON_LENGTH = 500;

  public static ErasureRequest parse(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    UUID contactId = null;
    Object rawId = body.get("contactId");
    if (rawId != null) {
      try {
        contactId = rawId instanceof String text ? UUID.fromString(text.strip()) : null;
      } catch (IllegalArgumentException e) {
        contactId = null;
      }
      if (contactId == null) {
        errors.add(new FieldError("contactId", "must be a contact id (a UUID)"));
      }
    }
    String email = null;
    Object rawEmail = body.get("email");
    if (rawEmail != null) {
      String text = Fields.text("email", rawEmail, Submission.MAX_EMAIL_LENGTH, errors);
      if (text != null) {
        int before = errors.size();
        ContactFields.checkStandardField("email", "email", text, errors);
        email = errors.size() > before ? null : Normalize.email(text);
      }
    }
    if (rawId == null && rawEmail == null) {
      errors.add(new FieldError("contactId", "required: the contact to erase, or instead an email address"));
    } else if (rawId != null && rawEmail != null) {
      errors.add(new FieldError("email", "send either contactId or email, not both"));
    }
    String reason = Fields.requiredText(body, "reason", MAX_REASON_LENGTH, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new ErasureRequest(contactId, email, reason);
  }

  /**
   * Whether {@code reason} names the person by one of {@code values} (an email address, a phone number, a
   * name): the tombstone keeps the reason, and it must hold no personal data. Names count as whole words,
   * case-insensitive; phone numbers by their digits.
   */
  public static boolean namesThePerson(String reason, List<String> values) {
    String lower = reason.toLowerCase(java.util.Locale.ROOT);
    String reasonDigits = Normalize.phone(reason);
    for (String value : values) {
      if (value == null || value.isBlank()) {
        continue;
      }
      String v = value.strip().toLowerCase(java.util.Locale.ROOT);
      if (v.contains("@") ? lower.contains(v)
          : java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}])" + java.util.regex.Pattern.quote(v) + "(?![\\p{L}\\p{N}])")
              .matcher(lower).find()) {
        return true;
      }
      String digits = Normalize.phone(value);
      if (digits != null && digits.length() >= 6 && reasonDigits != null && reasonDigits.contains(digits)) {
        return true;
      }
    }
    return false;
  }
}
