package io.leadcycle.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Work done on a lead, as a telemarketer or salesperson logs it ({@code POST /v1/leads/{id}/activities}):
 * a call with what came of it, a note, an email sent; optionally when to follow up.
 *
 * <p>One error per fault: the kind, an outcome on anything but a call, an unknown outcome, "call back"
 * without a time to call back, a follow-up time that is no ISO-8601 timestamp or is more than a day in the
 * past or more than a year ahead, a note over {@value #MAX_NOTE_LENGTH} characters, each unknown field.
 */
public record Activity(Kind kind, Outcome outcome, String note, Instant followUpAt) {

  /** What was done. */
  public enum Kind {
    CALL, NOTE, EMAIL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> fromWireName(String name) {
      return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
    }
  }

  /** What a call found. */
  public enum Outcome {
    REACHED, NO_ANSWER, VOICEMAIL, WRONG_NUMBER, CALL_BACK;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Outcome> fromWireName(String name) {
      return Arrays.stream(values()).filter(o -> o.wireName().equals(name)).findFirst();
    }
  }

  public static final List<String> FIELDS = List.of("kind", "outcome", "note", "followUpAt");
  public static final List<String> KINDS = Arrays.stream(Kind.values()).map(Kind::wireName).toList();
  public static final List<String> OUTCOMES = Arrays.stream(Outcome.values()).map(Outcome::wireName).toList();
  public static final int MAX_NOTE_LENGTH = 4000;
  /** A follow-up a little in the past is a callback logged late: due at once. Further back is a typo. */
  public static final Duration MAX_PAST = Duration.ofDays(1);
  /** Nobody plans a call back further ahead than a year; beyond that it is a typo (2062 for 2026). */
  public static final Duration MAX_AHEAD = Duration.ofDays(366);

  /** The activity {@code body} describes, checked against {@code now}; {@link InvalidInput} listing every fault. */
  public static Activity parse(Map<String, ?> body, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    Kind kind = Fields.requiredEnum(body, "kind", Kind::fromWireName, KINDS, errors);
    Outcome outcome = null;
    Object rawOutcome = body.get("outcome");
    if (rawOutcome != null) {
      outcome = rawOutcome instanceof String s ? Outcome.fromWireName(s).orElse(null) : null;
      if (outcome == null) {
        errors.add(new FieldError("outcome", "must be one of: " + String.join(", ", OUTCOMES)));
      } else if (kind != null && kind != Kind.CALL) {
        errors.add(new FieldError("outcome", "only a call has an outcome (this is " + article(kind) + ")"));
      }
    }
    String note = Fields.optionalText(body, "note", MAX_NOTE_LENGTH, errors);
    Instant followUpAt = followUpAt(body.get("followUpAt"), now, errors);
    if (outcome == Outcome.CALL_BACK && followUpAt == null && body.get("followUpAt") == null) {
      errors.add(new FieldError("followUpAt", "required with the outcome call_back: when to call back (ISO-8601)"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new Activity(kind, outcome, note, followUpAt);
  }

  private static String article(Kind kind) {
    return kind == Kind.EMAIL ? "an email" : "a " + kind.wireName();
  }

  private static Instant followUpAt(Object value, Instant now, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    Instant at = null;
    if (value instanceof String text) {
      try {
        at = OffsetDateTime.parse(text.strip()).toInstant();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    if (at == null) {
      errors.add(new FieldError("followUpAt", "must be an ISO-8601 timestamp with an offset, e.g. 2026-03-02T09:30:00Z"));
      return null;
    }
    if (at.isBefore(now.minus(MAX_PAST))) {
      errors.add(new FieldError("followUpAt", "more than a day in the past: a follow-up is work still to do"));
      return null;
    }
    if (at.isAfter(now.plus(MAX_AHEAD))) {
      errors.add(new FieldError("followUpAt", "more than a year ahead"));
      return null;
    }
    return at;
  }

  /** A logged activity as stored: who logged it (their user id, null for a caller who is no user) and when. */
  public record Logged(UUID id, UUID leadId, Kind kind, Outcome outcome, String note, Instant followUpAt,
      UUID actorUserId, String actor, Instant at) {
  }

  /** The last activity on a lead, as lists show it: what, its outcome, when, by whom. */
  public record Last(Kind kind, Outcome outcome, Instant at, String actor) {
  }

  /** The lead's open follow-up: when, for whom (their user id and name), and the activity that set it. */
  public record FollowUp(Instant at, UUID userId, String userName, UUID activityId) {
  }

  /**
   * Whether an activity settles the open follow-up it does not replace: a call or an email by the person the
   * follow-up is for is the follow-up done; a note, or someone else's activity, leaves their reminder standing.
   */
  public static boolean settles(FollowUp open, Kind kind, UUID actorUserId) {
    return open != null && kind != Kind.NOTE && actorUserId != null && actorUserId.equals(open.userId());
  }

  /**
   * The lead's open follow-up once {@code logged} is recorded: the activity's own follow-up replaces whatever
   * was open (the newest plan wins, whoever made it); without one, the open follow-up stays unless the activity
   * {@link #settles} it.
   */
  public static FollowUp followUpAfter(FollowUp open, Logged logged) {
    if (logged.followUpAt() != null) {
      return new FollowUp(logged.followUpAt(), logged.actorUserId(), logged.actor(), logged.id());
    }
    return settles(open, logged.kind(), logged.actorUserId()) ? null : open;
  }
}
