package io.leadcycle.functions.maintenance;

import java.time.Duration;
import java.util.Map;

/** How long form submissions are kept: {@code SUBMISSION_RETENTION_DAYS}, a whole number of days, 90 by default. */
final class SubmissionRetention {

  static final int DEFAULT_DAYS = 90;
  static final int MAX_DAYS = 36_500;

  private SubmissionRetention() {
  }

  /** The retention; a value that is not a whole number from 1 to 36500 fails at once, naming the variable. */
  static Duration fromEnvironment(Map<String, String> env) {
    return days(env, "SUBMISSION_RETENTION_DAYS", DEFAULT_DAYS);
  }

  /** A retention in whole days from {@code variable}, {@code defaultDays} when unset. */
  static Duration days(Map<String, String> env, String variable, int defaultDays) {
    String raw = env.get(variable);
    if (raw == null || raw.isBlank()) {
      return Duration.ofDays(defaultDays);
    }
    try {
      int days = Integer.parseInt(raw.strip());
      if (days >= 1 && days <= MAX_DAYS) {
        return Duration.ofDays(days);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(variable + " must be a whole number of days from 1 to " + MAX_DAYS
        + " (got \"" + raw + "\").");
  }
}
