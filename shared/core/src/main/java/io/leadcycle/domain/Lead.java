package io.leadcycle.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A stored lead: what it is about, whom it belongs to, where it stands in its process (which process version,
 * which stage, what it recorded on the stages' fields), and its best score among the live scoring models (with
 * its grade there; null until a live model scores it), who works it, the last activity logged on it and its
 * open follow-up.
 *
 * @param stageFields the values recorded on its stages' fields: stage name → field name → value (JSON: text, a
 *     number, true/false, a date, a user id)
 */
public record Lead(
    UUID id,
    String topic,
    UUID contactId,
    UUID accountId,
    MarketingContext context,
    LeadState state,
    String processId,
    int processVersion,
    Map<String, Map<String, Object>> stageFields,
    String disqualificationReason,
    UUID opportunityId,
    Integer bestScore,
    String bestGrade,
    Instant createdAt,
    Instant updatedAt,
    Owner owner,
    Activity.Last lastActivity,
    Activity.FollowUp followUp) {

  /** A lead nobody has logged an activity on (yet): no last activity, no open follow-up. */
  public Lead(UUID id, String topic, UUID contactId, UUID accountId, MarketingContext context, LeadState state,
      String processId, int processVersion, Map<String, Map<String, Object>> stageFields,
      String disqualificationReason, UUID opportunityId, Integer bestScore, String bestGrade, Instant createdAt,
      Instant updatedAt, Owner owner) {
    this(id, topic, contactId, accountId, context, state, processId, processVersion, stageFields,
        disqualificationReason, opportunityId, bestScore, bestGrade, createdAt, updatedAt, owner, null, null);
  }

  /** The stage whose fields are the qualification findings ({@code qualification} on the lead, PATCH-able). */
  public static final String QUALIFICATION_STAGE = "telemarketing_qualification";

  /**
   * The qualification findings (budget, authority, need, timeframe, notes) as clients written before processes
   * had fields read them: the lead's values on its {@value #QUALIFICATION_STAGE} stage of those names, as text.
   */
  public Map<String, String> qualification() {
    Map<String, Object> values = stageFields.getOrDefault(QUALIFICATION_STAGE, Map.of());
    Map<String, String> findings = new LinkedHashMap<>();
    for (String name : LeadPatch.QUALIFICATION_FIELDS) {
      if (values.get(name) != null) {
        findings.put(name, values.get(name).toString());
      }
    }
    return findings;
  }

  /** This lead in another process state (what an action made of it), all else as it is. */
  public Lead withState(LeadState state) {
    return new Lead(id, topic, contactId, accountId, context, state, processId, processVersion, stageFields,
        disqualificationReason, opportunityId, bestScore, bestGrade, createdAt, updatedAt, owner, lastActivity,
        followUp);
  }

  /** The user who works the lead (null: unassigned), by id and by the name shown when assigned. */
  public record Owner(UUID id, String name) {
  }

  public static final String UNSCORABLE_WITHOUT_PARENT = "The lead has neither a contact nor an account, so journeys "
      + "cannot reach it and no model can score it. Link one with PATCH /v1/leads/{id}.";

  /** Why models cannot score this lead, or null when they can. */
  public String unscorableReason() {
    return contactId == null && accountId == null ? UNSCORABLE_WITHOUT_PARENT : null;
  }
}
