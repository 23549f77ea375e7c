package io.leadcycle.linkedin;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.FormKind;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.StrategyEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcycle.linkedin.LinkedInFormMapping.Decision;
import io.leadcycle.linkedin.LinkedInFormMapping.Disposition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A LinkedIn lead through a form's mapping, without any I/O: parsing, validation and the decision per lead. */
class LinkedInFormMappingTest {

  private static final String FORM = "urn:li:leadGenForm:7234246";
  private static final MatchingStrategy CONTACT = new MatchingStrategy("default-contact", "email",
      StrategyEntity.CONTACT, List.of(MatchField.EMAIL));
  private static final MatchingStrategy LEAD = new MatchingStrategy("default-lead", "email and context",
      StrategyEntity.LEAD, List.of(MatchField.EMAIL, MatchField.MARKETING_CONTEXT_ID));

  private static LinkedInLead lead(boolean testLead, Map<String, String> answers) {
    return new LinkedInLead("abc-1", FORM, "urn:li:versionedLeadGenForm:(" + FORM + ",1)",
        Instant.parse("2026-11-20T09:30:00Z"), testLead, "SPONSORED", "urn:li:sponsoredAccount:1", answers,
        Map.of("0", true), Map.of("1", "FIRST_NAME", "3", "EMAIL"));
  }

  private static LinkedInFormMapping mapping(String extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "Webinar");
    body.put("fields", new LinkedHashMap<>(Map.of("FIRST_NAME", "firstName", "3", "email", "4", "attributes.colour")));
    if (extra != null) {
      body.put("onPartialMatch", extra);
    }
    return LinkedInFormMapping.parse(FORM, body);
  }

  @Test
  void aDocumentedResponseIsRead() {
    LinkedInLead lead = LinkedInLead.parse(Map.of(
        "id", "249592fc-d272-44ba-a7db-c2bdce579507-6",
        "versionedLeadGenFormUrn", "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
        "submittedAt", 1689894599288L, "testLead", true, "leadType", "SPONSORED",
        "owner", Map.of("sponsoredAccount", "urn:li:sponsoredAccount:1234567"),
        "formResponse", Map.of("consentResponses", List.of(Map.of("accepted", true, "consentId", 0)),
            "answers", List.of(
                Map.of("answerDetails", Map.of("textQuestionAnswer", Map.of("answer", "Kevin")), "questionId", 107234246L),
                Map.of("answerDetails", Map.of("multipleChoiceAnswer", Map.of("options", List.of(0))),
                    "questionId", 707234246L)))));

    assertThat(lead.responseUrn()).isEqualTo("urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6");
    assertThat(lead.formUrn()).isEqualTo(FORM);
    assertThat(lead.submittedAt()).isEqualTo(Instant.ofEpochMilli(1689894599288L));
    assertThat(lead.testLead()).isTrue();
    assertThat(lead.answers()).containsEntry("107234246", "Kevin").containsEntry("707234246", "0");
    assertThat(lead.consents()).containsEntry("0", true);
    assertThatThrownBy(() -> LinkedInLead.parse(Map.of("id", "x"))).isInstanceOf(InvalidInput.class);
  }

  @Test
  void urnsAreCheckedAndVersionedOnesPointAtTheirForm() {
    assertThat(LinkedInFormMapping.isFormUrn(FORM)).isTrue();
    assertThat(LinkedInFormMapping.isFormUrn("urn:li:leadGenForm:abc")).isFalse();
    assertThat(LinkedInLead.formUrnIn("urn:li:versionedLeadGenForm:(urn:li:leadGenForm:42,3)")).contains(
        "urn:li:leadGenForm:42");
    assertThat(LinkedInLead.idOfUrn("urn:li:leadGenFormResponse:a-b_1")).contains("a-b_1");
    assertThat(LinkedInLead.idOfUrn("urn:li:leadGenFormResponse:../x")).isEmpty();
  }

  @Test
  void answersFillFieldsByQuestionIdOrPredefinedFieldAndBadOnesAreLeftOut() {
    Decision decision = mapping(null).decide(lead(false, Map.of("1", "Ada", "3", "ada@example.com", "4", "blue")),
        CONTACT, LEAD);

    assertThat(decision.disposition()).isEqualTo(Disposition.INTAKE);
    assertThat(decision.matchContact()).isTrue();
    assertThat(decision.form().kind()).isEqualTo(FormKind.LINKEDIN_FORM);
    assertThat(decision.submission().contact().firstName()).isEqualTo("Ada");
    assertThat(decision.submission().contact().attributes()).containsEntry("colour", "blue");
    assertThat(decision.submission().consent()).containsEntry("linkedin:0", true);

    Decision bad = mapping(null).decide(lead(false, Map.of("1", "Ada", "3", "not an email")), CONTACT, LEAD);
    assertThat(bad.submission().contact().email()).isNull();
    assertThat(bad.submission().warnings()).anyMatch(w -> w.contains("not an email address"));
  }

  @Test
  void testLeadsAreSkippedAndPartialMatchesFollowTheMapping() {
    assertThat(mapping(null).decide(lead(true, Map.of("3", "a@example.com")), CONTACT, LEAD).disposition())
        .isEqualTo(Disposition.SKIPPED_TEST_LEAD);
    assertThat(mapping("ignore").decide(lead(false, Map.of("1", "Ada")), CONTACT, LEAD).disposition())
        .isEqualTo(Disposition.IGNORED_PARTIAL_MATCH);
    Decision created = mapping("create").decide(lead(false, Map.of("1", "Ada")), CONTACT, LEAD);
    assertThat(created.disposition()).isEqualTo(Disposition.INTAKE);
    assertThat(created.matchContact()).isFalse();
    assertThat(created.form().generateLeadsWithoutMatching()).isTrue();
  }

  @Test
  void aBadMappingNamesEveryField() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", " ");
    body.put("fields", Map.of("NOT_A_FIELD", "email", "12", "salary"));
    body.put("includeTestLeads", "no");
    body.put("extra", 1);
    assertThatThrownBy(() -> LinkedInFormMapping.parse("urn:li:versionedLeadGenForm:(urn:li:leadGenForm:1,1)", body))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .contains("formUrn", "name", "fields.NOT_A_FIELD", "fields.12", "includeTestLeads", "extra"));
  }

  @Test
  void aProposalMapsPredefinedQuestionsByQuestionId() {
    LinkedInFormMapping proposal = LinkedInFormMapping.propose(FORM, Map.of("name", "Form", "content",
        Map.of("questions", List.of(
            Map.of("questionId", 1L, "predefinedField", "EMAIL"),
            Map.of("questionId", 2L, "predefinedField", "WORK_EMAIL"),
            Map.of("questionId", 3L, "predefinedField", "COMPANY_SIZE"),
            Map.of("questionId", 4L, "name", "Custom question")))));

    assertThat(proposal.fields()).containsExactly(Map.entry("1", "email"), Map.entry("2", "attributes.workEmail"),
        Map.entry("3", "attributes.companySize"));
    assertThat(proposal.onPartialMatch()).isEqualTo(LinkedInFormMapping.PartialMatch.CREATE);
    assertThat(proposal.includeTestLeads()).isFalse();
  }

  @Test
  void linkedInFormsCannotBeCreatedAsMarketingPages() {
    assertThatThrownBy(() -> FormDefinition.parse("x", Map.of("name", "x", "kind", "linkedin_form")))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("kind"));
  }
}
