package io.leadcycle.domain;

import java.util.Collection;
import java.util.List;

/**
 * The event types the outbox writes, in one place: what a subscriber may subscribe to (besides
 * {@link #ALL}), and what the delivery side matches outbox rows against. {@code process.Transition}
 * and {@code rescoring.RecalculationService} name their events with these constants.
 */
public final class EventTypes {

  public static final String CREATED = "lead.created";
  public static final String STAGE_CHANGED = "lead.stage_changed";
  public static final String TELEMARKETING_READY = "lead.telemarketing_ready";
  public static final String SALES_READY = "lead.sales_ready";
  public static final String CONVERTED = "lead.converted";
  public static final String DISQUALIFIED = "lead.disqualified";
  public static final String SCORE_CHANGED = "lead.score_changed";
  /** A user was made the lead's owner, or it was unassigned. */
  public static final String ASSIGNED = "lead.assigned";
  /** A follow-up's time came (threshold notification writes it once per follow-up). */
  public static final String FOLLOW_UP_DUE = "lead.follow_up_due";
  /** A contact became a member of a segment (docs/segments.md); about a contact, not a lead. */
  public static final String SEGMENT_JOINED = "contact.segment_joined";
  /** A contact stopped being a member of a segment. */
  public static final String SEGMENT_LEFT = "contact.segment_left";
  /** A person was erased on request (docs/privacy.md): names only the contact's id, no lead. */
  public static final String CONTACT_ERASED = "contact.erased";

  /** Subscribes to every type, today's and future ones; only ever alone in a subscription. */
  public static final String ALL = "*";

  /** Every type the outbox writes, in the order docs/notifications.md lists them. */
  public static final List<String> TYPES = List.of(CREATED, STAGE_CHANGED, TELEMARKETING_READY, SALES_READY, CONVERTED,
      DISQUALIFIED, SCORE_CHANGED, ASSIGNED, FOLLOW_UP_DUE, SEGMENT_JOINED, SEGMENT_LEFT, CONTACT_ERASED);

  private EventTypes() {
  }

  public static boolean isKnown(String type) {
    return TYPES.contains(type);
  }

  /** Whether a subscription to {@code subscribed} (types, or {@code ["*"]}) receives events of {@code type}. */
  public static boolean matches(Collection<String> subscribed, String type) {
    return subscribed.contains(ALL) || subscribed.contains(type);
  }
}
