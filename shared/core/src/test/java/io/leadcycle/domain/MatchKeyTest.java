package io.leadcycle.domain;

import static io.leadcycle.domain.MatchField.COMPANY_NAME;
import static io.leadcycle.domain.MatchField.EMAIL;
import static io.leadcycle.domain.MatchField.FIRST_NAME;
import static io.leadcycle.domain.MatchField.LAST_NAME;
import static io.leadcycle.domain.MatchField.MARKETING_CONTEXT_ID;
import static io.leadcycle.domain.MatchField.PHONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchKeyTest {

  private static final MatchingStrategy CONTACT_BY_EMAIL =
      new MatchingStrategy("default-contact", "Email", StrategyEntity.CONTACT, List.of(EMAIL));
  private static final MatchingStrategy LEAD_BY_EMAIL_AND_CONTEXT =
      new MatchingStrategy("default-lead", "Email + context", StrategyEntity.LEAD, List.of(EMAIL, MARKETING_CONTEXT_ID));

  private static ContactDetails person(String email, String firstName, String lastName, String phone, String company) {
    return new ContactDetails(email, firstName, lastName, phone, company, "CTO", "DE", Map.of("utm", "x"));
  }

  private static ContactDetails ann() {
    return person("  Ann@Example.COM ", " ANN ", "Groß", "+49 30 1234", " Acme   GmbH ");
  }

  @Test
  void valuesAreNormalizedPerField() {
    MatchingStrategy all = new MatchingStrategy("s", "all", StrategyEntity.LEAD,
        List.of(EMAIL, FIRST_NAME, LAST_NAME, PHONE, COMPANY_NAME, MARKETING_CONTEXT_ID));

    MatchKey key = MatchKey.of(all, ann(), "  spring-page ").orElseThrow();

    assertThat(key.entity()).isEqualTo(StrategyEntity.LEAD);
    assertThat(key.fields()).containsExactly(EMAIL, FIRST_NAME, LAST_NAME, PHONE, COMPANY_NAME, MARKETING_CONTEXT_ID);
    assertThat(key.values()).containsExactly("ann@example.com", "ann", "gross", "49301234", "acme gmbh", "spring-page");
  }

  @Test
  void marketingContextIdComesFromTheArgumentNotTheContact() {
    ContactDetails withAttribute = new ContactDetails("a@b.io", null, null, null, null, null, null,
        Map.of("marketingContextId", "from-attributes"));

    MatchKey key = MatchKey.of(LEAD_BY_EMAIL_AND_CONTEXT, withAttribute, "page-7").orElseThrow();

    assertThat(key.values()).containsExactly("a@b.io", "page-7");
    assertThat(MatchKey.of(LEAD_BY_EMAIL_AND_CONTEXT, withAttribute, "page-8").orElseThrow().values())
        .containsExactly("a@b.io", "page-8");
  }

  @Test
  void emptyWhenTheMarketingContextIsMissing() {
    assertThat(MatchKey.of(LEAD_BY_EMAIL_AND_CONTEXT, ann(), null)).isEmpty();
    assertThat(MatchKey.of(LEAD_BY_EMAIL_AND_CONTEXT, ann(), "   ")).isEmpty();
  }

  @Test
  void emptyWhenAStrategyFieldIsMissing() {
    ContactDetails noEmail = person(null, "Ann", "Lee", "123", "Acme");
    assertThat(MatchKey.of(CONTACT_BY_EMAIL, noEmail, "p")).isEmpty();

    MatchingStrategy byPhone = new MatchingStrategy("p", "phone", StrategyEntity.CONTACT, List.of(EMAIL, PHONE));
    assertThat(MatchKey.of(byPhone, person("a@b.io", null, null, null, null), "p")).isEmpty();
  }

  @Test
  void emptyWhenAStrategyFieldNormalizesToNothing() {
    MatchingStrategy byPhone = new MatchingStrategy("p", "phone", StrategyEntity.CONTACT, List.of(PHONE));
    assertThat(MatchKey.of(byPhone, person("a@b.io", null, null, "no phone", null), null)).isEmpty();

    MatchingStrategy byName = new MatchingStrategy("n", "name", StrategyEntity.CONTACT, List.of(LAST_NAME));
    assertThat(MatchKey.of(byName, person("a@b.io", null, "   ", null, null), null)).isEmpty();
  }

  @Test
  void fieldsOutsideTheStrategyDoNotMatter() {
    MatchKey first = MatchKey.of(CONTACT_BY_EMAIL, person("ann@example.com", "Ann", null, null, null), null).orElseThrow();
    MatchKey second = MatchKey.of(CONTACT_BY_EMAIL, person("ANN@example.com ", "Bob", "X", "1", "Y"), null).orElseThrow();

    assertThat(first).isEqualTo(second);
    assertThat(first.lockName()).isEqualTo(second.lockName());
  }

  @Test
  void lockNameIsSharedByStrategiesWithTheSameFields() {
    MatchingStrategy other = new MatchingStrategy("custom-contact", "Also email", StrategyEntity.CONTACT, List.of(EMAIL));

    String a = MatchKey.of(CONTACT_BY_EMAIL, ann(), null).orElseThrow().lockName();
    String b = MatchKey.of(other, ann(), null).orElseThrow().lockName();

    assertThat(a).isEqualTo(b);
  }

  @Test
  void lockNameDiffersForDifferentValues() {
    String ann = MatchKey.of(CONTACT_BY_EMAIL, ann(), null).orElseThrow().lockName();
    String bob = MatchKey.of(CONTACT_BY_EMAIL, person("bob@example.com", null, null, null, null), null)
        .orElseThrow().lockName();
    String annPage1 = MatchKey.of(LEAD_BY_EMAIL_AND_CONTEXT, ann(), "page-1").orElseThrow().lockName();
    String annPage2 = MatchKey.of(LEAD_BY_EMAIL_AND_CONTEXT, ann(), "page-2").orElseThrow().lockName();

    assertThat(ann).isNotEqualTo(bob);
    assertThat(annPage1).isNotEqualTo(annPage2);
  }

  @Test
  void lockNameDiffersForDifferentFields() {
    ContactDetails sameTextEverywhere = person("x@y.io", "x@y.io", "x@y.io", null, "x@y.io");
    MatchingStrategy byEmail = CONTACT_BY_EMAIL;
    MatchingStrategy byFirstName = new MatchingStrategy("f", "first", StrategyEntity.CONTACT, List.of(FIRST_NAME));
    MatchingStrategy byCompany = new MatchingStrategy("c", "company", StrategyEntity.CONTACT, List.of(COMPANY_NAME));
    MatchingStrategy byEmailAndName =
        new MatchingStrategy("en", "email+name", StrategyEntity.CONTACT, List.of(EMAIL, FIRST_NAME));

    List<String> names = List.of(
        MatchKey.of(byEmail, sameTextEverywhere, null).orElseThrow().lockName(),
        MatchKey.of(byFirstName, sameTextEverywhere, null).orElseThrow().lockName(),
        MatchKey.of(byCompany, sameTextEverywhere, null).orElseThrow().lockName(),
        MatchKey.of(byEmailAndName, sameTextEverywhere, null).orElseThrow().lockName());

    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void lockNameDiffersBetweenContactAndLeadStrategies() {
    MatchingStrategy leadByEmail = new MatchingStrategy("l", "lead email", StrategyEntity.LEAD, List.of(EMAIL));

    assertThat(MatchKey.of(leadByEmail, ann(), null).orElseThrow().lockName())
        .isNotEqualTo(MatchKey.of(CONTACT_BY_EMAIL, ann(), null).orElseThrow().lockName());
  }

  @Test
  void lockNameIgnoresTheOrderOfTheFields() {
    MatchingStrategy emailPhone = new MatchingStrategy("a", "a", StrategyEntity.CONTACT, List.of(EMAIL, PHONE));
    MatchingStrategy phoneEmail = new MatchingStrategy("b", "b", StrategyEntity.CONTACT, List.of(PHONE, EMAIL));

    assertThat(MatchKey.of(emailPhone, ann(), null).orElseThrow().lockName())
        .isEqualTo(MatchKey.of(phoneEmail, ann(), null).orElseThrow().lockName());
  }
}
