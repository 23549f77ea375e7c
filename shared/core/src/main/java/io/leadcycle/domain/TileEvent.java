package io.leadcycle.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A contact passed a journey's "create lead" tile (docs/journeys.md): the journey engine's queue
 * message. Members this version does not know are ignored, so that an engine may send more; every
 * member it knows is checked, and all faults are reported at once.
 *
 * <pre>{@code {"journeyId", "tileId", "contactId", "createFor": "contact"|"account",
 *  "lead": {"topic", "context"?: {flat object}}, "occurredAt", "processId"?}}</pre>
 *
 * @param details what the journey told about the lead ({@code lead.context}): a flat object of text,
 *     numbers and booleans, kept on the lead's marketing context; empty when none was sent
 * @param processId the process the tile's lead runs on (the tile's configuration); the shipped one when none was
 *     sent. Whether it is live is checked when the lead is created (it needs the database).
 */
public record TileEvent(String journeyId, String tileId, UUID contactId, CreateFor createFor, String topic,
    Map<String, Object> details, Instant occurredAt, String processId) {

  /** Whom the tile creates the lead for: one per contact, or one per account (of the contact). */
  public enum CreateFor {
    CONTACT, ACCOUNT;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<CreateFor> fromWireName(String name) {
      for (CreateFor value : values()) {
        if (value.wireName().equals(name)) {
          return Optional.of(value);
        }
      }
      return Optional.empty();
    }
  }

  public static final int MAX_ID_LENGTH = 200;
  public static final int MAX_DETAILS = 20;
  public static final int MAX_DETAIL_NAME_LENGTH = 100;
  /** A tile that passed a contact more than a day from now is a clock or an engine gone wrong. */
  static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofDays(1);

  public TileEvent {
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    processId = processId == null ? io.leadcycle.process.ProcessDefinition.DEFAULT_ID : processId;
  }

  /** Reads a message body (already decoded from JSON); throws {@link InvalidInput} naming every fault. */
  public static TileEvent parse(Map<String, ?> body, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    String journeyId = Fields.requiredText(body, "journeyId", MAX_ID_LENGTH, errors);
    String tileId = Fields.requiredText(body, "tileId", MAX_ID_LENGTH, errors);
    UUID contactId = Fields.optionalUuid(body, "contactId", errors);
    if (body.get("contactId") == null) {
      errors.add(new FieldError("contactId", "required: the id (a UUID) of the contact who passed the tile"));
    }
    CreateFor createFor = Fields.requiredEnum(body, "createFor", v -> CreateFor.fromWireName(v),
        List.of("contact", "account"), errors);
    String topic = null;
    Map<String, Object> details = Map.of();
    Object lead = body.get("lead");
    if (!(lead instanceof Map<?, ?> map)) {
      errors.add(new FieldError("lead", (lead == null ? "required: " : "must be ")
          + "an object {topic, context?}, topic being text of up to " + Submission.MAX_TEXT_LENGTH + " characters"));
    } else {
      @SuppressWarnings("unchecked")
      Map<String, ?> leadFields = (Map<String, ?>) map;
      List<FieldError> leadErrors = new ArrayList<>();
      topic = Fields.requiredText(leadFields, "topic", Submission.MAX_TEXT_LENGTH, leadErrors);
      details = details(leadFields.get("context"), leadErrors);
      leadErrors.forEach(e -> errors.add(new FieldError("lead." + e.field(), e.message())));
    }
    Instant occurredAt = occurredAt(body.get("occurredAt"), now, errors);
    String processId = Fields.optionalText(body, "processId", MAX_ID_LENGTH, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new TileEvent(journeyId, tileId, contactId, createFor, topic, details, occurredAt, processId);
  }

  /** {@code lead.context}: absent, or a flat object of at most 20 members (text, numbers, booleans, null). */
  private static Map<String, Object> details(Object raw, List<FieldError> errors) {
    if (raw == null) {
      return Map.of();
    }
    String shape = "an object of at most " + MAX_DETAILS + " members whose values are text (up to "
        + Submission.MAX_TEXT_LENGTH + " characters), numbers, booleans or null";
    if (!(raw instanceof Map<?, ?> map) || map.size() > MAX_DETAILS) {
      errors.add(new FieldError("context", "must be " + shape));
      return Map.of();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    map.forEach((name, value) -> {
      String key = String.valueOf(name);
      boolean fits = value == null || value instanceof Number || value instanceof Boolean
          || value instanceof String text && text.length() <= Submission.MAX_TEXT_LENGTH;
      if (key.isBlank() || key.length() > MAX_DETAIL_NAME_LENGTH) {
        errors.add(new FieldError("context", "member names must be non-empty text of up to "
            + MAX_DETAIL_NAME_LENGTH + " characters"));
      } else if (!fits) {
        errors.add(new FieldError("context." + key, "must be text (up to " + Submission.MAX_TEXT_LENGTH
            + " characters), a number, a boolean or null: context is " + shape));
      } else {
        details.put(key, value);
      }
    });
    return details;
  }

  private static Instant occurredAt(Object value, Instant now, List<FieldError> errors) {
    String expected = "an ISO-8601 time with an offset, not more than a day ahead, e.g. 2026-11-27T10:15:00Z";
    if (value instanceof String text) {
      try {
        Instant at = OffsetDateTime.parse(text.strip()).toInstant();
        if (!at.isAfter(now.plus(MAX_CLOCK_SKEW)) && at.getEpochSecond() >= 946_684_800L) { // 2000-01-01
          return at;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    errors.add(new FieldError("occurredAt", (value == null ? "required: " : "must be ") + expected));
    return null;
  }
}
