package io.leadcycle.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A lead's score in one model, as stored: the model (its name and status — a retired model's scores
 * stay visible, marked so), score, grade, whether it reached the model's sales-ready threshold, the
 * per-rule explanation and when it was scored.
 */
public record LeadScore(UUID leadId, UUID modelId, String modelName, String modelStatus, int score, String grade,
    boolean salesReady, List<RulePoints> explanation, Instant scoredAt) {

  /** What one rule gave (fractional with decay) and how many facts it counted. */
  public record RulePoints(String ruleId, double points, int occurrences) {
  }

  public LeadScore {
    explanation = List.copyOf(explanation);
  }
}
