package io.leadcycle.intake;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * What one submission did: the contact and lead it created or updated and the interaction it recorded.
 * Stored as the receipt's response, so a replay answers exactly the same.
 */
public record IntakeResult(String submissionId, RecordOutcome contact, RecordOutcome lead, UUID interactionId) {

  /** One record touched by intake. */
  public record RecordOutcome(UUID id, boolean created, boolean updated) {

    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("created", created).put("updated", updated);
    }
  }

  /** 201 when a contact or lead was created, 200 otherwise (a replay answers 200: see {@link #replayOf}). */
  public int status() {
    boolean createdSomething = (contact != null && contact.created()) || (lead != null && lead.created());
    return createdSomething ? 201 : 200;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("submissionId", submissionId)
        .put("contact", contact == null ? null : contact.toJson())
        .put("lead", lead == null ? null : lead.toJson())
        .put("interactionId", interactionId == null ? null : interactionId.toString())
        .put("replayed", false);
  }

  /** The stored first result, marked as a replay. */
  public static JsonObject replayOf(JsonObject stored) {
    return stored.copy().put("replayed", true);
  }
}
