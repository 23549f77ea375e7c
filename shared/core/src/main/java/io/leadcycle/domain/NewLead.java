package io.leadcycle.domain;

import java.util.Map;
import java.util.UUID;

/** A lead about to be created: it starts in stage inquiry, open, with no flags set. */
public record NewLead(
    String topic,
    UUID contactId,
    UUID accountId,
    MarketingContext context,
    Map<String, String> submittedFields) {

  public NewLead(String topic, UUID contactId, UUID accountId, String contextKind, String contextId,
      String contextName, Map<String, String> submittedFields) {
    this(topic, contactId, accountId, new MarketingContext(contextKind, contextId, contextName), submittedFields);
  }
}
