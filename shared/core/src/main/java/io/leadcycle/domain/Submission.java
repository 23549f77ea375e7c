package io.leadcycle.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One validated marketing-page submission or event registration: who the person says they are, when
 * and with what consent, the fields exactly as received (for the form's submission log), and hints for
 * the sender. Built only by {@link #parse}, which names every invalid field.
 */
public record Submission(String submissionId, Instant submittedAt, ContactDetails contact, Map<String, Object> consent,
    Map<String, Object> receivedFields, List<String> warnings) {

  public Submission {
    receivedFields = receivedFields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(receivedFields));
    warnings = List.copyOf(warnings);
  }

  public static final int MAX_EMAIL_LENGTH = 254;
  public static final int MAX_PHONE_LENGTH = 50;
  public static final int MAX_TEXT_LENGTH = 200;
  public static final int MAX_ATTRIBUTE_LENGTH = 2000;
  public static final int MAX_ATTRIBUTES = 50;
  public static final int MAX_SUBMISSION_ID_LENGTH = 200;
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");


  /**
   * Validates a submission for {@code form}.
   *
   * @param submissionId the client's id of the submission, or null
   * @param submittedAt an ISO-8601 time, or null for "now"
   * @param fields the submitted fields by name (strings, numbers or booleans)
   * @param consent the consent object as sent, or null
   * @throws InvalidInput naming every field that is missing, malformed or too long
   */
  public static Submission parse(Object submissionId, Object submittedAt, Map<String, ?> fields, Object consent, Form form) {
    return parse(submissionId, submittedAt, fields, consent, form, true);
  }

  /**
   * As {@link #parse(Object, Object, Map, Object, Form)}; with {@code requireStrategyFields} false the
   * fields the form's strategies match on may be missing (a source that decides itself what a partial
   * match means: LinkedIn's {@code onPartialMatch}).
   */
  public static Submission parse(Object submissionId, Object submittedAt, Map<String, ?> fields, Object consent, Form form,
      boolean requireStrategyFields) {
    List<FieldError> errors = new ArrayList<>();
    String id = optionalText("submissionId", submissionId, MAX_SUBMISSION_ID_LENGTH, errors);
    Instant at = instant("submittedAt", submittedAt, errors);
    Map<String, Object> consentMap = consentMap(consent, errors);

    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    if (fields == null) {
      errors.add(new FieldError("fields", "required: an object of submitted fields"));
    } else {
      for (Map.Entry<String, ?> entry : fields.entrySet()) {
        String name = entry.getKey();
        String path = "fields." + name;
        String value = scalar(path, entry.getValue(), errors);
        if (value == null) {
          continue;
        }
        if (ContactDetails.STANDARD_FIELDS.contains(name)) {
          ContactFields.checkStandardField(path, name, value, errors);
          values.put(name, value);
        } else if (!ContactFields.isAttributeName(name)) {
          errors.add(new FieldError(path, ContactFields.ATTRIBUTE_NAME_RULE));
        } else if (value.length() > MAX_ATTRIBUTE_LENGTH) {
          errors.add(new FieldError(path, "longer than " + MAX_ATTRIBUTE_LENGTH + " characters"));
        } else {
          attributes.put(name, value);
          String hint = FieldNameHints.warning(name);
          if (hint != null) {
            warnings.add(hint);
          }
        }
      }
      if (attributes.size() > MAX_ATTRIBUTES) {
        errors.add(new FieldError("fields", "more than " + MAX_ATTRIBUTES + " custom fields"));
      }
    }
    ContactDetails contact = new ContactDetails(values.get("email"), values.get("firstName"), values.get("lastName"),
        values.get("phone"), values.get("companyName"), values.get("jobTitle"), values.get("country"), attributes);

    // Every field the form's strategies match on must be present, or the submission cannot be matched.
    if (fields != null && requireStrategyFields) {
      for (MatchingStrategy strategy : form.strategiesInUse()) {
        for (MatchField field : strategy.fields()) {
          String path = "fields." + field.wireName();
          if (field != MatchField.MARKETING_CONTEXT_ID && field.normalize(contact.get(field)) == null
              && errors.stream().noneMatch(e -> e.field().equals(path))) {
            errors.add(new FieldError(path, "required by matching strategy " + strategy.id()));
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    Map<String, Object> received = new LinkedHashMap<>();
    fields.forEach((name, value) -> received.put(name, value));
    return new Submission(id, at, contact, consentMap, received, warnings);
  }

  /** A string, number or boolean as trimmed text; null when absent or blank. */
  private static String scalar(String path, Object value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      String text = value.toString().strip();
      return text.isEmpty() ? null : text;
    }
    errors.add(new FieldError(path, "must be a string, number or boolean"));
    return null;
  }

  private static String optionalText(String path, Object value, int maxLength, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      errors.add(new FieldError(path, "must be a non-empty string"));
      return null;
    }
    if (text.length() > maxLength) {
      errors.add(new FieldError(path, "longer than " + maxLength + " characters"));
      return null;
    }
    return text;
  }

  private static Instant instant(String path, Object value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      try {
        Instant at = OffsetDateTime.parse(text).toInstant();
        if (at.isAfter(EARLIEST) && at.isBefore(LATEST)) {
          return at;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    errors.add(new FieldError(path, "must be an ISO-8601 time with an offset between the years 2000 and 9999, "
        + "e.g. 2026-11-27T10:15:00Z"));
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> consentMap(Object consent, List<FieldError> errors) {
    if (consent == null) {
      return null;
    }
    if (consent instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    errors.add(new FieldError("consent", "must be an object"));
    return null;
  }
}
