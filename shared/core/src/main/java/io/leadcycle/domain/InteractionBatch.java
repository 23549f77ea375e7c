package io.leadcycle.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Interactions a client sends in one request ({@code POST /v1/interactions}), each validated alone: a
 * bad item is rejected with its reason, never the whole batch — unstorable text in an item too
 * ({@link Fields#checkStrings}). Only what is wrong with the batch as a
 * whole (no list, an empty list, more than {@value #MAX_ITEMS} items, unknown top-level fields) is an
 * {@link InvalidInput}.
 *
 * @param items the valid items, in the order sent
 * @param rejected the invalid items, in the order sent
 */
public record InteractionBatch(List<Item> items, List<Rejection> rejected) {

  public static final int MAX_ITEMS = 1000;
  public static final int MAX_SOURCE_ID_LENGTH = 200;
  public static final int MAX_CONTEXT_TEXT_LENGTH = 200;
  public static final int MAX_URL_LENGTH = 2000;
  public static final int MAX_EMAIL_LENGTH = 320;
  /** How far ahead of now an interaction may be dated (clock skew between systems). */
  public static final Duration MAX_AHEAD = Duration.ofDays(1);
  /** The earliest time an interaction may have (the same bound as a submission's {@code submittedAt}). */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  /** What the source key of an interaction from this API starts with: its {@code sourceId} follows. */
  public static final String SOURCE_KEY_PREFIX = "api:";

  private static final List<String> BATCH_FIELDS = List.of("interactions");
  private static final List<String> ITEM_FIELDS = List.of("sourceId", "type", "contactId", "email", "occurredAt",
      "context");
  private static final List<String> CONTEXT_FIELDS = List.of("kind", "id", "name", "url");
  private static final Pattern CANONICAL_UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final String SHAPE = "a list of 1 to " + MAX_ITEMS
      + " interactions {sourceId, type, contactId or email, occurredAt, context?}";

  public InteractionBatch {
    items = List.copyOf(items);
    rejected = List.copyOf(rejected);
  }

  /**
   * One valid interaction. Exactly one of {@code contactId} and {@code email} (normalized) is set.
   *
   * @param index its position in the request's list, from 0
   */
  public record Item(int index, String sourceId, InteractionType type, UUID contactId, String email, Instant occurredAt,
      Context context) {

    /** The idempotency key it is stored under: a repeated {@code sourceId} never counts twice. */
    public String sourceKey() {
      return SOURCE_KEY_PREFIX + sourceId;
    }
  }

  /** Where an interaction happened: a campaign, page or event; each part optional. */
  public record Context(String kind, String id, String name, String url) {

    public static final Context NONE = new Context(null, null, null, null);
  }

  /**
   * An item that was not taken, and why.
   *
   * @param index its position in the request's list, from 0
   * @param sourceId its {@code sourceId} when it had a readable one, else null
   */
  public record Rejection(int index, String sourceId, String reason) {
  }

  /**
   * Reads {@code {"interactions": [...]}}.
   *
   * @param now the current time: an interaction may be dated at most {@link #MAX_AHEAD} later
   */
  public static InteractionBatch parse(Map<String, ?> body, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, BATCH_FIELDS, "", errors);
    Object list = body.get("interactions");
    if (!(list instanceof List<?> sent)) {
      errors.add(0, new FieldError("interactions", (list == null ? "required: " : "must be ") + SHAPE));
    } else if (sent.isEmpty() || sent.size() > MAX_ITEMS) {
      errors.add(0, new FieldError("interactions", "has " + sent.size() + " items; send " + SHAPE
          + (sent.isEmpty() ? "" : " (split larger batches)")));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    List<Item> items = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    List<?> sent = (List<?>) list;
    for (int i = 0; i < sent.size(); i++) {
      Object item = sent.get(i);
      if (!(item instanceof Map<?, ?> map)) {
        rejected.add(new Rejection(i, null, "must be an object {sourceId, type, contactId or email, occurredAt, context?}"));
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> fields = (Map<String, ?>) map;
      List<FieldError> itemErrors = new ArrayList<>();
      // Text that cannot be stored (NUL, a lone surrogate) rejects this item only: HttpRequest.jsonBatch
      // leaves each item's strings to this check.
      Item parsed = Fields.checkStrings("", fields, itemErrors) ? item(i, fields, now, itemErrors) : null;
      if (itemErrors.isEmpty()) {
        items.add(parsed);
      } else {
        rejected.add(new Rejection(i, readableSourceId(fields), reason(itemErrors)));
      }
    }
    return new InteractionBatch(items, rejected);
  }

  private static Item item(int index, Map<String, ?> fields, Instant now, List<FieldError> errors) {
    Fields.rejectUnknown(fields, ITEM_FIELDS, "", errors);
    String sourceId = Fields.requiredText(fields, "sourceId", MAX_SOURCE_ID_LENGTH, errors);
    InteractionType type = Fields.requiredEnum(fields, "type", InteractionBatch::interactionType,
        Arrays.stream(InteractionType.values()).map(InteractionType::wireName).toList(), errors);
    UUID contactId = null;
    String email = null;
    Object rawContactId = fields.get("contactId");
    Object rawEmail = fields.get("email");
    if (rawContactId == null && rawEmail == null) {
      errors.add(new FieldError("contactId", "required: the contact's id (contactId) or email address (email)"));
    } else if (rawContactId != null && rawEmail != null) {
      errors.add(new FieldError("contactId", "give either contactId or email, not both"));
    } else if (rawContactId != null) {
      contactId = contactId(rawContactId, errors);
    } else {
      email = email(rawEmail, errors);
    }
    Instant occurredAt = occurredAt(fields.get("occurredAt"), now, errors);
    Context context = context(fields.get("context"), errors);
    return errors.isEmpty() ? new Item(index, sourceId, type, contactId, email, occurredAt, context) : null;
  }

  private static Optional<InteractionType> interactionType(String wireName) {
    return Arrays.stream(InteractionType.values()).filter(t -> t.wireName().equals(wireName)).findFirst();
  }

  private static UUID contactId(Object value, List<FieldError> errors) {
    if (value instanceof String text && CANONICAL_UUID.matcher(text.strip()).matches()) {
      return UUID.fromString(text.strip());
    }
    errors.add(new FieldError("contactId", "must be a contact's id (a UUID)"));
    return null;
  }

  private static String email(Object value, List<FieldError> errors) {
    if (value instanceof String text) {
      String normalized = Normalize.email(text);
      if (normalized != null && normalized.length() <= MAX_EMAIL_LENGTH) {
        int at = normalized.lastIndexOf('@');
        if (at > 0 && at < normalized.length() - 1) {
          return normalized;
        }
      }
    }
    errors.add(new FieldError("email", "must be an email address of up to " + MAX_EMAIL_LENGTH + " characters"));
    return null;
  }

  private static Instant occurredAt(Object value, Instant now, List<FieldError> errors) {
    String expected = "required: an ISO-8601 time with an offset, e.g. 2026-11-27T10:15:00Z, from the year 2000 "
        + "to 1 day ahead of now";
    if (value instanceof String text) {
      try {
        Instant at = OffsetDateTime.parse(text.strip()).toInstant();
        if (at.isAfter(now.plus(MAX_AHEAD))) {
          errors.add(new FieldError("occurredAt", "more than 1 day in the future (" + text.strip() + "); " + expected));
          return null;
        }
        if (!at.isBefore(EARLIEST)) {
          return at;
        }
      } catch (DateTimeParseException | ArithmeticException e) {
        // reported below
      }
    }
    errors.add(new FieldError("occurredAt", expected));
    return null;
  }

  private static Context context(Object value, List<FieldError> errors) {
    if (value == null) {
      return Context.NONE;
    }
    if (!(value instanceof Map<?, ?> map)) {
      errors.add(new FieldError("context", "must be an object {kind, id, name, url}, each optional"));
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> fields = (Map<String, ?>) map;
    List<FieldError> contextErrors = new ArrayList<>();
    Fields.rejectUnknown(fields, CONTEXT_FIELDS, "", contextErrors);
    String kind = Fields.optionalText(fields, "kind", MAX_CONTEXT_TEXT_LENGTH, contextErrors);
    String id = Fields.optionalText(fields, "id", MAX_CONTEXT_TEXT_LENGTH, contextErrors);
    String name = Fields.optionalText(fields, "name", MAX_CONTEXT_TEXT_LENGTH, contextErrors);
    String url = Fields.optionalText(fields, "url", MAX_URL_LENGTH, contextErrors);
    contextErrors.forEach(e -> errors.add(new FieldError("context." + e.field(), e.message())));
    return new Context(kind, id, name, url);
  }

  /** The item's {@code sourceId} when it is usable text, to help the client find the item; else null. */
  private static String readableSourceId(Map<String, ?> fields) {
    Object value = fields.get("sourceId");
    return Fields.isText(value, MAX_SOURCE_ID_LENGTH) ? ((String) value).strip() : null;
  }

  /** All of an item's faults in one sentence: {@code "type: must be one of: ...; occurredAt: required ..."}. */
  private static String reason(List<FieldError> errors) {
    return String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
  }
}
