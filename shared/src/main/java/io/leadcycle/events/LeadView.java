package io.leadcycle.events;

import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadScore;
import io.leadcycle.domain.MarketingContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The lead as clients and subscribers see it, in one place: the API's lead views
 * ({@code GET /v1/leads/{id}}, list items), a webhook's {@code data.lead} and the lead in an outbox
 * payload are all this. Subscribers depend on it as much as API clients do: a member may be added,
 * never removed or renamed (docs/events.md).
 */
public final class LeadView {

  private LeadView() {
  }

  /** A lead with its scores, without its timeline: list items and a webhook's {@code data.lead}. */
  public static JsonObject lead(Lead l, List<LeadScore> scores) {
    JsonArray scored = new JsonArray();
    scores.forEach(s -> scored.add(score(s)));
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
        .put("scores", scored)
        .put("score", l.bestScore())
        .put("grade", l.bestGrade())
        .put("unscorableReason", l.unscorableReason())
        .put("disqualificationReason", l.disqualificationReason())
        .put("opportunityId", l.opportunityId() == null ? null : l.opportunityId().toString())
        .put("createdAt", l.createdAt().toString())
        .put("updatedAt", l.updatedAt().toString());
  }

  /** One score of a lead: the model, score, grade, whether it reached the threshold, and why. */
  public static JsonObject score(LeadScore s) {
    JsonArray explanation = new JsonArray();
    s.explanation().forEach(r -> explanation.add(new JsonObject().put("ruleId", r.ruleId()).put("points", r.points())
        .put("occurrences", r.occurrences())));
    return new JsonObject()
        .put("modelId", s.modelId().toString())
        .put("modelName", s.modelName())
        .put("modelStatus", s.modelStatus())
        .put("score", s.score())
        .put("grade", s.grade())
        .put("salesReady", s.salesReady())
        .put("explanation", explanation)
        .put("scoredAt", s.scoredAt().toString());
  }

  /** Kind, id and name; a journey's lead also its {@code tileId} and the {@code details} the journey sent. */
  public static JsonObject context(MarketingContext c) {
    JsonObject json = new JsonObject().put("kind", c.kind()).put("id", c.id()).put("name", c.name());
    return c.tileId() == null ? json : json.put("tileId", c.tileId())
        .put("details", new JsonObject(c.details() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(c.details())));
  }
}
