package io.leadcycle.platform;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What the functions that work through a queue of their own on a schedule share (score recalculation,
 * threshold notification, the notification nudge): a time budget per run from the environment, and,
 * optionally, keeping on looking for new work every second until the budget is spent — which is how a
 * once-a-minute schedule in AWS still gives results within seconds.
 */
public final class BudgetedRun {

  /** Lambda's 15 minutes, less a margin for the last batch and the answer. */
  public static final int MAX_SECONDS = 840;

  private BudgetedRun() {
  }

  /** {@code variable}: a whole number of seconds from 1 to 840; unset or blank: {@code defaultSeconds}. */
  public static Duration budget(Map<String, String> env, String variable, int defaultSeconds) {
    String raw = env.get(variable);
    if (raw == null || raw.isBlank()) {
      return Duration.ofSeconds(defaultSeconds);
    }
    try {
      int seconds = Integer.parseInt(raw.strip());
      if (seconds >= 1 && seconds <= MAX_SECONDS) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(variable + " must be a whole number of seconds from 1 to " + MAX_SECONDS
        + " (got \"" + raw + "\").");
  }

  /** {@code variable}: {@code true} or {@code false} (unset: false); anything else fails at once, naming it. */
  public static boolean flag(Map<String, String> env, String variable) {
    String raw = env.getOrDefault(variable, "false").strip();
    if (!raw.equals("true") && !raw.equals("false") && !raw.isEmpty()) {
      throw new IllegalStateException(variable + " must be true or false (got \"" + raw + "\").");
    }
    return raw.equals("true");
  }

  /**
   * Runs {@code work} with the whole budget; with {@code keepPolling}, runs it again every second with
   * what is left until the budget is spent. Answers the runs' summaries added up (counts add, a flag
   * keeps its latest value) and {@code polled}.
   */
  public static Map<String, Object> run(Clock clock, Duration budget, boolean keepPolling,
      Function<Duration, JsonObject> work) {
    Instant deadline = clock.instant().plus(budget);
    Map<String, Object> total = new LinkedHashMap<>(work.apply(budget).getMap());
    while (keepPolling && clock.instant().plusSeconds(1).isBefore(deadline)) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for new work", e);
      }
      work.apply(Duration.between(clock.instant(), deadline)).getMap()
          .forEach((name, value) -> total.merge(name, value, BudgetedRun::add));
    }
    total.put("polled", keepPolling);
    return total;
  }

  private static Object add(Object earlier, Object later) {
    return earlier instanceof Number a && later instanceof Number b ? (Object) (a.longValue() + b.longValue()) : later;
  }
}
