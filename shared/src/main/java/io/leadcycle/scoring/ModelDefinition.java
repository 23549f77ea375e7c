package io.leadcycle.scoring;

import java.util.List;
import java.util.Map;

/**
 * A scoring model as a user writes it ({@code POST /v1/scoring-models}), validated: name, target,
 * sales-ready threshold, grades, optional minimum consent, rules.
 */
public record ModelDefinition(String name, ModelTarget target, int salesReadyThreshold, List<Grade> grades,
    String minimumConsent, List<Rule> rules) {

  public ModelDefinition {
    grades = List.copyOf(grades);
    rules = List.copyOf(rules);
  }

  /**
   * Validates a model body; the {@link io.leadcycle.domain.InvalidInput} names every fault, one entry
   * each, with the rule's position and field ({@code rules[2].withinDays}).
   */
  public static ModelDefinition parse(Map<String, ?> body) {
    throw new UnsupportedOperationException("engine: to be written");
  }

  /** The model as the API shows it and {@link #parse} reads it back (stored as such). */
  public Map<String, Object> toBody() {
    throw new UnsupportedOperationException("engine: to be written");
  }

  /** The name of the grade whose band holds {@code score}, or null. */
  public String gradeOf(int score) {
    throw new UnsupportedOperationException("engine: to be written");
  }
}
