package io.leadcycle.events;

import io.leadcycle.domain.Activity;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.TimelineEntry;
import io.leadcycle.process.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * The payload of every lead event in the outbox ({@code lead.sales_ready}, {@code lead.stage_changed},
 * ...): what happened, as it was written, versioned, because subscribers depend on it — a webhook's
 * {@code data} carries it beside the lead as it is when sent ({@link #whatHappened}). Documented in
 * docs/events.md; a change that removes or renames a member needs a new version.
 *
 * <pre>{@code {"schemaVersion": 2, "lead": {...}, "changes": [{"field", "from", "to"}], "actor", "reason", "model"?}}</pre>
 *
 * <p>Version 2: a flag's {@code from}/{@code to} in {@code changes} are JSON booleans, as in the
 * lead's timeline. Version 1 (rows written before) had every value as text ({@code "false"}).
 * Added within version 2: {@code model} (the scoring model whose result caused the event) and, in
 * {@code lead.score_changed}, the {@code score} change with numbers; in {@code lead.follow_up_due},
 * {@code followUp} ({@code {at, user, activity}}).
 */
public final class LeadEventPayload {

  public static final int SCHEMA_VERSION = 2;

  /**
   * The scoring model whose result caused an event, and that result: the lead's score and grade in it
   * and the model's sales-ready threshold.
   */
  public record Model(UUID id, String name, int score, String grade, int salesReadyThreshold) {

    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("name", name).put("score", score).put("grade", grade)
          .put("salesReadyThreshold", salesReadyThreshold);
    }
  }

  private LeadEventPayload() {
  }

  /** The payload for a change of {@code lead} (as it is after the change), made by {@code actor}. */
  public static JsonObject of(Lead lead, List<Change> changes, String actor, String reason) {
    return of(lead, changes, actor, reason, null);
  }

  /** As {@link #of(Lead, List, String, String)}, caused by a scoring model's result ({@code model}, or null). */
  public static JsonObject of(Lead lead, List<Change> changes, String actor, String reason, Model model) {
    JsonArray changed = new JsonArray();
    changes.forEach(c -> changed.add(change(c.field(), TimelineEntry.value(c.field(), c.from()),
        TimelineEntry.value(c.field(), c.to()))));
    return payload(lead, changed, actor, reason, model);
  }

  /**
   * {@code lead.score_changed}: the lead's grade and score in {@code model} went from
   * {@code previousGrade}/{@code previousScore} to the model's result (scores as numbers).
   */
  public static JsonObject scoreChanged(Lead lead, String previousGrade, int previousScore, String actor,
      String reason, Model model) {
    JsonArray changed = new JsonArray()
        .add(change("grade", previousGrade, model.grade()))
        .add(change("score", previousScore, model.score()));
    return payload(lead, changed, actor, reason, model);
  }

  /** The reason of every {@code lead.follow_up_due} event. */
  public static final String FOLLOW_UP_DUE = "follow-up due";

  /**
   * {@code lead.follow_up_due}: the follow-up's time has come. No changes; the actor is the person the
   * follow-up is for (who asked to be reminded); {@code followUp} says when, for whom and which activity set it.
   */
  public static JsonObject followUpDue(Lead lead, Activity.FollowUp followUp, Activity.Logged activity) {
    JsonObject user = followUp.userId() == null ? null
        : new JsonObject().put("id", followUp.userId().toString()).put("name", followUp.userName());
    return payload(lead, new JsonArray(), followUp.userName(), FOLLOW_UP_DUE, null)
        .put("followUp", new JsonObject().put("at", followUp.at().toString()).put("user", user)
            .put("activity", activity == null ? null : JsonViews.activity(activity)));
  }

  private static JsonObject payload(Lead lead, JsonArray changes, String actor, String reason, Model model) {
    JsonObject payload = new JsonObject()
        .put("schemaVersion", SCHEMA_VERSION)
        // The lead as the change left it; scores are left out to keep rows small (a webhook sends the lead now).
        .put("lead", JsonViews.lead(lead, List.of()))
        .put("changes", changes)
        .put("actor", actor)
        .put("reason", reason);
    return model == null ? payload : payload.put("model", model.toJson());
  }

  private static JsonObject change(String field, Object from, Object to) {
    return new JsonObject().put("field", field).put("from", from).put("to", to);
  }

  /**
   * What happened, as a webhook's {@code data} carries it beside the lead now: {@code schemaVersion},
   * {@code changes}, {@code actor}, {@code reason}, {@code model}, every member always present, from a
   * stored payload of any version. Older rows are brought to the current version: version 1's flag
   * values become booleans; a row without a payload ({@code {}}, written before events carried one)
   * has no changes and a null actor and reason; a missing {@code model} is null. A row of a newer
   * version than this code knows is passed on as it is (its members are only ever added to).
   */
  public static JsonObject whatHappened(JsonObject stored) {
    JsonObject payload = stored == null ? new JsonObject() : stored;
    Integer version = payload.getValue("schemaVersion") instanceof Number n ? n.intValue() : null;
    if (version != null && version > SCHEMA_VERSION) {
      JsonObject newer = payload.copy();
      newer.remove("lead");
      return newer;
    }
    JsonArray changes = new JsonArray();
    if (payload.getValue("changes") instanceof JsonArray storedChanges) {
      for (Object item : storedChanges) {
        if (item instanceof JsonObject c) {
          String field = c.getString("field");
          boolean asText = version == null || version < 2;
          changes.add(change(field, asText ? typed(field, c.getValue("from")) : c.getValue("from"),
              asText ? typed(field, c.getValue("to")) : c.getValue("to")));
        }
      }
    }
    JsonObject happened = new JsonObject()
        .put("schemaVersion", SCHEMA_VERSION)
        .put("changes", changes)
        .put("actor", payload.getValue("actor") instanceof String actor ? actor : null)
        .put("reason", payload.getValue("reason") instanceof String reason ? reason : null)
        .put("model", payload.getValue("model") instanceof JsonObject model ? model : null);
    // Only a follow-up's event has one (lead.follow_up_due): the reminder is what it is about.
    return payload.getValue("followUp") instanceof JsonObject followUp ? happened.put("followUp", followUp) : happened;
  }

  /** A version-1 value (text) as version 2 has it: a flag's {@code "true"}/{@code "false"} as a boolean. */
  private static Object typed(String field, Object value) {
    return value instanceof String text ? TimelineEntry.value(field, text) : value;
  }
}
