package io.leadcycle.scoring;

import java.util.List;

/**
 * A lead's score in one model: the rules' points summed and rounded to an integer at the end, the
 * grade whose band holds it (null when none does), whether it reaches the sales-ready threshold, and
 * the per-rule explanation in the model's rule order.
 */
public record ScoreResult(int score, String grade, boolean reachesThreshold, List<RuleResult> explanation) {

  public ScoreResult {
    explanation = List.copyOf(explanation);
  }
}
