package io.leadcycle.scoring;

import static io.leadcycle.scoring.ScoringArbitraries.NOW;
import static io.leadcycle.scoring.ScoringArbitraries.behavior;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.scoring.BehavioralRule.Frequency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The engine's promises over random models and leads (rules and facts from one small vocabulary, so
 * that rules fire): activity never lowers a score, caps hold, windows exclude old interactions, decay
 * never lets an older interaction weigh more, and the score is the rounded sum of its explanation.
 */
class ScoringEnginePropertiesTest {

  private static final ScoringArbitraries VOCABULARY = ScoringArbitraries.vocabulary();

  /** A lead: a model, the contact's and account's fields, and the interactions. */
  record Lead(ModelDefinition model, Map<String, Object> contact, Map<String, Object> account,
      List<InteractionFact> interactions) {

    Facts facts() {
      return new Facts(contact, null, account, behavior(model, interactions));
    }

    ScoreResult score() {
      return ScoringEngine.score(model, facts());
    }

    Lead with(List<InteractionFact> other) {
      return new Lead(model, contact, account, other);
    }
  }

  private static Arbitrary<Lead> leads(Arbitrary<ModelDefinition> models) {
    return Combinators.combine(models, VOCABULARY.contacts(), VOCABULARY.accounts(),
            VOCABULARY.interactions().list().ofMaxSize(25))
        .as(Lead::new);
  }

  @Provide
  Arbitrary<Lead> anyLeads() {
    return leads(VOCABULARY.models());
  }

  @Provide
  Arbitrary<Lead> rewardingLeads() {
    return leads(VOCABULARY.models(Arbitraries.of(ModelTarget.values()), VOCABULARY.rewardingBehavioralRules()));
  }

  @Provide
  Arbitrary<InteractionFact> interactions() {
    return VOCABULARY.interactions();
  }

  @Property(tries = 1000)
  void anInteractionNeverLowersAScoreWhenBehavioralRulesRewardActivity(@ForAll("rewardingLeads") Lead lead,
      @ForAll("interactions") InteractionFact added) {
    List<InteractionFact> more = new ArrayList<>(lead.interactions());
    more.add(added);

    ScoreResult before = lead.score();
    ScoreResult after = lead.with(more).score();

    assertThat(after.score()).isGreaterThanOrEqualTo(before.score());
    for (int i = 0; i < before.explanation().size(); i++) {
      assertThat(after.explanation().get(i).points()).as(after.explanation().get(i).ruleId())
          .isGreaterThanOrEqualTo(before.explanation().get(i).points());
    }
  }

  @Property(tries = 1000)
  void capsHold(@ForAll("anyLeads") Lead lead) {
    ScoreResult result = lead.score();
    for (int i = 0; i < lead.model().rules().size(); i++) {
      if (lead.model().rules().get(i) instanceof BehavioralRule rule && rule.maxPoints() != null) {
        double points = result.explanation().get(i).points();
        assertThat(Math.abs(points)).as(rule.id()).isLessThanOrEqualTo(Math.abs(rule.maxPoints()));
        assertThat(points * rule.maxPoints()).as("same sign").isGreaterThanOrEqualTo(0);
      }
    }
  }

  @Property(tries = 1000)
  void windowsExcludeOldInteractions(@ForAll("anyLeads") Lead lead, @ForAll("interactions") InteractionFact base,
      @ForAll @LongRange(min = 1, max = 10 * 86_400L) long beyondSeconds) {
    for (Rule rule : lead.model().rules()) {
      if (rule instanceof BehavioralRule b && b.withinDays() != null) {
        InteractionFact old = new InteractionFact(b.interaction(), b.contextId(),
            NOW.minus(Duration.ofDays(b.withinDays()).plusSeconds(beyondSeconds)));
        List<InteractionFact> more = new ArrayList<>(lead.interactions());
        more.add(old);
        more.add(base);
        List<InteractionFact> withoutOld = new ArrayList<>(lead.interactions());
        withoutOld.add(base);
        assertThat(BehaviorFacts.of(b, more, NOW)).as(b.id()).isEqualTo(BehaviorFacts.of(b, withoutOld, NOW));
      }
    }
  }

  @Property(tries = 1000)
  void anOlderInteractionNeverWeighsMore(@ForAll("anyLeads") Lead lead,
      @ForAll @IntRange(min = 0, max = 24) int which, @ForAll @LongRange(min = 0, max = 400 * 86_400L) long olderBy) {
    if (lead.interactions().isEmpty()) {
      return;
    }
    int index = which % lead.interactions().size();
    InteractionFact fact = lead.interactions().get(index);
    List<InteractionFact> aged = new ArrayList<>(lead.interactions());
    aged.set(index, new InteractionFact(fact.type(), fact.contextId(), fact.occurredAt().minusSeconds(olderBy)));
    for (Rule rule : lead.model().rules()) {
      if (rule instanceof BehavioralRule b) {
        BehaviorFacts younger = BehaviorFacts.of(b, lead.interactions(), NOW);
        BehaviorFacts older = BehaviorFacts.of(b, aged, NOW);
        assertThat(older.weightSum()).as(b.id()).isLessThanOrEqualTo(younger.weightSum());
        assertThat(older.newestWeight()).as(b.id()).isLessThanOrEqualTo(younger.newestWeight());
        if (b.decayHalfLifeDays() != null) {
          assertThat(BehaviorFacts.weight(b.decayHalfLifeDays(), fact.occurredAt().minusSeconds(olderBy), NOW))
              .isLessThanOrEqualTo(BehaviorFacts.weight(b.decayHalfLifeDays(), fact.occurredAt(), NOW));
        }
      }
    }
  }

  @Property(tries = 1000)
  void theScoreIsTheRoundedSumOfTheExplanation(@ForAll("anyLeads") Lead lead) {
    ScoreResult result = lead.score();
    double sum = result.explanation().stream().mapToDouble(RuleResult::points).sum();
    int rules = lead.model().rules().size();

    assertThat(result.explanation()).extracting(RuleResult::ruleId)
        .containsExactlyElementsOf(lead.model().rules().stream().map(Rule::id).toList());
    assertThat(Math.abs(result.score() - sum)).isLessThanOrEqualTo(0.5 + 0.005 * rules + 1e-9);
    assertThat(result.grade()).isEqualTo(lead.model().gradeOf(result.score()));
    assertThat(result.reachesThreshold()).isEqualTo(result.score() >= lead.model().salesReadyThreshold());
    for (RuleResult r : result.explanation()) {
      assertThat(Math.round(r.points() * 100) / 100.0).as("2 decimals").isEqualTo(r.points());
    }
  }

  @Property(tries = 1000)
  void behaviorFactsAreConsistent(@ForAll("anyLeads") Lead lead) {
    for (Rule rule : lead.model().rules()) {
      if (rule instanceof BehavioralRule b) {
        BehaviorFacts facts = BehaviorFacts.of(b, lead.interactions(), NOW);
        assertThat(facts.occurrences()).isBetween(0, lead.interactions().size());
        assertThat(facts.weightSum()).isBetween(0.0, (double) facts.occurrences());
        assertThat(facts.newestWeight()).isBetween(0.0, 1.0).isLessThanOrEqualTo(facts.weightSum());
        if (b.decayHalfLifeDays() == null) {
          assertThat(facts.weightSum()).isEqualTo(facts.occurrences());
          assertThat(facts.newestWeight()).isEqualTo(facts.occurrences() > 0 ? 1.0 : 0.0);
        }
        RuleResult result = lead.score().explanation().get(lead.model().rules().indexOf(rule));
        assertThat(result.occurrences()).isEqualTo(facts.occurrences());
        if (b.frequency() == Frequency.NONE && facts.occurrences() > 0) {
          assertThat(result.points()).isZero();
        }
      }
    }
  }
}
