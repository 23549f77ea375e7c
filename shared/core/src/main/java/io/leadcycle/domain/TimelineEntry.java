package io.leadcycle.domain;

import java.time.Instant;
import java.util.Set;

/**
 * One step on a lead's path: which field changed from what to what, when, by whom and why. The values
 * are kept as text (the database column is text for every field); {@link #value} is the one place
 * that knows each field's kind and gives a value its JSON type back.
 */
public record TimelineEntry(String field, String from, String to, Instant at, String actor, String reason,
    Activity.Logged activity) {

  /** The field of an activity's entry: {@code to} is its kind, {@link #activity} the whole of it. */
  public static final String ACTIVITY_FIELD = "activity";

  /** An entry of a change (not an activity). */
  public TimelineEntry(String field, String from, String to, Instant at, String actor, String reason) {
    this(field, from, to, at, actor, reason, null);
  }

  /** The fields whose values are flags: {@code true}/{@code false} on the wire, never text. */
  public static final Set<String> FLAG_FIELDS =
      Set.of("telemarketingReady", "telemarketingAccepted", "salesReady", "salesAccepted");

  /** A contact's consent for one purpose ({@code consent.newsletter}): a flag when given as one. */
  public static final String CONSENT_PREFIX = "consent.";

  /** {@link #from} as the wire shows it (see {@link #value}). */
  public Object fromValue() {
    return value(field, from);
  }

  /** {@link #to} as the wire shows it (see {@link #value}). */
  public Object toValue() {
    return value(field, to);
  }

  /**
   * A recorded value of {@code field} as the wire shows it: a flag's (and a consent purpose's)
   * {@code "true"}/{@code "false"} as a boolean; stages, statuses, owners, ids and topics as text; null
   * as null. Used for the timeline ({@code GET /v1/leads/{id}}) and for the {@code changes} of outbox
   * events alike.
   */
  public static Object value(String field, String text) {
    if (text != null && (FLAG_FIELDS.contains(field) || field.startsWith(CONSENT_PREFIX))) {
      if (text.equals("true")) {
        return Boolean.TRUE;
      }
      if (text.equals("false")) {
        return Boolean.FALSE;
      }
    }
    return text;
  }
}
