package io.leadcycle.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored lead: what it is about, whom it belongs to, where it stands in the process, and its best
 * score among the live scoring models (with its grade there; null until a live model scores it), who works it,
 * the last activity logged on it and its open follow-up.
 */
public record Lead(
    UUID id,
    String topic,
    UUID contactId,
    UUID accountId,
    MarketingContext context,
    LeadState state,
    Map<String, String> qualification,
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
      Map<String, String> qualification, String disqualificationReason, UUID opportunityId, Integer bestScore,
      String bestGrade, Instant createdAt, Instant updatedAt, Owner owner) {
    this(id, topic, contactId, accountId, context, state, qualification, disqualificationReason, opportunityId,
        bestScore, bestGrade, createdAt, updatedAt, owner, null, null);
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
