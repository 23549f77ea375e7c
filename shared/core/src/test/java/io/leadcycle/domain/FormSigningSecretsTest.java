package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which secrets a rotated form accepts, and that a form never prints them. */
class FormSigningSecretsTest {

  private static final MatchingStrategy CONTACT = new MatchingStrategy(MatchingStrategy.DEFAULT_CONTACT,
      "Email", StrategyEntity.CONTACT, List.of(MatchField.EMAIL));
  private static final MatchingStrategy LEAD = new MatchingStrategy(MatchingStrategy.DEFAULT_LEAD,
      "Email and page", StrategyEntity.LEAD, List.of(MatchField.EMAIL, MatchField.MARKETING_CONTEXT_ID));
  private static final Instant EXPIRES = Instant.parse("2026-12-08T10:00:00Z");

  private static Form form(String previous, Instant expires) {
    return new Form("page", "Page", FormKind.MARKETING_PAGE, CONTACT, LEAD, UpdateMode.CONTACTS_AND_LEADS, false, true,
        "whsec_CURRENT", AccountLinking.OFF, BrowserSettings.NONE, FormDefinition.DEFAULT_PROCESS_ID, previous, expires);
  }

  @Test
  void aFormNeverRotatedAcceptsItsOneSecret() {
    assertThat(form(null, null).signingSecretsAt(EXPIRES)).containsExactly("whsec_CURRENT");
  }

  @Test
  void thePreviousSecretIsAcceptedUntilItsExpiryAndNotFromThen() {
    Form rotated = form("whsec_PREVIOUS", EXPIRES);

    assertThat(rotated.signingSecretsAt(EXPIRES.minusNanos(1000))).containsExactly("whsec_CURRENT", "whsec_PREVIOUS");
    assertThat(rotated.signingSecretsAt(EXPIRES)).containsExactly("whsec_CURRENT");
    assertThat(rotated.signingSecretsAt(EXPIRES.plusSeconds(3600))).containsExactly("whsec_CURRENT");
  }

  @Test
  void aFormPrintsNoSecret() {
    assertThat(form("whsec_PREVIOUS", EXPIRES).toString()).contains("page").doesNotContain("whsec_");
  }
}
