package io.leadcycle.intake;

import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What one submission did: the contact and lead it created or updated and the interaction it recorded,
 * or, for a replay, what its first delivery did. Stored with the receipt, so a replay answers exactly
 * the same. Each source decides what this means for its caller (HTTP: 201 when something was created).
 *
 * <p>A class rather than a record only to keep its encoded JSON ({@link #encodedJson}): the receipt stores
 * the same text the HTTP answer sends, encoded once.
 */
public final class IntakeResult {

  private final String submissionId;
  private final RecordOutcome contact;
  private final RecordOutcome lead;
  private final UUID interactionId;
  private final boolean replayed;
  private final List<String> warnings;
  private String encodedJson;

  public IntakeResult(String submissionId, RecordOutcome contact, RecordOutcome lead, UUID interactionId,
      boolean replayed, List<String> warnings) {
    this.submissionId = submissionId;
    this.contact = contact;
    this.lead = lead;
    this.interactionId = interactionId;
    this.replayed = replayed;
    this.warnings = List.copyOf(warnings);
  }

  public String submissionId() {
    return submissionId;
  }

  public RecordOutcome contact() {
    return contact;
  }

  public RecordOutcome lead() {
    return lead;
  }

  public UUID interactionId() {
    return interactionId;
  }

  public boolean replayed() {
    return replayed;
  }

  public List<String> warnings() {
    return warnings;
  }

  /**
   * {@link #toJson()} as text, encoded on first use and kept (the result never changes; two threads racing
   * here both encode the same text, and a String is safe to share).
   */
  public String encodedJson() {
    String encoded = encodedJson;
    if (encoded == null) {
      encoded = toJson().encode();
      encodedJson = encoded;
    }
    return encoded;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IntakeResult that && replayed == that.replayed
        && Objects.equals(submissionId, that.submissionId) && Objects.equals(contact, that.contact)
        && Objects.equals(lead, that.lead) && Objects.equals(interactionId, that.interactionId)
        && warnings.equals(that.warnings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(submissionId, contact, lead, interactionId, replayed, warnings);
  }

  @Override
  public String toString() {
    return "IntakeResult" + toJson().encode();
  }

  /** One record touched by intake. */
  public record RecordOutcome(UUID id, boolean created, boolean updated) {

    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("created", created).put("updated", updated);
    }

    static RecordOutcome fromJson(JsonObject json) {
      return json == null ? null
          : new RecordOutcome(UUID.fromString(json.getString("id")), json.getBoolean("created"), json.getBoolean("updated"));
    }
  }

  /** True when this submission (not a replay) created a contact or a lead. */
  public boolean createdSomething() {
    return !replayed && ((contact != null && contact.created()) || (lead != null && lead.created()));
  }

  /** True when this submission (not a replay) marked its contact for rescoring: it has a contact. */
  public boolean markedForRescoring() {
    return !replayed && contact != null;
  }

  /** What this submission did, in metrics: accepted or replayed, and the contact and lead it made or found. */
  public void countIn(Metrics metrics) {
    countSubmission(metrics, replayed ? Metric.SUBMISSIONS_REPLAYED : Metric.SUBMISSIONS_ACCEPTED);
    if (replayed) {
      return; // counted by its first delivery
    }
    if (contact != null) {
      metrics.count(contact.created() ? Metric.CONTACTS_CREATED : Metric.CONTACTS_MATCHED);
    }
    if (lead != null && lead.created()) {
      metrics.count(Metric.LEADS_CREATED);
    }
  }

  /**
   * Counts one submission: 1 in {@code outcome}, 0 in the other submission metrics. So all four always
   * have data together, and an alarm can compare them (the refusal rate) without missing data.
   */
  public static void countSubmission(Metrics metrics, Metric outcome) {
    for (Metric metric : List.of(Metric.SUBMISSIONS_ACCEPTED, Metric.SUBMISSIONS_REPLAYED, Metric.SUBMISSIONS_REFUSED,
        Metric.SUBMISSIONS_FAILED)) {
      metrics.count(metric, metric == outcome ? 1 : 0);
    }
  }

  /** The answer's body; {@code warnings} only when there are some. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("submissionId", submissionId)
        .put("contact", contact == null ? null : contact.toJson())
        .put("lead", lead == null ? null : lead.toJson())
        .put("interactionId", interactionId == null ? null : interactionId.toString())
        .put("replayed", replayed);
    if (!warnings.isEmpty()) {
      json.put("warnings", new JsonArray(List.copyOf(warnings)));
    }
    return json;
  }

  /**
   * The answer to an unsigned (anonymous) caller, who may be anyone who knows the form's URL: that it
   * was accepted and under which key, no ids, no created/updated flags, and only the warnings about the
   * caller's own input (never one that tells what is stored). The shape stays the documented one.
   */
  public JsonObject anonymousJson() {
    JsonObject json = new JsonObject()
        .put("status", "accepted")
        .put("submissionId", submissionId)
        .putNull("contact")
        .putNull("lead")
        .putNull("interactionId")
        .put("replayed", replayed);
    List<String> aboutTheInput = warnings.stream().filter(w -> !ABOUT_STORED_DATA.contains(w)).toList();
    if (!aboutTheInput.isEmpty()) {
      json.put("warnings", new JsonArray(aboutTheInput));
    }
    return json;
  }

  /** Warnings that tell what is stored (whether a contact matched): never for an anonymous caller. */
  private static final java.util.Set<String> ABOUT_STORED_DATA = java.util.Set.of(IntakeService.NO_CONTACT_WARNING);

  /** The stored first result, as a replay. */
  static IntakeResult replayOf(JsonObject stored) {
    String interactionId = stored.getString("interactionId");
    return new IntakeResult(stored.getString("submissionId"),
        RecordOutcome.fromJson(stored.getJsonObject("contact")),
        RecordOutcome.fromJson(stored.getJsonObject("lead")),
        interactionId == null ? null : UUID.fromString(interactionId), true,
        stored.getJsonArray("warnings", new JsonArray()).stream().map(String::valueOf).toList());
  }
}
