package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules behind the newer form settings: origins, account keys, field-name hints. */
class IntakeSettingsTest {

  private static ContactDetails person(String email, String companyName) {
    return new ContactDetails(email, null, null, null, companyName, null, null, Map.of());
  }

  @ParameterizedTest
  @CsvSource({
      "https://www.example.com, https://www.example.com",
      "HTTPS://WWW.EXAMPLE.COM:443, https://www.example.com",
      "http://localhost:80, http://localhost",
      "http://localhost:3000, http://localhost:3000",
      "https://example.com:65535, https://example.com:65535",
      "http://example.com:1, http://example.com:1",
      "' https://example.com ', https://example.com"})
  void originsAreComparedAsBrowsersSendThem(String given, String normalized) {
    assertThat(BrowserSettings.normalizeOrigin(given)).isEqualTo(normalized);
  }

  @ParameterizedTest
  @CsvSource({"https://example.com/", "https://example.com/landing", "https://example.com?x=1", "*", "null",
      "ftp://example.com", "example.com", "https://user@example.com", "javascript:alert(1)",
      "https://example.com:99999", "https://example.com:65536", "https://example.com:0", "https://example.com:",
      "https://exa mple.com", "https://example.com#top"})
  void anythingButAnOriginIsRefused(String given) {
    assertThat(BrowserSettings.normalizeOrigin(given)).isNull();
  }

  @Test
  void anAllowedOriginMatchesInAnySpelling() {
    BrowserSettings browser = new BrowserSettings(java.util.List.of("https://www.example.com"), null, "website");

    assertThat(browser.allows("https://WWW.example.com")).isTrue();
    assertThat(browser.allows("https://www.example.com:443")).isTrue();
    assertThat(browser.allows("http://www.example.com")).isFalse();
    assertThat(browser.allows("https://www.example.com.evil.io")).isFalse();
    assertThat(browser.allows(null)).isFalse();
    assertThat(browser.honeypotFilled(Map.of("website", " "))).isFalse();
    assertThat(browser.honeypotFilled(Map.of("website", "x"))).isTrue();
  }

  @Test
  void accountKeysByDomainSkipFreeMailAndNormalize() {
    AccountLinking byDomain = new AccountLinking(AccountMatching.DOMAIN, true);

    assertThat(byDomain.keyOf(person("Ada@WWW.Acme.COM.", "ACME Inc"))).hasValueSatisfying(key -> {
      assertThat(key.value()).isEqualTo("acme.com");
      assertThat(key.newName()).isEqualTo("ACME Inc");
      assertThat(key.newDomain()).isEqualTo("acme.com");
    });
    assertThat(byDomain.keyOf(person("ada@acme.com", null)).orElseThrow().newName()).isEqualTo("acme.com");
    assertThat(byDomain.keyOf(person("ada@gmail.com", "ACME"))).isEmpty();
    assertThat(byDomain.keyOf(person("ada@GoogleMail.com", "ACME"))).isEmpty();
    assertThat(byDomain.keyOf(person("ada@web.de", null))).isEmpty();
    assertThat(byDomain.keyOf(person(null, "ACME"))).isEmpty();
  }

  @Test
  void accountKeysByCompanyNameCompareNormalizedNames() {
    AccountLinking byName = new AccountLinking(AccountMatching.COMPANY_NAME, false);

    assertThat(byName.keyOf(person("a@x.com", "  Müller   STRASSE GmbH ")).orElseThrow().value())
        .isEqualTo(byName.keyOf(person("b@y.com", "müller straße gmbh")).orElseThrow().value());
    assertThat(byName.keyOf(person("a@x.com", null))).isEmpty();
    assertThat(AccountLinking.OFF.keyOf(person("a@acme.com", "ACME"))).isEmpty();
    // The lock names differ by matching, so a domain and a name never share a lock by accident.
    assertThat(byName.keyOf(person(null, "acme.com")).orElseThrow().lockName())
        .isNotEqualTo(new AccountLinking(AccountMatching.DOMAIN, false).keyOf(person("a@acme.com", null)).orElseThrow().lockName());
  }

  @ParameterizedTest
  @CsvSource({"firstname, firstName", "First_Name, firstName", "emial, email", "E-Mail, email", "mail, email",
      "lastnme, lastName", "Phone, phone", "compnyName, companyName", "jobtitle, jobTitle", "Country, country"})
  void aNameCloseToAStandardFieldGetsAHint(String name, String meant) {
    assertThat(FieldNameHints.standardFieldMeant(name)).isEqualTo(meant);
  }

  @ParameterizedTest
  @CsvSource({"plan, ", "utm_source, ", "message, ", "company, ", "budget, ", "a, ", "webinarDate, "})
  void aDeliberateCustomFieldGetsNone(String name, String meant) {
    assertThat(FieldNameHints.standardFieldMeant(name)).isNull();
  }

  @Test
  void aPatchKeepsWhatItDoesNotNameAndNullResets() {
    FormDefinition stored = FormDefinition.parse("page", Map.of("name", "Page", "kind", "marketing_page",
        "requireSignature", false, "redirectUrl", "https://example.com/thanks"));

    FormDefinition renamed = stored.patched(Map.of("name", "Spring page"));
    java.util.Map<String, Object> reset = new java.util.HashMap<>();
    reset.put("redirectUrl", null);

    assertThat(renamed.requireSignature()).isFalse();
    assertThat(renamed.browser().redirectUrl()).isEqualTo("https://example.com/thanks");
    assertThat(renamed.name()).isEqualTo("Spring page");
    assertThat(stored.patched(reset).browser().redirectUrl()).isNull();
    assertThat(FormDefinition.parse("page", stored.toBody())).isEqualTo(stored);
  }
}
