package io.leadcycle.scoring;

import java.util.Map;

/**
 * The meaning of every rule, in one place: a model and a lead's facts in, the score, grade and
 * per-rule explanation out. Pure: no I/O, no clock (ages are in the facts). docs/scoring.md is the
 * user's description of the same.
 */
public final class ScoringEngine {

  /**
   * The models scored most recently, ready (rule values normalized once), found by identity: a
   * recalculation scores many leads with the same few model instances. Immutable arrays behind a
   * volatile field, so threads may race on it harmlessly.
   */
  private static volatile CompiledModel[] recent = new CompiledModel[0];

  private static final int RECENT_MODELS = 8;

  private ScoringEngine() {
  }

  /**
   * Whether the model may score a lead with these facts (its minimum consent); else the reason why not.
   * A model with {@code minimumConsent: "marketing"} scores only contacts whose consent object holds
   * {@code "marketing": true} (the JSON boolean; the purpose's name compared exactly).
   */
  public static String unscorableReason(ModelDefinition model, Facts facts) {
    String purpose = model.minimumConsent();
    if (purpose == null) {
      return null;
    }
    Map<String, Object> consent = facts.consent();
    Object given = consent == null ? null : consent.get(purpose);
    if (Boolean.TRUE.equals(given)) {
      return null;
    }
    return "no consent for " + purpose + ": model '" + model.name() + "' scores only contacts whose consent has "
        + "\"" + purpose + "\": true" + (given == null ? "" : " (it is " + given + ")");
  }

  /**
   * The lead's score in {@code model}: the sum of its rules' points, rounded half up at the end, the
   * grade that holds it, whether it reaches the threshold, and each rule's share (2 decimals). It does
   * not check the minimum consent: callers ask {@link #unscorableReason} first.
   */
  public static ScoreResult score(ModelDefinition model, Facts facts) {
    return compiled(model).score(facts);
  }

  private static CompiledModel compiled(ModelDefinition model) {
    CompiledModel[] models = recent;
    for (CompiledModel compiled : models) {
      if (compiled.model() == model) {
        return compiled;
      }
    }
    CompiledModel compiled = new CompiledModel(model);
    CompiledModel[] next = new CompiledModel[Math.min(models.length + 1, RECENT_MODELS)];
    next[0] = compiled;
    System.arraycopy(models, 0, next, 1, next.length - 1);
    recent = next;
    return compiled;
  }
}
