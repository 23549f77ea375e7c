package io.leadcycle.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.ConsentChange;
import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.StrategyEntity;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.linkedin.LinkedInFormMapping.Decision;
import io.leadcycle.postgres.Database;
import io.leadcycle.privacy.PrivacyService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.leadcycle.store.ContactStore;
import io.leadcycle.testing.TestDatabase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A LinkedIn Lead Gen response's consents go into the contact's consent history with their source: the Lead Gen form's
 * URN and the response URN, through the same intake path (and ledger) the sync uses.
 */
class LinkedInConsentHistoryTest {

  private static final String FORM = "urn:li:leadGenForm:7234246";
  private static final MatchingStrategy CONTACT = new MatchingStrategy("default-contact", "email",
      StrategyEntity.CONTACT, List.of(MatchField.EMAIL));
  private static final MatchingStrategy LEAD = new MatchingStrategy("default-lead", "email and context",
      StrategyEntity.LEAD, List.of(MatchField.EMAIL, MatchField.MARKETING_CONTEXT_ID));

  private final Database database = TestDatabase.database();
  private final ContactStore contacts = new ContactStore();

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private static LinkedInFormMapping mapping() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "Webinar");
    body.put("fields", new LinkedHashMap<>(Map.of("FIRST_NAME", "firstName", "3", "email")));
    return LinkedInFormMapping.parse(FORM, body);
  }

  private UUID take(String responseId, boolean accepted) {
    LinkedInLead lead = new LinkedInLead(responseId, FORM, "urn:li:versionedLeadGenForm:(" + FORM + ",1)",
        Instant.parse("2026-11-20T09:30:00Z"), false, "SPONSORED", "urn:li:sponsoredAccount:1",
        Map.of("1", "Ada", "3", "ada@example.com"), Map.of("0", accepted), Map.of("1", "FIRST_NAME"));
    Decision decision = mapping().decide(lead, CONTACT, LEAD);
    return new IntakeService(database).submit(decision.form(), decision.submission(), lead.responseUrn(),
        new LinkedInResponseLedger(new LinkedInResponseStore(), FORM, lead.submittedAt()), decision.matchContact())
        .await().contact().id();
  }

  @Test
  void eachResponseThatChangesAConsentIsEnteredWithTheFormAndResponse() {
    UUID ada = take("r-1", true);
    take("r-2", true); // the same answer again: no change
    take("r-3", false); // withdrawn on a later response

    List<ConsentChange> newestFirst = database.read(conn -> contacts.consentHistory(conn, ada)).await();
    assertThat(newestFirst).extracting(c -> c.purpose() + "=" + c.value() + " " + c.source().kind() + " "
            + c.source().id() + " " + c.source().submissionId() + " " + c.source().actor())
        .containsExactly(
            "linkedin:0=false linkedin_form " + FORM + " urn:li:leadGenFormResponse:r-3 intake",
            "linkedin:0=true linkedin_form " + FORM + " urn:li:leadGenFormResponse:r-1 intake");
    Map<String, Object> stored = database.read(conn -> contacts.findById(conn, ada)).await().consent();
    assertThat(ConsentChange.fold(newestFirst)).isEqualTo(stored).isEqualTo(Map.of("linkedin:0", false));

    // The person's export holds each response as the ledger keeps it, with the answers as mapped.
    JsonObject export = new PrivacyService(database).export(ada).await();
    JsonArray responses = export.getJsonArray("linkedInResponses");
    assertThat(responses).hasSize(3);
    JsonObject first = responses.getJsonObject(0);
    assertThat(first.getString("formUrn")).isEqualTo(FORM);
    assertThat(first.getString("submittedAt")).isEqualTo("2026-11-20T09:30:00Z");
    assertThat(List.of(responses.getJsonObject(0).getString("responseUrn"), responses.getJsonObject(1)
        .getString("responseUrn"), responses.getJsonObject(2).getString("responseUrn"))).containsExactlyInAnyOrder(
        "urn:li:leadGenFormResponse:r-1", "urn:li:leadGenFormResponse:r-2", "urn:li:leadGenFormResponse:r-3");
    assertThat(first.getJsonObject("received").encode()).contains("ada@example.com");
    assertThat(export.getJsonArray("consentHistory")).hasSize(2);
  }
}
