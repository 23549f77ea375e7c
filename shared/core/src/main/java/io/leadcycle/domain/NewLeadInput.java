package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A lead created by hand ({@code POST /v1/leads}): a topic, a marketing context, optional parents.
 * Each error message says the exact shape that would have been accepted, so a user can fix the
 * request without the documentation.
 */
public record NewLeadInput(String topic, UUID contactId, UUID accountId, MarketingContext context, String processId) {

  public static final List<String> FIELDS = List.of("topic", "contactId", "accountId", "context", "processId");
  /** A lead on the shipped process. */
  public NewLeadInput(String topic, UUID contactId, UUID accountId, MarketingContext context) {
    this(topic, contactId, accountId, context, null);
  }

  /** The longest process id a request may name (ids are UUIDs, or {@code default}). */
  public static final int MAX_PROCESS_ID_LENGTH = 100;
  public static final List<String> CONTEXT_FIELDS = List.of("kind", "id", "name");
  /** The longest context id or name (as long as any other text of a lead). */
  public static final int MAX_CONTEXT_TEXT_LENGTH = Submission.MAX_TEXT_LENGTH;

  private static final String KINDS = String.join(", ", MarketingContext.KINDS);
  private static final String CONTEXT_SHAPE = "{kind, id, name} — kind one of: " + KINDS
      + "; id and name are optional text of up to " + MAX_CONTEXT_TEXT_LENGTH + " characters each";

  public static NewLeadInput parse(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    String topic = null;
    if (body.get("topic") == null) {
      errors.add(new FieldError("topic", "required: what the lead is about, text up to " + Submission.MAX_TEXT_LENGTH
          + " characters"));
    } else {
      topic = Fields.requiredText(body, "topic", Submission.MAX_TEXT_LENGTH, errors);
    }
    UUID contactId = Fields.optionalUuid(body, "contactId", errors);
    UUID accountId = Fields.optionalUuid(body, "accountId", errors);
    MarketingContext context = context(body.get("context"), errors);
    // Which process the lead runs on (the shipped one unless named); the service checks it is live.
    String processId = Fields.optionalText(body, "processId", MAX_PROCESS_ID_LENGTH, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new NewLeadInput(topic, contactId, accountId, context, processId);
  }

  /** {@code {kind, id?, name?}}; null (with errors) when it is not such an object. */
  private static MarketingContext context(Object raw, List<FieldError> errors) {
    if (raw == null) {
      errors.add(new FieldError("context", "required: " + CONTEXT_SHAPE));
      return null;
    }
    if (!(raw instanceof Map<?, ?> map)) {
      errors.add(new FieldError("context", "must be an object " + CONTEXT_SHAPE));
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> ctx = (Map<String, ?>) map;
    List<FieldError> contextErrors = new ArrayList<>();
    Fields.rejectUnknown(ctx, CONTEXT_FIELDS, "", contextErrors);
    Object rawKind = ctx.get("kind");
    String kind = null;
    if (rawKind == null) {
      contextErrors.add(new FieldError("kind", "required, one of: " + KINDS));
    } else if (rawKind instanceof String text && MarketingContext.KINDS.contains(text.strip())) {
      kind = text.strip();
    } else {
      contextErrors.add(new FieldError("kind", "must be one of: " + KINDS));
    }
    String id = optionalText(ctx, "id", contextErrors);
    String name = optionalText(ctx, "name", contextErrors);
    contextErrors.forEach(e -> errors.add(new FieldError("context." + e.field(), e.message())));
    return new MarketingContext(kind, id, name);
  }

  /** Optional text: absent or null is fine; anything else must be non-blank text within the limit. */
  private static String optionalText(Map<String, ?> ctx, String field, List<FieldError> errors) {
    Object value = ctx.get(field);
    if (value == null) {
      return null;
    }
    // Fields' rule, in the words the lead's context uses for all of its members.
    if (!Fields.isText(value, MAX_CONTEXT_TEXT_LENGTH)) {
      errors.add(new FieldError(field, "optional; when given, non-empty text of up to " + MAX_CONTEXT_TEXT_LENGTH
          + " characters"));
      return null;
    }
    return ((String) value).strip();
  }
}
