package io.leadcycle.notifications;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: after attempt n the n-th delay (5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 24 h) within ±20 % (jitter, so that the deliveries of an outage do not return all at once);
 * after the 8th attempt the delivery is failed. A {@code Retry-After} (429, 503) replaces the delay,
 * capped at 24 h.
 */
public final class RetrySchedule {

  public static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
      Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(24));
  /** The first attempt and one after each delay. */
  public static final int MAX_ATTEMPTS = DELAYS.size() + 1;
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
  static final double JITTER = 0.2;

  private final DoubleSupplier random;

  public RetrySchedule(DoubleSupplier random) {
    this.random = random;
  }

  /**
   * When to try again after {@code attempts} failed attempts in all, or null when that was the last.
   *
   * @param retryAfter the receiver's {@code Retry-After}, or null
   */
  public Instant next(int attempts, Instant now, Duration retryAfter) {
    if (attempts >= MAX_ATTEMPTS) {
      return null;
    }
    if (retryAfter != null) {
      return now.plus(retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter);
    }
    Duration delay = DELAYS.get(Math.max(0, attempts - 1));
    double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
    return now.plusMillis(Math.round(delay.toMillis() * factor));
  }

  /**
   * A {@code Retry-After} value: delay seconds or an HTTP date. Null when absent or not understood; a
   * date in the past is no delay.
   */
  public static Duration parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return MAX_RETRY_AFTER; // more digits than a long: longer than any cap
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isBefore(now) ? Duration.ZERO : Duration.between(now, at);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
