package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmissionTest {

  private static final MatchingStrategy DEFAULT_CONTACT = new MatchingStrategy(MatchingStrategy.DEFAULT_CONTACT,
      "Email", StrategyEntity.CONTACT, List.of(MatchField.EMAIL));
  private static final MatchingStrategy DEFAULT_LEAD = new MatchingStrategy(MatchingStrategy.DEFAULT_LEAD,
      "Email and page", StrategyEntity.LEAD, List.of(MatchField.EMAIL, MatchField.MARKETING_CONTEXT_ID));
  private static final MatchingStrategy CONTACT_BY_PHONE = new MatchingStrategy("contact-phone",
      "Phone", StrategyEntity.CONTACT, List.of(MatchField.PHONE));
  private static final MatchingStrategy LEAD_BY_PHONE_AND_NAME = new MatchingStrategy("lead-phone-name",
      "Phone and last name", StrategyEntity.LEAD,
      List.of(MatchField.PHONE, MatchField.LAST_NAME, MatchField.MARKETING_CONTEXT_ID));

  private static Form form(MatchingStrategy contact, MatchingStrategy lead, boolean generateLeadsWithoutMatching) {
    return new Form("spring-page", "Spring page", FormKind.MARKETING_PAGE, contact, lead,
        UpdateMode.CONTACTS_AND_LEADS, generateLeadsWithoutMatching, true, "whsec_AAAA", AccountLinking.OFF,
        BrowserSettings.NONE);
  }

  private static final Form DEFAULT_FORM = form(DEFAULT_CONTACT, DEFAULT_LEAD, false);

  private static Submission parse(Map<String, ?> fields) {
    return Submission.parse(null, null, fields, null, DEFAULT_FORM);
  }

  private static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static List<String> errorFields(Runnable parse) {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, parse::run);
    assertThat(invalid).as("InvalidInput thrown").isNotNull();
    return invalid.errors().stream().map(FieldError::field).toList();
  }

  // --- happy paths ---

  @Test
  void parsesAFullSubmission() {
    Submission submission = Submission.parse("sub-1", "2026-11-27T10:15:00+02:00",
        fields("email", " Ann@Example.com ", "firstName", "Ann", "lastName", "Lee", "phone", "+49 30 1234",
            "companyName", "Acme", "jobTitle", "CTO", "country", "DE"),
        Map.of("marketing", true), DEFAULT_FORM);

    assertThat(submission.submissionId()).isEqualTo("sub-1");
    assertThat(submission.submittedAt()).isEqualTo(Instant.parse("2026-11-27T08:15:00Z"));
    assertThat(submission.contact()).isEqualTo(new ContactDetails("Ann@Example.com", "Ann", "Lee", "+49 30 1234",
        "Acme", "CTO", "DE", Map.of()));
    assertThat(submission.consent()).containsEntry("marketing", true);
  }

  @Test
  void optionalPartsMayBeMissing() {
    Submission submission = parse(fields("email", "a@b.io"));

    assertThat(submission.submissionId()).isNull();
    assertThat(submission.submittedAt()).isNull();
    assertThat(submission.consent()).isNull();
    assertThat(submission.contact().email()).isEqualTo("a@b.io");
    assertThat(submission.contact().firstName()).isNull();
  }

  @Test
  void numbersAndBooleansBecomeStrings() {
    Submission submission = parse(fields("email", "a@b.io", "phone", 4930123L, "employees", 250,
        "newsletter", true, "rating", 4.5));

    assertThat(submission.contact().phone()).isEqualTo("4930123");
    assertThat(submission.contact().attributes())
        .containsOnly(entry("employees", "250"), entry("newsletter", "true"), entry("rating", "4.5"));
  }

  @Test
  void blankValuesAreAbsent() {
    Map<String, Object> fields = fields("email", "a@b.io", "firstName", "   ", "lastName", "", "comment", " \t ");
    fields.put("phone", null);

    Submission submission = parse(fields);

    assertThat(submission.contact().firstName()).isNull();
    assertThat(submission.contact().lastName()).isNull();
    assertThat(submission.contact().phone()).isNull();
    assertThat(submission.contact().attributes()).isEmpty();
    assertThat(submission.contact().asFieldMap()).containsOnlyKeys("email");
  }

  @Test
  void valuesAreTrimmed() {
    Submission submission = parse(fields("email", "a@b.io", "firstName", "  Ann  ", "utm_source", " ads "));

    assertThat(submission.contact().firstName()).isEqualTo("Ann");
    assertThat(submission.contact().attributes()).containsOnly(entry("utm_source", "ads"));
  }

  @Test
  void extraFieldsBecomeAttributes() {
    Submission submission = parse(fields("email", "a@b.io", "utm_source", "linkedin", "product.interest", "CRM",
        "how-did-you-hear", "fair"));

    assertThat(submission.contact().attributes()).containsOnly(entry("utm_source", "linkedin"),
        entry("product.interest", "CRM"), entry("how-did-you-hear", "fair"));
    assertThat(submission.contact().email()).isEqualTo("a@b.io");
  }

  @Test
  void strategiesWithPhoneRequirePhone() {
    Form byPhone = form(CONTACT_BY_PHONE, DEFAULT_LEAD, false);

    List<String> missing = errorFields(() -> Submission.parse(null, null, fields("email", "a@b.io"), null, byPhone));
    assertThat(missing).containsExactly("fields.phone");

    Submission ok = Submission.parse(null, null, fields("email", "a@b.io", "phone", "+1 555 0100"), null, byPhone);
    assertThat(ok.contact().phone()).isEqualTo("+1 555 0100");
  }

  @Test
  void aPhoneWithoutDigitsDoesNotSatisfyAPhoneStrategy() {
    Form byPhone = form(CONTACT_BY_PHONE, DEFAULT_LEAD, false);

    InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
        () -> Submission.parse(null, null, fields("email", "a@b.io", "phone", "call me"), null, byPhone));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("fields.phone");
  }

  @Test
  void theEmailIsNotNeededWhenNoStrategyUsesIt() {
    Form noEmail = form(CONTACT_BY_PHONE, LEAD_BY_PHONE_AND_NAME, false);

    Submission submission = Submission.parse(null, null, fields("phone", "0301234", "lastName", "Lee"), null, noEmail);

    assertThat(submission.contact().email()).isNull();
  }

  @Test
  void leadStrategyFieldsAreRequiredWhenLeadsAreMatched() {
    Form matched = form(DEFAULT_CONTACT, LEAD_BY_PHONE_AND_NAME, false);

    List<String> missing = errorFields(() -> Submission.parse(null, null, fields("email", "a@b.io"), null, matched));

    assertThat(missing).containsExactlyInAnyOrder("fields.phone", "fields.lastName");
  }

  @Test
  void generateLeadsWithoutMatchingMeansTheLeadStrategyFieldsAreNotRequired() {
    Form unmatched = form(DEFAULT_CONTACT, LEAD_BY_PHONE_AND_NAME, true);

    Submission submission = Submission.parse(null, null, fields("email", "a@b.io"), null, unmatched);

    assertThat(submission.contact().email()).isEqualTo("a@b.io");
    assertThat(submission.contact().phone()).isNull();
  }

  @Test
  void generateLeadsWithoutMatchingStillRequiresTheContactStrategyFields() {
    Form unmatched = form(DEFAULT_CONTACT, LEAD_BY_PHONE_AND_NAME, true);

    assertThat(errorFields(() -> Submission.parse(null, null, fields("phone", "123", "lastName", "Lee"), null, unmatched)))
        .containsExactly("fields.email");
  }

  @Test
  void theMarketingContextIsNeverASubmittedField() {
    // default-lead needs marketingContextId, which comes from the form, not from the submitter.
    Submission submission = parse(fields("email", "a@b.io"));

    assertThat(submission.contact().attributes()).doesNotContainKey("marketingContextId");
  }

  // --- one test per class of bad input ---

  @Test
  void missingEmailWhenTheStrategyNeedsIt() {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> parse(fields("firstName", "Ann")));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("fields.email");
    assertThat(invalid.errors().get(0).message()).contains("default-contact");
  }

  @Test
  void malformedEmail() {
    for (String bad : List.of("ann", "ann@", "@example.com", "ann@example", "ann smith@example.com",
        "ann@@example.com", "ann@example.", "a@b@c.io")) {
      assertThat(errorFields(() -> parse(fields("email", bad)))).as(bad).containsExactly("fields.email");
    }
  }

  @Test
  void overLongEmail() {
    String email = "a".repeat(60) + "@" + "b".repeat(190) + ".com"; // 255 characters
    assertThat(email).hasSize(Submission.MAX_EMAIL_LENGTH + 1);

    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> parse(fields("email", email)));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("fields.email");
    assertThat(invalid.errors().get(0).message()).contains("254");
  }

  @Test
  void emailOfMaximumLengthIsAccepted() {
    String email = "a".repeat(60) + "@" + "b".repeat(189) + ".com"; // 254 characters
    assertThat(parse(fields("email", email)).contact().email()).hasSize(Submission.MAX_EMAIL_LENGTH);
  }

  @Test
  void overLongName() {
    List<String> errors = errorFields(() -> parse(fields("email", "a@b.io", "firstName", "x".repeat(201))));
    assertThat(errors).containsExactly("fields.firstName");

    assertThat(parse(fields("email", "a@b.io", "lastName", "y".repeat(200))).contact().lastName()).hasSize(200);
  }

  @Test
  void overLongPhone() {
    assertThat(errorFields(() -> parse(fields("email", "a@b.io", "phone", "1".repeat(51)))))
        .containsExactly("fields.phone");
  }

  @Test
  void overLongAttributeValue() {
    assertThat(errorFields(() -> parse(fields("email", "a@b.io", "comment", "z".repeat(2001)))))
        .containsExactly("fields.comment");

    assertThat(parse(fields("email", "a@b.io", "comment", "z".repeat(2000))).contact().attributes().get("comment"))
        .hasSize(2000);
  }

  @Test
  void tooManyAttributes() {
    Map<String, Object> fields = fields("email", "a@b.io");
    for (int i = 0; i <= Submission.MAX_ATTRIBUTES; i++) {
      fields.put("extra" + i, "v");
    }

    assertThat(errorFields(() -> parse(fields))).containsExactly("fields");
  }

  @Test
  void nestedObjectAsAFieldValue() {
    assertThat(errorFields(() -> parse(fields("email", "a@b.io", "address", Map.of("city", "Berlin")))))
        .containsExactly("fields.address");
    assertThat(errorFields(() -> parse(fields("email", "a@b.io", "tags", List.of("a", "b")))))
        .containsExactly("fields.tags");
  }

  @Test
  void nestedObjectAsTheEmailIsReportedOnce() {
    assertThat(errorFields(() -> parse(fields("email", Map.of("value", "a@b.io"))))).containsExactly("fields.email");
  }

  @Test
  void badAttributeName() {
    for (String bad : List.of("1st-choice", "_private", "has space", "semi;colon", "a".repeat(65), "Ort/PLZ", "№2")) {
      assertThat(errorFields(() -> parse(fields("email", "a@b.io", bad, "v")))).as(bad).containsExactly("fields." + bad);
    }
    assertThat(parse(fields("email", "a@b.io", "a".repeat(64), "v")).contact().attributes()).hasSize(1);
    // Letters and digits of any script: a field is named in its people's language (as an import names it).
    for (String good : List.of("ümlaut", "Straße", "Größe_2", "Город", "नाम", "年齢")) {
      assertThat(parse(fields("email", "a@b.io", good, "v")).contact().attributes()).as(good).containsOnlyKeys(good);
    }
  }

  @Test
  void badSubmittedAt() {
    for (Object bad : List.of("yesterday", "2026-11-27", "2026-11-27T10:15:00", "2026-13-01T00:00:00Z", 1764238500L)) {
      InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
          () -> Submission.parse(null, bad, fields("email", "a@b.io"), null, DEFAULT_FORM));
      assertThat(invalid).as(String.valueOf(bad)).isNotNull();
      assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("submittedAt");
    }
  }

  @Test
  void nonStringSubmissionId() {
    for (Object bad : List.of(42, true, Map.of("id", "x"), "  ")) {
      InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
          () -> Submission.parse(bad, null, fields("email", "a@b.io"), null, DEFAULT_FORM));
      assertThat(invalid).as(String.valueOf(bad)).isNotNull();
      assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("submissionId");
    }
  }

  @Test
  void overLongSubmissionId() {
    assertThat(errorFields(() -> Submission.parse("s".repeat(201), null, fields("email", "a@b.io"), null, DEFAULT_FORM)))
        .containsExactly("submissionId");
  }

  @Test
  void consentMustBeAnObject() {
    assertThat(errorFields(() -> Submission.parse(null, null, fields("email", "a@b.io"), "yes", DEFAULT_FORM)))
        .containsExactly("consent");
  }

  @Test
  void missingFields() {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
        () -> Submission.parse("sub-1", null, null, null, DEFAULT_FORM));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("fields");
  }

  @Test
  void everyInvalidFieldIsNamedAtOnce() {
    Map<String, Object> fields = new HashMap<>(fields("email", "not-an-email", "firstName", "x".repeat(300),
        "bad name", "v", "nested", Map.of()));

    InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
        () -> Submission.parse(7, "soon", fields, null, DEFAULT_FORM));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("submissionId", "submittedAt",
        "fields.email", "fields.firstName", "fields.bad name", "fields.nested");
    assertThat(invalid).hasMessageContaining(invalid.errors().get(0).field());
  }

  @Test
  void aValidSubmissionDoesNotThrow() {
    assertThatThrownBy(() -> parse(fields("email", "bad"))).isInstanceOf(InvalidInput.class);
    assertThat(parse(fields("email", "good@example.org")).contact().email()).isEqualTo("good@example.org");
  }
}
