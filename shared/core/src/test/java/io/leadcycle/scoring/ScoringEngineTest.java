package io.leadcycle.scoring;

import io.leadcycle.domain.InteractionType;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole model: the sum, its rounding, grade, threshold, the explanation, and the minimum consent. */
class ScoringEngineTest {

  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  private final ModelDefinition model = ModelDefinition.parse(ModelDefinitionTest.documentedContactModel());

  private static Facts facts(Map<String, Object> contact, Map<String, Object> account,
      Map<String, BehaviorFacts> behavior) {
    return new Facts(contact, Map.of("marketing", true), account, behavior);
  }

  @Test
  void theScoreIsTheSumOfTheRulesWithOneExplanationEntryPerRuleInModelOrder() {
    Facts facts = facts(Map.of("jobTitle", "cto", "email", "ada@example.com"), Map.of("employeeCount", 300),
        Map.of("page-visits", new BehaviorFacts(3, 3, 1), "webinar", new BehaviorFacts(1, 1, 1),
            "gone-quiet", new BehaviorFacts(4, 4, 1)));

    ScoreResult result = ScoringEngine.score(model, facts);

    assertThat(result.explanation()).containsExactly(
        new RuleResult("decision-maker", 20, 1),
        new RuleResult("free-mail", 0, 0),
        new RuleResult("big-company", 15, 1),
        // page-visits decays (half-life 7): the facts' weight sum counts, 2 × 3
        new RuleResult("page-visits", 6, 3),
        new RuleResult("webinar", 25, 1),
        new RuleResult("gone-quiet", 0, 4));
    assertThat(result.score()).isEqualTo(66);
    assertThat(result.grade()).isEqualTo("A");
    assertThat(result.reachesThreshold()).isTrue();
  }

  @Test
  void aLeadWithNothingKnownGetsOnlyTheRulesAboutAbsence() {
    ScoreResult result = ScoringEngine.score(model, facts(Map.of(), Map.of(), Map.of()));

    assertThat(result.explanation()).extracting(RuleResult::points).containsExactly(0.0, 0.0, 0.0, 0.0, 0.0, -15.0);
    assertThat(result.score()).isEqualTo(-15);
    assertThat(result.grade()).isEqualTo("C");
    assertThat(result.reachesThreshold()).isFalse();
  }

  @Test
  void theThresholdIsReachedAtItsValue() {
    ModelDefinition model = BehavioralRuleScoringTest.model(new BehavioralRule("v",
        io.leadcycle.domain.InteractionType.WEBSITE_VISITED, BehavioralRule.Frequency.EACH, null, null, 10, null,
        null));
    for (int visits : new int[] {4, 5, 6}) {
      ScoreResult result = ScoringEngine.score(model, new Facts(Map.of(), null, Map.of(),
          Map.of("v", new BehaviorFacts(visits, visits, 1))));
      assertThat(result.score()).isEqualTo(visits * 10);
      assertThat(result.reachesThreshold()).as("%s points against 50", visits * 10).isEqualTo(visits >= 5);
      assertThat(result.grade()).isEqualTo(visits >= 5 ? "high" : "low");
    }
  }

  @Test
  void aScoreOutsideEveryGradeHasNone() {
    ModelDefinition narrow = new ModelDefinition("m", ModelTarget.CONTACT, 5, List.of(new Grade("A", 1, 3)), null,
        List.of(new FieldRule("t", FieldRule.Kind.DEMOGRAPHIC, "jobTitle", Op.EXISTS, null, 10)));
    ScoreResult result = ScoringEngine.score(narrow, new Facts(Map.of("jobTitle", "x"), null, Map.of(), Map.of()));
    assertThat(result.score()).isEqualTo(10);
    assertThat(result.grade()).isNull();
    assertThat(result.reachesThreshold()).isTrue();
  }

  @Test
  void roundingHappensOnceOnTheUnroundedSum() {
    // three rules of 0.5^(1/2) × 1 = 0.7071 each: explanation 0.71 × 3 = 2.13, the sum 2.1213 rounds to 2
    ModelDefinition model = BehavioralRuleScoringTest.model(decaying("a"), decaying("b"), decaying("c"));
    Instant aDayAgo = NOW.minus(Duration.ofDays(1));
    Map<String, BehaviorFacts> behavior = new HashMap<>();
    for (Rule rule : model.rules()) {
      behavior.put(rule.id(), BehaviorFacts.of((BehavioralRule) rule, List.of(new InteractionFact(
          io.leadcycle.domain.InteractionType.EMAIL_CLICKED, null, aDayAgo)), NOW));
    }
    ScoreResult result = ScoringEngine.score(model, new Facts(Map.of(), null, Map.of(), behavior));
    assertThat(result.explanation()).extracting(RuleResult::points).containsExactly(0.71, 0.71, 0.71);
    assertThat(result.score()).isEqualTo(2);
  }

  private static BehavioralRule decaying(String id) {
    return new BehavioralRule(id, io.leadcycle.domain.InteractionType.EMAIL_CLICKED, BehavioralRule.Frequency.EACH,
        null, null, 1, null, 2.0);
  }

  @Test
  void halvesRoundUp() {
    assertThat(CompiledModel.roundScore(17.5)).isEqualTo(18);
    assertThat(CompiledModel.roundScore(17.4999)).isEqualTo(17);
    assertThat(CompiledModel.roundScore(-17.5)).isEqualTo(-17);
    assertThat(CompiledModel.roundScore(-17.51)).isEqualTo(-18);
    assertThat(CompiledModel.roundScore(1e12)).isEqualTo(Integer.MAX_VALUE);
    assertThat(CompiledModel.roundScore(-1e12)).isEqualTo(Integer.MIN_VALUE);
    assertThat(CompiledModel.roundToCents(0.125)).isEqualTo(0.13);
    assertThat(CompiledModel.roundToCents(-0.125)).isEqualTo(-0.12);
    assertThat(CompiledModel.roundToCents(-0.126)).isEqualTo(-0.13);
    assertThat(CompiledModel.roundToCents(1.005)).isEqualTo(1.01);
    assertThat(Double.doubleToRawLongBits(CompiledModel.roundToCents(-0.001))).as("no -0")
        .isEqualTo(Double.doubleToRawLongBits(0.0));
  }

  @Test
  void aModelWithoutMinimumConsentScoresEveryone() {
    ModelDefinition open = ModelDefinition.parse(ModelDefinitionTest.documentedAccountModel());
    assertThat(ScoringEngine.unscorableReason(open, new Facts(Map.of(), null, Map.of(), Map.of()))).isNull();
  }

  @Test
  void theMinimumConsentMustBeTrueForTheNamedPurpose() {
    assertThat(reason(Map.of("marketing", true))).isNull();
    assertThat(reason(Map.of("marketing", true, "newsletter", false))).isNull();
    assertThat(reason(null)).isEqualTo(
        "no consent for marketing: model 'Inbound B2B' scores only contacts whose consent has \"marketing\": true");
    assertThat(reason(Map.of())).startsWith("no consent for marketing");
    assertThat(reason(Map.of("newsletter", true))).startsWith("no consent for marketing");
    assertThat(reason(Map.of("marketing", false))).endsWith("(it is false)");
    assertThat(reason(Map.of("marketing", "true"))).as("only the JSON boolean").endsWith("(it is true)");
    assertThat(reason(Map.of("Marketing", true))).as("purposes are compared exactly").isNotNull();
  }

  private String reason(Map<String, Object> consent) {
    return ScoringEngine.unscorableReason(model, new Facts(Map.of(), consent, Map.of(), Map.of()));
  }
}
