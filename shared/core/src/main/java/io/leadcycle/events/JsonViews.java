package io.leadcycle.events;

import io.leadcycle.domain.Account;
import io.leadcycle.domain.Activity;
import io.leadcycle.domain.ConsentChange;
import io.leadcycle.domain.Contact;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadScore;
import io.leadcycle.domain.TimelineEntry;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MarketingContext;
import io.leadcycle.domain.MatchingStrategy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** How domain records look on the wire (API.md): camelCase, ISO-8601 UTC times. */
public final class JsonViews {

  private JsonViews() {
  }

  public static JsonObject contact(Contact c) {
    JsonArray leadIds = new JsonArray();
    c.openLeadIds().forEach(id -> leadIds.add(id.toString()));
    return new JsonObject()
        .put("id", c.id().toString())
        .put("email", c.details().email())
        .put("firstName", c.details().firstName())
        .put("lastName", c.details().lastName())
        .put("phone", c.details().phone())
        .put("companyName", c.details().companyName())
        .put("jobTitle", c.details().jobTitle())
        .put("country", c.details().country())
        .put("accountId", c.accountId() == null ? null : c.accountId().toString())
        .put("attributes", new JsonObject(new LinkedHashMap<>(c.details().attributes())))
        .put("consent", c.consent() == null ? null : new JsonObject(c.consent()))
        .put("leadIds", leadIds)
        .put("createdAt", c.createdAt().toString())
        .put("updatedAt", c.updatedAt().toString());
  }

  /**
   * One entry of a contact's consent history: {@code {purpose, granted, value, source: {kind, id}, submissionId,
   * actor, at}}.
   */
  public static JsonObject consentChange(ConsentChange c) {
    return new JsonObject()
        .put("purpose", c.purpose())
        .put("granted", c.granted())
        .put("value", jsonValue(c.value()))
        .put("source", new JsonObject().put("kind", c.source().kind()).put("id", c.source().id()))
        .put("submissionId", c.source().submissionId())
        .put("actor", c.source().actor())
        .put("at", c.at().toString());
  }

  /** A plain JSON value (Maps, Lists, text, numbers, booleans) as Vert.x JSON. */
  @SuppressWarnings("unchecked")
  private static Object jsonValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new JsonObject(new LinkedHashMap<>((Map<String, Object>) map));
    }
    if (value instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list));
    }
    return value;
  }

  public static JsonObject account(Account a) {
    return new JsonObject()
        .put("id", a.id().toString())
        .put("name", a.details().name())
        .put("domain", a.details().domain())
        .put("industry", a.details().industry())
        .put("employeeCount", a.details().employeeCount())
        .put("annualRevenue", a.details().annualRevenue())
        .put("country", a.details().country())
        .put("createdAt", a.createdAt().toString())
        .put("updatedAt", a.updatedAt().toString());
  }

  /**
   * A lead with its scores, without its timeline: list items and a webhook's {@code data.lead} (and,
   * without scores, the lead in an outbox payload). The one lead serializer: API clients and
   * subscribers see the same lead, and a member may be added, never removed or renamed (docs/events.md).
   */
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
        .put("processId", l.processId())
        .put("processVersion", l.processVersion())
        .put("stageFields", stageFields(l.stageFields()))
        .put("qualification", new JsonObject(new LinkedHashMap<>(l.qualification())))
        .put("scores", scored)
        .put("score", l.bestScore())
        .put("grade", l.bestGrade())
        .put("unscorableReason", l.unscorableReason())
        .put("disqualificationReason", l.disqualificationReason())
        .put("opportunityId", l.opportunityId() == null ? null : l.opportunityId().toString())
        .put("owner", owner(l.owner()))
        .put("lastActivity", lastActivity(l.lastActivity()))
        .put("followUpAt", l.followUp() == null ? null : l.followUp().at().toString())
        .put("createdAt", l.createdAt().toString())
        .put("updatedAt", l.updatedAt().toString());
  }

  /** A lead's stage field values: stage name → field name → value, in the order recorded. */
  private static JsonObject stageFields(Map<String, Map<String, Object>> values) {
    JsonObject stages = new JsonObject();
    values.forEach((stage, fields) -> stages.put(stage, new JsonObject(new LinkedHashMap<>(fields))));
    return stages;
  }

  /** One score of a lead: the model, score, grade, whether it reached the threshold, and why. */
  public static JsonObject score(LeadScore s) {
    JsonArray explanation = new JsonArray();
    s.explanation().forEach(r -> explanation.add(new JsonObject().put("ruleId", r.ruleId()).put("points", points(r.points()))
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

  /**
   * A rule's points in an explanation as the API writes numbers elsewhere: a whole number as an integer
   * ({@code 20}, {@code 2147483647}), never {@code 20.0} or {@code 2.147483647E9}; else its cents ({@code 8.75}).
   */
  public static Number points(double points) {
    boolean whole = points == Math.rint(points) && points >= Integer.MIN_VALUE && points <= Integer.MAX_VALUE;
    return whole ? (Number) (long) points : points;
  }

  /** Kind, id and name; a journey's lead also its {@code tileId} and the {@code details} the journey sent. */
  public static JsonObject context(MarketingContext c) {
    JsonObject json = new JsonObject().put("kind", c.kind()).put("id", c.id()).put("name", c.name());
    return c.tileId() == null ? json : json.put("tileId", c.tileId())
        .put("details", new JsonObject(c.details() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(c.details())));
  }

  /**
   * A lead with its scores and its timeline, oldest entry first: {@code GET /v1/leads/{id}}. Flags'
   * values are booleans, every other value text or null ({@link TimelineEntry#value}).
   */
  public static JsonObject lead(Lead l, List<TimelineEntry> timeline, List<LeadScore> scores) {
    JsonArray entries = new JsonArray();
    timeline.forEach(e -> entries.add(new JsonObject()
        .put("field", e.field())
        .put("from", e.fromValue())
        .put("to", e.toValue())
        .put("at", e.at().toString())
        .put("actor", e.actor())
        .put("reason", e.reason())
        .put("activity", e.activity() == null ? null : activity(e.activity()))));
    return lead(l, scores).put("timeline", entries);
  }

  /** {@code {kind, outcome, at, actor}} of the last activity logged on a lead, or null when none was. */
  public static JsonObject lastActivity(Activity.Last last) {
    return last == null ? null : new JsonObject().put("kind", last.kind().wireName())
        .put("outcome", last.outcome() == null ? null : last.outcome().wireName())
        .put("at", last.at().toString()).put("actor", last.actor());
  }

  /** An activity as its timeline entry and a follow-up event show it. */
  public static JsonObject activity(Activity.Logged a) {
    return new JsonObject()
        .put("id", a.id().toString())
        .put("kind", a.kind().wireName())
        .put("outcome", a.outcome() == null ? null : a.outcome().wireName())
        .put("note", a.note())
        .put("followUpAt", a.followUpAt() == null ? null : a.followUpAt().toString())
        .put("actor", a.actor())
        .put("at", a.at().toString());
  }

  /** A form as the management API shows it: never with its signing secret. */
  public static JsonObject form(Form f) {
    JsonObject json = new JsonObject().put("id", f.id());
    f.definition().toBody().forEach((setting, value) ->
        json.put(setting, value instanceof List<?> list ? new JsonArray(new java.util.ArrayList<>(list)) : value));
    return json;
  }

  public static JsonObject strategy(MatchingStrategy s) {
    JsonArray fields = new JsonArray();
    s.fields().stream().map(MatchField::wireName).forEach(fields::add);
    return new JsonObject()
        .put("id", s.id())
        .put("name", s.name())
        .put("entity", s.entity().wireName())
        .put("fields", fields);
  }

  /** A list page: {@code {"items": [...], "next": cursor | null}}. */
  public static <T> JsonObject page(List<T> items, Function<T, JsonObject> view, String next) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(view.apply(item)));
    return new JsonObject().put("items", array).put("next", next);
  }

  /** {@code {id, name}} of the user who works a lead, or null when nobody does. */
  public static JsonObject owner(Lead.Owner owner) {
    return owner == null ? null : new JsonObject().put("id", owner.id().toString()).put("name", owner.name());
  }
}
