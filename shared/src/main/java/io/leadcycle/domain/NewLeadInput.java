package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A lead created by hand ({@code POST /v1/leads}): a topic, a marketing context, optional parents. */
public record NewLeadInput(String topic, UUID contactId, UUID accountId, MarketingContext context) {

  public static NewLeadInput parse(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, List.of("topic", "contactId", "accountId", "context"), "", errors);
    String topic = Fields.requiredText(body, "topic", Submission.MAX_TEXT_LENGTH, errors);
    UUID contactId = Fields.optionalUuid(body, "contactId", errors);
    UUID accountId = Fields.optionalUuid(body, "accountId", errors);
    MarketingContext context = null;
    Object raw = body.get("context");
    if (!(raw instanceof Map<?, ?> map)) {
      errors.add(new FieldError("context", "required: {kind, id, name}, kind one of " + String.join(", ",
          MarketingContext.KINDS)));
    } else {
      @SuppressWarnings("unchecked")
      Map<String, ?> ctx = (Map<String, ?>) map;
      List<FieldError> contextErrors = new ArrayList<>();
      Fields.rejectUnknown(ctx, List.of("kind", "id", "name"), "", contextErrors);
      String kind = Fields.requiredText(ctx, "kind", 50, contextErrors);
      if (kind != null && !MarketingContext.KINDS.contains(kind)) {
        contextErrors.add(new FieldError("kind", "must be one of: " + String.join(", ", MarketingContext.KINDS)));
      }
      String id = Fields.optionalText(ctx, "id", 200, contextErrors);
      String name = Fields.optionalText(ctx, "name", Submission.MAX_TEXT_LENGTH, contextErrors);
      contextErrors.forEach(e -> errors.add(new FieldError("context." + e.field(), e.message())));
      context = new MarketingContext(kind, id, name);
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new NewLeadInput(topic, contactId, accountId, context);
  }
}
