package io.leadcycle.runtime;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The message groups a full rescoring's parallel runs go through: {@code rescoring-1} … {@code rescoring-N} of
 * the scoring nudge's FIFO queue, N = {@code RESCORING_PARALLELISM} (4 unless set). SQS hands out one group's
 * messages one batch at a time, so N groups are N score-recalculation invocations at once and never more: a
 * publish (and a run that splits a rescoring into parts) nudges each group, a run nudged in group k that ends
 * with work left nudges group k again, and each of the N keeps going until no part is left. Writers' own
 * nudges (intake, interactions…) keep the target's one group ({@link Nudge.Target#messageGroup}), so a
 * submission's score never waits behind a rescoring.
 */
public record RescoringGroups(int parallelism) {

  /** The variable that sets the parallelism. */
  public static final String VARIABLE = "RESCORING_PARALLELISM";
  public static final int DEFAULT = 4;
  /** As many as the database can serve (two connections each, docs/performance.md's capacity model). */
  public static final int MAX = 32;
  private static final String PREFIX = "rescoring-";

  public RescoringGroups {
    if (parallelism < 1 || parallelism > MAX) {
      throw new IllegalArgumentException("parallelism must be from 1 to " + MAX + ": " + parallelism);
    }
  }

  /** {@value #VARIABLE}: a whole number from 1 to {@value #MAX} ({@value #DEFAULT} when unset). */
  public static RescoringGroups fromEnvironment(Map<String, String> env) {
    String raw = env.get(VARIABLE);
    if (raw == null || raw.isBlank()) {
      return new RescoringGroups(DEFAULT);
    }
    try {
      int parallelism = Integer.parseInt(raw.trim());
      if (parallelism >= 1 && parallelism <= MAX) {
        return new RescoringGroups(parallelism);
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalStateException(VARIABLE + " must be a whole number from 1 to " + MAX + " (got \"" + raw + "\").");
  }

  /** The groups' names, {@code rescoring-1} first. */
  public List<String> groups() {
    return IntStream.rangeClosed(1, parallelism).mapToObj(k -> PREFIX + k).toList();
  }

  /** Whether {@code group} (a message's {@code MessageGroupId}, null for none) is one of a rescoring's groups. */
  public static boolean isRescoringGroup(String group) {
    if (group == null || !group.startsWith(PREFIX) || group.length() == PREFIX.length()) {
      return false;
    }
    return group.substring(PREFIX.length()).chars().allMatch(Character::isDigit);
  }

  /** Nudges every group once: N runs take a full rescoring's parts at once. */
  public void nudgeEach(Nudge nudge, String reason) {
    groups().forEach(group -> nudge.send(reason, group));
  }
}
