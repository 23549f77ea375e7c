package io.leadcycle.events;

import io.leadcycle.domain.Lead;
import io.leadcycle.domain.MarketingContext;
import io.leadcycle.domain.TimelineEntry;
import io.leadcycle.process.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The payload of every lead event in the outbox ({@code lead.sales_ready}, {@code lead.stage_changed},
 * ...): a versioned schema of its own, independent of the HTTP views, because subscribers depend on it.
 * Documented in docs/events.md; a change that removes or renames a member needs a new version.
 *
 * <pre>{@code {"schemaVersion": 2, "lead": {...}, "changes": [{"field", "from", "to"}], "actor", "reason"}}</pre>
 *
 * <p>Version 2: a flag's {@code from}/{@code to} in {@code changes} are JSON booleans, as in the
 * lead's timeline. Version 1 (rows written before) had every value as text ({@code "false"}).
 */
public final class LeadEventPayload {

  public static final int SCHEMA_VERSION = 2;

  private LeadEventPayload() {
  }

  /** The payload for a change of {@code lead} (as it is after the change), made by {@code actor}. */
  public static JsonObject of(Lead lead, List<Change> changes, String actor, String reason) {
    JsonArray changed = new JsonArray();
    changes.forEach(c -> changed.add(new JsonObject().put("field", c.field())
        .put("from", TimelineEntry.value(c.field(), c.from())).put("to", TimelineEntry.value(c.field(), c.to()))));
    return new JsonObject()
        .put("schemaVersion", SCHEMA_VERSION)
        .put("lead", lead(lead))
        .put("changes", changed)
        .put("actor", actor)
        .put("reason", reason);
  }

  /**
   * Kind, id and name; a journey's lead also its {@code tileId} and the {@code details} the journey sent.
   * The lead views show the context in this shape too.
   */
  public static JsonObject context(MarketingContext c) {
    JsonObject json = new JsonObject().put("kind", c.kind()).put("id", c.id()).put("name", c.name());
    return c.tileId() == null ? json : json.put("tileId", c.tileId())
        .put("details", new JsonObject(c.details() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(c.details())));
  }

  /** The lead as it stands after the event (the same in schema versions 1 and 2). */
  static JsonObject lead(Lead l) {
    return new JsonObject()
        .put("id", l.id().toString())
        .put("topic", l.topic())
        .put("contactId", l.contactId() == null ? null : l.contactId().toString())
        .put("accountId", l.accountId() == null ? null : l.accountId().toString())
        .put("context", context(l.context()))
        .put("stage", l.state().stage())
        .put("status", l.state().status().wireName())
        .put("salesReady", l.state().salesReady())
        .put("telemarketingReady", l.state().telemarketingReady())
        .put("telemarketingAccepted", l.state().telemarketingAccepted())
        .put("salesAccepted", l.state().salesAccepted())
        .put("ownerId", l.state().ownerId())
        .put("qualification", new JsonObject(new LinkedHashMap<>(l.qualification())))
        // The per-model scores are not part of the event (the delivery reads the lead as it is then);
        // the best score and its grade are.
        .put("scores", new JsonArray())
        .put("score", l.bestScore())
        .put("grade", l.bestGrade())
        .put("unscorableReason", l.unscorableReason())
        .put("disqualificationReason", l.disqualificationReason())
        .put("opportunityId", l.opportunityId() == null ? null : l.opportunityId().toString())
        .put("createdAt", l.createdAt().toString())
        .put("updatedAt", l.updatedAt().toString());
  }
}
