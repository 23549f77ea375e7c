package io.leadcycle.scoring;

/**
 * The meaning of every rule, in one place: a model and a lead's facts in, the score, grade and
 * per-rule explanation out. Pure: no I/O, no clock (ages are in the facts).
 */
public final class ScoringEngine {

  private ScoringEngine() {
  }

  /** Whether the model may score a lead with these facts (its minimum consent); else the reason why not. */
  public static String unscorableReason(ModelDefinition model, Facts facts) {
    throw new UnsupportedOperationException("engine: to be written");
  }

  public static ScoreResult score(ModelDefinition model, Facts facts) {
    throw new UnsupportedOperationException("engine: to be written");
  }
}
