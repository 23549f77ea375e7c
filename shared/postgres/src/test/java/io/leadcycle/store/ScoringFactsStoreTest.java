package io.leadcycle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadcycle.domain.InteractionType;
import io.leadcycle.scoring.BehaviorFacts;
import io.leadcycle.scoring.BehavioralRule;
import io.leadcycle.scoring.BehavioralRule.Frequency;
import io.leadcycle.scoring.InteractionFact;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The set-based SQL that gathers behavioral facts means exactly what the domain's reference
 * {@link BehaviorFacts#of} means: same window, same context filter, same decay, on random data.
 */
class ScoringFactsStoreTest {

  private static final List<BehavioralRule> RULES = List.of(
      new BehavioralRule("all-visits", InteractionType.WEBSITE_VISITED, Frequency.EACH, null, null, 5, null, null),
      new BehavioralRule("recent-visits", InteractionType.WEBSITE_VISITED, Frequency.EACH, 30, null, 5, 20, null),
      new BehavioralRule("webinar", InteractionType.EVENT_REGISTERED, Frequency.AT_LEAST_ONCE, 90, "webinar", 10, null,
          null),
      new BehavioralRule("decaying-clicks", InteractionType.EMAIL_CLICKED, Frequency.EACH, 60, null, 8, null, 7.0),
      new BehavioralRule("decaying-any-time", InteractionType.FORM_SUBMITTED, Frequency.AT_LEAST_ONCE, null, null, 10,
          null, 14.5),
      new BehavioralRule("no-unsubscribe", InteractionType.EMAIL_OPENED, Frequency.NONE, 10, "newsletter", -5, null,
          null));

  private static final InteractionType[] TYPES = {InteractionType.WEBSITE_VISITED, InteractionType.EVENT_REGISTERED,
      InteractionType.EMAIL_CLICKED, InteractionType.FORM_SUBMITTED, InteractionType.EMAIL_OPENED};
  private static final String[] CONTEXTS = {null, "webinar", "newsletter", "other"};

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void theSqlAggregateEqualsTheDomainsReferenceOnRandomInteractions() {
    Random random = new Random(20261127);
    // Microseconds: what PostgreSQL keeps of a time.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Map<UUID, List<InteractionFact>> byContact = new HashMap<>();
    List<UUID> contacts = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      UUID contactId = ScoringFixtures.contact("p" + c + "@example.com", null, null);
      contacts.add(contactId);
      List<InteractionFact> facts = new ArrayList<>();
      int n = c == 0 ? 0 : random.nextInt(25);
      for (int i = 0; i < n; i++) {
        InteractionType type = TYPES[random.nextInt(TYPES.length)];
        String context = CONTEXTS[random.nextInt(CONTEXTS.length)];
        // From two days in the future to 120 days ago, including the windows' edges.
        long seconds = random.nextInt(5) == 0 ? 30L * 86_400 : (long) (random.nextDouble() * 122 * 86_400) - 2 * 86_400;
        Instant at = now.minus(Duration.ofSeconds(seconds)).truncatedTo(ChronoUnit.MICROS);
        ScoringFixtures.interaction(contactId, type.wireName(), at, context);
        facts.add(new InteractionFact(type, context, at));
      }
      byContact.put(contactId, facts);
    }

    Map<UUID, Map<Integer, BehaviorFacts>> sql = TestDatabase.database()
        .read(conn -> new ScoringFactsStore().behaviorOfContacts(conn, RULES, contacts, now)).await();

    for (UUID contactId : contacts) {
      for (int r = 0; r < RULES.size(); r++) {
        BehaviorFacts expected = BehaviorFacts.of(RULES.get(r), byContact.get(contactId), now);
        BehaviorFacts actual = sql.getOrDefault(contactId, Map.of()).getOrDefault(r, BehaviorFacts.NONE);
        String what = "contact " + contacts.indexOf(contactId) + ", rule " + RULES.get(r).id();
        assertThat(actual.occurrences()).as(what).isEqualTo(expected.occurrences());
        assertThat(actual.weightSum()).as(what).isCloseTo(expected.weightSum(), within(1e-9));
        assertThat(actual.newestWeight()).as(what).isCloseTo(expected.newestWeight(), within(1e-9));
      }
    }
  }

  @Test
  void anAccountsFactsAreThoseOfAllItsContacts() {
    Instant now = Instant.now();
    UUID acme = ScoringFixtures.account("ACME", null, null);
    UUID ada = ScoringFixtures.contact("ada@acme.com", null, acme);
    UUID grace = ScoringFixtures.contact("grace@acme.com", null, acme);
    UUID other = ScoringFixtures.contact("linus@other.com", null, null);
    ScoringFixtures.interaction(ada, "website_visited", now.minusSeconds(3600), null);
    ScoringFixtures.interaction(grace, "website_visited", now.minusSeconds(7200), null);
    ScoringFixtures.interaction(other, "website_visited", now.minusSeconds(7200), null);

    Map<UUID, Map<Integer, BehaviorFacts>> facts = TestDatabase.database()
        .read(conn -> new ScoringFactsStore().behaviorOfAccounts(conn, RULES, List.of(acme), now)).await();

    assertThat(facts.get(acme).get(0).occurrences()).isEqualTo(2);
  }
}
