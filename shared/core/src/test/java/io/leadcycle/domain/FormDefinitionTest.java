package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormDefinitionTest {

  private static Map<String, Object> body(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", "Spring page");
    map.put("kind", "marketing_page");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static List<String> errorFields(String id, Map<String, ?> body) {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> FormDefinition.parse(id, body));
    assertThat(invalid).as("InvalidInput thrown").isNotNull();
    return invalid.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void defaultsAreFilledIn() {
    FormDefinition form = FormDefinition.parse("spring-page", body());

    assertThat(form.id()).isEqualTo("spring-page");
    assertThat(form.name()).isEqualTo("Spring page");
    assertThat(form.kind()).isEqualTo(FormKind.MARKETING_PAGE);
    assertThat(form.contactStrategyId()).isEqualTo("default-contact");
    assertThat(form.leadStrategyId()).isEqualTo("default-lead");
    assertThat(form.updateMode()).isEqualTo(UpdateMode.CONTACTS_AND_LEADS);
    assertThat(form.generateLeadsWithoutMatching()).isFalse();
    assertThat(form.requireSignature()).isTrue();
  }

  @Test
  void explicitValuesOverrideTheDefaults() {
    FormDefinition form = FormDefinition.parse("expo.2026_B", body("name", "  Expo  ", "kind", "event",
        "contactStrategyId", "by-phone", "leadStrategyId", "lead-by-phone", "updateMode", "no_update",
        "generateLeadsWithoutMatching", true, "requireSignature", false));

    assertThat(form).isEqualTo(new FormDefinition("expo.2026_B", "Expo", FormKind.EVENT, "by-phone", "lead-by-phone",
        UpdateMode.NO_UPDATE, true, false, AccountLinking.OFF, BrowserSettings.NONE));
  }

  @Test
  void everyUpdateModeIsAccepted() {
    assertThat(FormDefinition.parse("f", body("updateMode", "contacts_and_leads")).updateMode())
        .isEqualTo(UpdateMode.CONTACTS_AND_LEADS);
    assertThat(FormDefinition.parse("f", body("updateMode", "only_contacts")).updateMode())
        .isEqualTo(UpdateMode.ONLY_CONTACTS);
    assertThat(FormDefinition.parse("f", body("updateMode", "only_leads")).updateMode())
        .isEqualTo(UpdateMode.ONLY_LEADS);
    assertThat(FormDefinition.parse("f", body("updateMode", "no_update")).updateMode())
        .isEqualTo(UpdateMode.NO_UPDATE);
  }

  @Test
  void missingNameAndKind() {
    assertThat(errorFields("f", Map.of())).containsExactly("name", "kind");
  }

  @ParameterizedTest
  @ValueSource(strings = {"landing_page", "EVENT", "Marketing_Page", ""})
  void invalidKind(String kind) {
    assertThat(errorFields("f", body("kind", kind))).containsExactly("kind");
  }

  @Test
  void kindMustBeAString() {
    assertThat(errorFields("f", body("kind", 1))).containsExactly("kind");
  }

  @Test
  void invalidUpdateMode() {
    assertThat(errorFields("f", body("updateMode", "always"))).containsExactly("updateMode");
    assertThat(errorFields("f", body("updateMode", true))).containsExactly("updateMode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "has space", "-leading-dash", ".hidden", "slash/inside", "ü", "percent%20"})
  void invalidId(String id) {
    assertThat(errorFields(id, body())).containsExactly("formId");
  }

  @Test
  void idLengthIsLimited() {
    assertThat(FormDefinition.parse("a".repeat(100), body()).id()).hasSize(100);
    assertThat(errorFields("a".repeat(101), body())).containsExactly("formId");
    assertThat(errorFields(null, body())).containsExactly("formId");
  }

  @Test
  void booleansMustBeBooleans() {
    assertThat(errorFields("f", body("generateLeadsWithoutMatching", "true"))).containsExactly("generateLeadsWithoutMatching");
    assertThat(errorFields("f", body("requireSignature", "false"))).containsExactly("requireSignature");
    assertThat(errorFields("f", body("requireSignature", 0))).containsExactly("requireSignature");
  }

  @Test
  void strategyIdsMustBeNonEmptyStrings() {
    assertThat(errorFields("f", body("contactStrategyId", 5))).containsExactly("contactStrategyId");
    assertThat(errorFields("f", body("leadStrategyId", " "))).containsExactly("leadStrategyId");
    assertThat(errorFields("f", body("leadStrategyId", "l".repeat(101)))).containsExactly("leadStrategyId");
  }

  @Test
  void nameMustBeANonEmptyStringOfAtMost200Characters() {
    assertThat(errorFields("f", body("name", "  "))).containsExactly("name");
    assertThat(errorFields("f", body("name", 12))).containsExactly("name");
    assertThat(errorFields("f", body("name", "n".repeat(201)))).containsExactly("name");
  }

  @Test
  void allErrorsAreReportedTogether() {
    assertThat(errorFields("bad id", body("kind", "x", "updateMode", "y", "requireSignature", "no")))
        .containsExactlyInAnyOrder("formId", "kind", "updateMode", "requireSignature");
  }

  // --- checkStrategies ---

  private static final MatchingStrategy CONTACT = new MatchingStrategy("default-contact", "Email",
      StrategyEntity.CONTACT, List.of(MatchField.EMAIL));
  private static final MatchingStrategy LEAD = new MatchingStrategy("default-lead", "Email + page",
      StrategyEntity.LEAD, List.of(MatchField.EMAIL, MatchField.MARKETING_CONTEXT_ID));

  @Test
  void checkStrategiesAcceptsAContactAndALeadStrategy() {
    FormDefinition form = FormDefinition.parse("f", body());

    assertThatCode(() -> form.checkStrategies(CONTACT, LEAD)).doesNotThrowAnyException();
  }

  @Test
  void checkStrategiesNamesAnUnknownId() {
    FormDefinition form = FormDefinition.parse("f", body("contactStrategyId", "nope"));

    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> form.checkStrategies(null, LEAD));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("contactStrategyId");
    assertThat(invalid.errors().get(0).message()).contains("nope");
  }

  @Test
  void checkStrategiesRejectsAStrategyForTheWrongEntity() {
    FormDefinition form = FormDefinition.parse("f", body("contactStrategyId", "default-lead",
        "leadStrategyId", "default-contact"));

    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> form.checkStrategies(LEAD, CONTACT));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("contactStrategyId", "leadStrategyId");
  }

  @Test
  void checkStrategiesRejectsALeadStrategyUsedAsTheContactStrategyOnly() {
    FormDefinition form = FormDefinition.parse("f", body());

    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> form.checkStrategies(CONTACT, CONTACT));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("leadStrategyId");
  }

  @Test
  void isValidId() {
    assertThat(FormDefinition.isValidId("Spring_2026.page-1")).isTrue();
    assertThat(FormDefinition.isValidId("0")).isTrue();
    assertThat(FormDefinition.isValidId("a b")).isFalse();
    assertThat(FormDefinition.isValidId(null)).isFalse();
  }

  @Test
  void aFormRunsItsLeadsOnTheShippedProcessUnlessItNamesOne() {
    assertThat(FormDefinition.parse("f", body()).processId()).isEqualTo("default");
    FormDefinition chosen = FormDefinition.parse("f", body("processId", "6c1d4b7e-9a24-4d8c-8e2f-3a403f0e8a52"));
    assertThat(chosen.processId()).isEqualTo("6c1d4b7e-9a24-4d8c-8e2f-3a403f0e8a52");
    assertThat(chosen.toBody()).containsEntry("processId", "6c1d4b7e-9a24-4d8c-8e2f-3a403f0e8a52");
    // A PATCH keeps it unless named; null resets it to the shipped process.
    assertThat(chosen.patched(Map.of("name", "Renamed")).processId()).isEqualTo(chosen.processId());
    Map<String, Object> reset = new java.util.HashMap<>();
    reset.put("processId", null);
    assertThat(chosen.patched(reset).processId()).isEqualTo("default");
  }

  @Test
  void aProcessIdIsShortText() {
    assertThat(errorFields("f", body("processId", 7))).containsExactly("processId");
    assertThat(errorFields("f", body("processId", " "))).containsExactly("processId");
    assertThat(errorFields("f", body("processId", "p".repeat(101)))).containsExactly("processId");
  }
}
