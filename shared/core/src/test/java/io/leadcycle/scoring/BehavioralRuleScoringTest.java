package io.leadcycle.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadcycle.domain.InteractionType;
import io.leadcycle.scoring.BehavioralRule.Frequency;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Behavioral rules: what BehaviorFacts.of counts (type, context, window, decay), and what each frequency gives. */
class BehavioralRuleScoringTest {

  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  static BehavioralRule rule(Frequency frequency, Integer withinDays, String contextId, int points, Integer maxPoints,
      Double halfLife) {
    return new BehavioralRule("r", InteractionType.WEBSITE_VISITED, frequency, withinDays, contextId, points,
        maxPoints, halfLife);
  }

  static InteractionFact visit(Duration age) {
    return new InteractionFact(InteractionType.WEBSITE_VISITED, null, NOW.minus(age));
  }

  static InteractionFact visit(Duration age, String contextId) {
    return new InteractionFact(InteractionType.WEBSITE_VISITED, contextId, NOW.minus(age));
  }

  static List<InteractionFact> visitsAged(int... days) {
    List<InteractionFact> facts = new ArrayList<>();
    for (int d : days) {
      facts.add(visit(Duration.ofDays(d)));
    }
    return facts;
  }

  static ModelDefinition model(Rule... rules) {
    return new ModelDefinition("m", ModelTarget.CONTACT, 50, List.of(new Grade("low", -1_000_000, 49),
        new Grade("high", 50, 1_000_000)), null, List.of(rules));
  }

  /** The score result of a model with this one rule over these interactions. */
  static ScoreResult score(BehavioralRule rule, List<InteractionFact> interactions) {
    return ScoringEngine.score(model(rule),
        new Facts(Map.of(), null, Map.of(), Map.of(rule.id(), BehaviorFacts.of(rule, interactions, NOW))));
  }

  static RuleResult explained(BehavioralRule rule, List<InteractionFact> interactions) {
    return score(rule, interactions).explanation().get(0);
  }

  @Test
  void aRuleThatGivesMoreThanAScoreCanHoldShowsTheScoresCapInTheExplanation() {
    // 3,000 visits at 1,000,000 points each: 3,000,000,000, more than a score (an int) holds
    List<InteractionFact> visits = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      visits.add(visit(Duration.ofHours(i)));
    }
    ScoreResult result = score(rule(Frequency.EACH, null, null, 1_000_000, null, null), visits);

    assertThat(result.score()).isEqualTo(Integer.MAX_VALUE);
    assertThat(result.explanation().get(0).points()).isEqualTo(Integer.MAX_VALUE);
    assertThat(new io.vertx.core.json.JsonObject()
        .put("points", io.leadcycle.events.JsonViews.points(result.explanation().get(0).points())).encode())
        .as("as the score is written, not 3.0E9 or 3000000000.0").isEqualTo("{\"points\":2147483647}");
  }

  @Test
  void explanationPointsAreWrittenAsTheApiWritesNumbers() {
    assertThat(io.leadcycle.events.JsonViews.points(20.0)).isEqualTo(20L);
    assertThat(io.leadcycle.events.JsonViews.points(-0.0)).isEqualTo(0L);
    assertThat(io.leadcycle.events.JsonViews.points(8.75)).isEqualTo(8.75);
    assertThat(io.leadcycle.events.JsonViews.points(Integer.MIN_VALUE)).isEqualTo((long) Integer.MIN_VALUE);
  }

  @Nested
  class WhatCounts {

    @Test
    void onlyInteractionsOfTheRulesType() {
      BehavioralRule rule = rule(Frequency.EACH, null, null, 1, null, null);
      List<InteractionFact> facts = List.of(visit(Duration.ZERO),
          new InteractionFact(InteractionType.EMAIL_OPENED, null, NOW),
          new InteractionFact(InteractionType.FORM_SUBMITTED, null, NOW));

      assertThat(BehaviorFacts.of(rule, facts, NOW)).isEqualTo(new BehaviorFacts(1, 1, 1));
    }

    @Test
    void onlyInteractionsInTheRulesContextWhenItNamesOne() {
      List<InteractionFact> facts = List.of(visit(Duration.ZERO, "webinar-1"), visit(Duration.ZERO, "Webinar-1"),
          visit(Duration.ZERO, "webinar-10"), visit(Duration.ZERO, null), visit(Duration.ZERO, "webinar-1"));

      assertThat(BehaviorFacts.of(rule(Frequency.EACH, null, "webinar-1", 1, null, null), facts, NOW).occurrences())
          .as("exact context id").isEqualTo(2);
      assertThat(BehaviorFacts.of(rule(Frequency.EACH, null, null, 1, null, null), facts, NOW).occurrences())
          .as("any context").isEqualTo(5);
    }

    @Test
    void theWindowHoldsInteractionsUpToWithinDaysOld() {
      BehavioralRule rule = rule(Frequency.EACH, 30, null, 1, null, null);
      List<InteractionFact> facts = List.of(visit(Duration.ofDays(29)), visit(Duration.ofDays(30)),
          visit(Duration.ofDays(30).plusSeconds(1)), visit(Duration.ofDays(400)), visit(Duration.ofDays(-2)));

      assertThat(BehaviorFacts.of(rule, facts, NOW)).as("29 days, exactly 30 days and a future one")
          .isEqualTo(new BehaviorFacts(3, 3, 1));
      assertThat(BehaviorFacts.of(rule(Frequency.EACH, null, null, 1, null, null), facts, NOW).occurrences())
          .as("no window: all time").isEqualTo(5);
    }

    @Test
    void nothingCountedIsNone() {
      assertThat(BehaviorFacts.of(rule(Frequency.EACH, 1, null, 1, null, null), visitsAged(5), NOW))
          .isEqualTo(BehaviorFacts.NONE);
      assertThat(BehaviorFacts.of(rule(Frequency.EACH, 1, null, 1, null, null), List.of(), NOW))
          .isEqualTo(BehaviorFacts.NONE);
    }

    @Test
    void ageIsFractionalDaysAndAFutureInteractionIsNew() {
      assertThat(BehaviorFacts.ageDays(NOW.minus(Duration.ofHours(36)), NOW)).isEqualTo(1.5);
      assertThat(BehaviorFacts.ageDays(NOW.minusSeconds(1), NOW)).isEqualTo(1 / 86_400d);
      assertThat(BehaviorFacts.ageDays(NOW.plus(Duration.ofDays(3)), NOW)).isZero();
      assertThat(BehaviorFacts.weight(7.0, NOW.plus(Duration.ofDays(3)), NOW)).isEqualTo(1);
      assertThat(BehaviorFacts.weight(null, NOW.minus(Duration.ofDays(300)), NOW)).isEqualTo(1);
    }
  }

  @Nested
  class Frequencies {

    @Test
    void eachGivesPointsPerOccurrence() {
      BehavioralRule rule = rule(Frequency.EACH, null, null, 2, null, null);
      assertThat(explained(rule, visitsAged())).isEqualTo(new RuleResult("r", 0, 0));
      assertThat(explained(rule, visitsAged(1))).isEqualTo(new RuleResult("r", 2, 1));
      assertThat(explained(rule, visitsAged(1, 2, 3))).isEqualTo(new RuleResult("r", 6, 3));
    }

    @Test
    void eachIsCappedAtMaxPoints() {
      BehavioralRule rule = rule(Frequency.EACH, null, null, 2, 5, null);
      assertThat(explained(rule, visitsAged(1, 2))).isEqualTo(new RuleResult("r", 4, 2));
      assertThat(explained(rule, visitsAged(1, 2, 3))).as("6 capped at 5").isEqualTo(new RuleResult("r", 5, 3));
      assertThat(explained(rule, visitsAged(1, 2, 3, 4, 5, 6, 7))).isEqualTo(new RuleResult("r", 5, 7));
    }

    @Test
    void negativePointsAreFlooredAtANegativeMaxPoints() {
      BehavioralRule rule = rule(Frequency.EACH, null, null, -3, -5, null);
      assertThat(explained(rule, visitsAged(1))).isEqualTo(new RuleResult("r", -3, 1));
      assertThat(explained(rule, visitsAged(1, 2))).as("-6 floored at -5").isEqualTo(new RuleResult("r", -5, 2));
      assertThat(score(rule, visitsAged(1, 2, 3, 4)).score()).isEqualTo(-5);
    }

    @Test
    void atLeastOnceGivesItsPointsOnce() {
      BehavioralRule rule = rule(Frequency.AT_LEAST_ONCE, null, null, 25, null, null);
      assertThat(explained(rule, visitsAged())).isEqualTo(new RuleResult("r", 0, 0));
      assertThat(explained(rule, visitsAged(3))).isEqualTo(new RuleResult("r", 25, 1));
      assertThat(explained(rule, visitsAged(3, 4, 5, 6))).isEqualTo(new RuleResult("r", 25, 4));
    }

    @Test
    void noneGivesItsPointsWhenNothingCounts() {
      BehavioralRule rule = rule(Frequency.NONE, 90, null, -15, null, null);
      assertThat(explained(rule, visitsAged())).isEqualTo(new RuleResult("r", -15, 0));
      assertThat(explained(rule, visitsAged(120, 200))).as("only old ones: none in the window")
          .isEqualTo(new RuleResult("r", -15, 0));
      assertThat(explained(rule, visitsAged(10, 120))).as("the occurrence that kept it from firing")
          .isEqualTo(new RuleResult("r", 0, 1));
    }

    @Test
    void aNoneRuleWithPositivePointsIsTheOneRuleAnInteractionTakesPointsFrom() {
      BehavioralRule rule = rule(Frequency.NONE, 30, null, 10, null, null);
      assertThat(score(rule, visitsAged()).score()).isEqualTo(10);
      assertThat(score(rule, visitsAged(1)).score()).isZero();
    }

    @Test
    void aRuleWithoutFactsSawNothing() {
      ModelDefinition model = model(rule(Frequency.EACH, null, null, 2, null, null),
          new BehavioralRule("quiet", InteractionType.EMAIL_OPENED, Frequency.NONE, null, null, 5, null, null));
      ScoreResult result = ScoringEngine.score(model, new Facts(Map.of(), null, Map.of(), Map.of()));
      assertThat(result.explanation()).containsExactly(new RuleResult("r", 0, 0), new RuleResult("quiet", 5, 0));
      assertThat(result.score()).isEqualTo(5);
    }
  }

  @Nested
  class Decay {

    @Test
    void theDocumentedExample() {
      // points 10, half-life 7 days, visits 0, 7 and 14 days old: 10 + 5 + 2.5 = 17.5, rounded to 18
      BehavioralRule rule = rule(Frequency.EACH, null, null, 10, null, 7.0);
      List<InteractionFact> visits = visitsAged(0, 7, 14);

      assertThat(BehaviorFacts.of(rule, visits, NOW)).isEqualTo(new BehaviorFacts(3, 1.75, 1));
      ScoreResult result = score(rule, visits);
      assertThat(result.explanation()).containsExactly(new RuleResult("r", 17.5, 3));
      assertThat(result.score()).isEqualTo(18);
    }

    @Test
    void halvesEveryHalfLifeAtAnyAge() {
      assertThat(BehaviorFacts.weight(7.0, NOW.minus(Duration.ofDays(7)), NOW)).isEqualTo(0.5);
      assertThat(BehaviorFacts.weight(7.0, NOW.minus(Duration.ofDays(21)), NOW)).isEqualTo(0.125);
      assertThat(BehaviorFacts.weight(2.0, NOW.minus(Duration.ofDays(1)), NOW)).isCloseTo(Math.sqrt(0.5), within(1e-12));
      assertThat(BehaviorFacts.weight(0.5, NOW.minus(Duration.ofHours(6)), NOW)).isCloseTo(Math.sqrt(0.5),
          within(1e-12));
    }

    @Test
    void explanationPointsAreRoundedToTwoDecimalsAndTheScoreOnlyAtTheEnd() {
      // weights 1 and 0.5^(1/3) = 0.7937...: 10 × 1.7937 = 17.937 → 17.94 in the explanation, 18 as the score
      BehavioralRule rule = rule(Frequency.EACH, null, null, 10, null, 3.0);
      ScoreResult result = score(rule, visitsAged(0, 1));
      assertThat(result.explanation().get(0).points()).isEqualTo(17.94);
      assertThat(result.score()).isEqualTo(18);
    }

    @Test
    void atLeastOnceCountsTheNewestOccurrence() {
      BehavioralRule rule = rule(Frequency.AT_LEAST_ONCE, null, null, 20, null, 3.0);
      assertThat(explained(rule, visitsAged(9, 3, 30))).isEqualTo(new RuleResult("r", 10, 3));
    }

    @Test
    void theCapHoldsForDecayedTotalsToo() {
      BehavioralRule rule = rule(Frequency.EACH, null, null, 10, 12, 7.0);
      assertThat(explained(rule, visitsAged(0, 7, 14))).isEqualTo(new RuleResult("r", 12, 3));
      assertThat(explained(rule, visitsAged(14))).isEqualTo(new RuleResult("r", 2.5, 1));
    }

    @Test
    void negativeDecayedPointsRoundHalfUp() {
      BehavioralRule rule = rule(Frequency.EACH, null, null, -10, null, 7.0);
      ScoreResult result = score(rule, visitsAged(0, 7, 14));
      assertThat(result.explanation()).containsExactly(new RuleResult("r", -17.5, 3));
      assertThat(result.score()).as("half up: -17.5 gives -17").isEqualTo(-17);
    }

    @Test
    void decayAndAWindowTogether() {
      BehavioralRule rule = rule(Frequency.EACH, 10, null, 8, null, 7.0);
      assertThat(explained(rule, visitsAged(0, 7, 14))).isEqualTo(new RuleResult("r", 12, 2));
    }
  }
}
