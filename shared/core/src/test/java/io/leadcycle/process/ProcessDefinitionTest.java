package io.leadcycle.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.LeadPatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A process as the marketing team writes it: what is accepted, and one error per fault, each with its path. */
class ProcessDefinitionTest {

  /** The worked example of docs/lead-process.md: a custom stage between telemarketing and sales. */
  static Map<String, Object> withTechnicalEvaluation() {
    return new LinkedHashMap<>(Map.of("name", "Enterprise deals", "stages", new ArrayList<>(List.of(
        stage("New inquiry", "inquiry"),
        stage("Scoring", "automated_marketing_qualification"),
        stage("Call queue", "telemarketing_acceptance"),
        stage("Qualification call", "telemarketing_qualification",
            field("budget", "number", null, true),
            field("timeframe", "choice", List.of("this quarter", "this year", "later"), false)),
        stage("Technical evaluation", "custom",
            field("evaluation owner", "user", null, true),
            field("security review passed", "boolean", null, true),
            field("findings", "long_text", null, false),
            field("decision date", "date", null, false)),
        stage("Sales", "sales_acceptance")))));
  }

  static Map<String, Object> stage(String name, String role, Map<?, ?>... fields) {
    Map<String, Object> stage = new LinkedHashMap<>();
    stage.put("name", name);
    stage.put("role", role);
    stage.put("fields", new ArrayList<>(List.of(fields)));
    return stage;
  }

  static Map<String, Object> field(String name, String type, List<String> options, Boolean required) {
    Map<String, Object> field = new LinkedHashMap<>();
    field.put("name", name);
    field.put("type", type);
    if (options != null) {
      field.put("options", options);
    }
    if (required != null) {
      field.put("requiredToComplete", required);
    }
    return field;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> stages(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("stages");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> fields(Map<String, Object> stage) {
    return (List<Map<String, Object>>) stage.get("fields");
  }

  static List<FieldError> errors(Map<String, ?> body) {
    InvalidInput invalid = catchThrowableOfType(() -> ProcessDefinition.parse(body), InvalidInput.class);
    assertThat(invalid).as("refused").isNotNull();
    return invalid.errors();
  }

  static List<String> paths(Map<String, ?> body) {
    return errors(body).stream().map(FieldError::field).toList();
  }

  @Test
  void aProcessWithACustomStageIsReadAsWrittenAndReadsBackFromItsBody() {
    ProcessDefinition process = ProcessDefinition.parse(withTechnicalEvaluation());

    assertThat(process.name()).isEqualTo("Enterprise deals");
    assertThat(process.stages()).extracting(StageDefinition::name).containsExactly("New inquiry", "Scoring",
        "Call queue", "Qualification call", "Technical evaluation", "Sales");
    StageDefinition evaluation = process.stages().get(4);
    assertThat(evaluation.custom()).isTrue();
    assertThat(evaluation.roleName()).isEqualTo("custom");
    assertThat(evaluation.fields()).extracting(StageField::type)
        .containsExactly(FieldType.USER, FieldType.BOOLEAN, FieldType.LONG_TEXT, FieldType.DATE);
    assertThat(evaluation.fields().get(2).requiredToComplete()).as("optional unless said").isFalse();
    assertThat(process.stages().get(3).fields().get(1).options()).containsExactly("this quarter", "this year", "later");
    assertThat(process.stages().get(5).role()).isEqualTo(StageRole.SALES_ACCEPTANCE);

    assertThat(ProcessDefinition.parse(process.toBody())).isEqualTo(process);
  }

  @Test
  void onlyInquiryAndSalesAcceptanceAreRequiredAndAStageMayHaveNoFields() {
    Map<String, Object> body = Map.of("name", "Short", "stages", List.of(
        Map.of("name", "new", "role", "inquiry"), stage("sales", "sales_acceptance")));

    ProcessDefinition process = ProcessDefinition.parse(body);

    assertThat(process.stages()).extracting(StageDefinition::role)
        .containsExactly(StageRole.INQUIRY, StageRole.SALES_ACCEPTANCE);
    assertThat(process.stages().get(0).fields()).isEmpty();
  }

  @Test
  void theDefaultDefinitionIsTheMachinesDefaultProcessWithTodaysQualificationFields() {
    ProcessDefinition definition = ProcessDefinition.DEFAULT;

    assertThat(definition.stages()).extracting(StageDefinition::name).containsExactlyElementsOf(
        LeadProcess.DEFAULT.stageNames());
    assertThat(definition.stages()).extracting(StageDefinition::role).containsExactlyElementsOf(
        LeadProcess.DEFAULT.stages().stream().map(Stage::role).toList());
    StageDefinition qualification = definition.stages().get(3);
    assertThat(qualification.role()).isEqualTo(StageRole.TELEMARKETING_QUALIFICATION);
    assertThat(qualification.fields()).extracting(StageField::name)
        .containsExactlyElementsOf(LeadPatch.QUALIFICATION_FIELDS);
    assertThat(qualification.fields()).noneMatch(StageField::requiredToComplete);
    assertThat(definition.stages()).filteredOn(s -> s != qualification).allMatch(s -> s.fields().isEmpty());
    assertThat(ProcessDefinition.parse(definition.toBody())).as("valid by its own rules").isEqualTo(definition);
  }

  @Test
  void anUnknownRoleIsNamedByItsPath() {
    Map<String, Object> body = withTechnicalEvaluation();
    stages(body).get(2).put("role", "nurturing");

    List<FieldError> errors = errors(body);

    assertThat(errors).extracting(FieldError::field).containsExactly("stages[2].role");
    assertThat(errors.get(0).message()).contains("inquiry", "custom");
  }

  @Test
  void anUnknownFieldTypeIsNamedByItsPath() {
    Map<String, Object> body = withTechnicalEvaluation();
    fields(stages(body).get(4)).get(1).put("type", "checkbox");

    assertThat(paths(body)).containsExactly("stages[4].fields[1].type");
  }

  @Test
  void twoStagesWithOneNameAreOneFaultEvenInAnotherCase() {
    Map<String, Object> body = withTechnicalEvaluation();
    stages(body).get(4).put("name", "call QUEUE");

    List<FieldError> errors = errors(body);

    assertThat(errors).extracting(FieldError::field).containsExactly("stages[4].name");
    assertThat(errors.get(0).message()).contains("stages[2]");
  }

  @Test
  void twoFieldsWithOneNameOnAStageAreRefusedButOneNameOnTwoStagesIsFine() {
    Map<String, Object> body = withTechnicalEvaluation();
    fields(stages(body).get(4)).get(2).put("name", "Evaluation Owner");
    fields(stages(body).get(2)).add(field("findings", "text", null, null));

    assertThat(paths(body)).containsExactly("stages[4].fields[2].name");
  }

  @Test
  void aChoiceWithoutOptionsAndOptionsOnAnotherTypeAreEachOneFault() {
    Map<String, Object> body = withTechnicalEvaluation();
    fields(stages(body).get(3)).get(1).remove("options");
    fields(stages(body).get(4)).get(1).put("options", List.of("yes", "no"));

    assertThat(paths(body)).containsExactly("stages[3].fields[1].options", "stages[4].fields[1].options");
  }

  @Test
  void optionsMustBeDistinctTexts() {
    Map<String, Object> body = withTechnicalEvaluation();
    fields(stages(body).get(3)).get(1).put("options", List.of("soon", " ", "soon", 7));

    assertThat(paths(body)).containsExactly("stages[3].fields[1].options[1]", "stages[3].fields[1].options[2]",
        "stages[3].fields[1].options[3]");
  }

  @Test
  void eachBuiltInRoleNamesAtMostOneStageButCustomStagesMayBeMany() {
    Map<String, Object> body = withTechnicalEvaluation();
    stages(body).add(5, stage("Second call", "telemarketing_qualification"));
    stages(body).add(5, stage("Legal review", "custom"));

    List<FieldError> errors = errors(body);

    assertThat(errors).extracting(FieldError::field).containsExactly("stages[6].role");
    assertThat(errors.get(0).message()).contains("stages[3]");
  }

  @Test
  void aProcessWithoutSalesAcceptanceOrInquiryIsRefusedNamingTheMissingRole() {
    Map<String, Object> body = withTechnicalEvaluation();
    stages(body).remove(5);
    stages(body).remove(0);

    List<FieldError> errors = errors(body);

    assertThat(errors).extracting(FieldError::field).containsExactly("stages", "stages");
    assertThat(errors).extracting(FieldError::message).anySatisfy(m -> assertThat(m).contains("inquiry"))
        .anySatisfy(m -> assertThat(m).contains("sales_acceptance"));
  }

  @Test
  void theInquiryStageComesFirst() {
    Map<String, Object> body = withTechnicalEvaluation();
    stages(body).add(0, stages(body).remove(1));

    assertThat(paths(body)).containsExactly("stages[1].role");
  }

  @Test
  void unknownMembersAreRefusedAtEveryLevel() {
    Map<String, Object> body = withTechnicalEvaluation();
    body.put("owner", "me");
    stages(body).get(1).put("colour", "blue");
    fields(stages(body).get(4)).get(0).put("default", "x");

    assertThat(paths(body)).containsExactly("owner", "stages[1].colour", "stages[4].fields[0].default");
  }

  @Test
  void namesHaveLengthsAndListsHaveLimits() {
    Map<String, Object> body = withTechnicalEvaluation();
    body.put("name", "n".repeat(ProcessParser.MAX_NAME_LENGTH + 1));
    stages(body).get(1).put("name", "s".repeat(ProcessParser.MAX_STAGE_NAME_LENGTH + 1));
    fields(stages(body).get(4)).get(0).put("name", " ");
    List<Object> many = new ArrayList<>();
    for (int i = 0; i <= ProcessParser.MAX_FIELDS; i++) {
      many.add(field("f" + i, "text", null, null));
    }
    stages(body).get(2).put("fields", many);

    assertThat(paths(body)).containsExactly("name", "stages[1].name", "stages[2].fields", "stages[4].fields[0].name");

    List<Object> tooManyStages = new ArrayList<>();
    for (int i = 0; i <= ProcessParser.MAX_STAGES; i++) {
      tooManyStages.add(stage("s" + i, i == 0 ? "inquiry" : "custom"));
    }
    assertThat(paths(Map.of("name", "Long", "stages", tooManyStages))).containsExactly("stages");
  }

  @Test
  void severalFaultsAreReportedTogetherOneEach() {
    Map<String, Object> body = withTechnicalEvaluation();
    body.remove("name");
    stages(body).get(2).put("role", 3);
    fields(stages(body).get(3)).get(0).put("requiredToComplete", "yes");
    fields(stages(body).get(4)).get(3).remove("type");

    List<FieldError> errors = errors(body);

    assertThat(errors).extracting(FieldError::field).containsExactly("name", "stages[2].role",
        "stages[3].fields[0].requiredToComplete", "stages[4].fields[3].type");
  }

  @Test
  void aBodyWithoutStagesOrWithStagesThatAreNoObjectsIsRefused() {
    assertThat(paths(Map.of("name", "Empty"))).containsExactly("stages");
    assertThat(paths(Map.of("name", "Empty", "stages", List.of()))).containsExactly("stages");
    assertThat(paths(Map.of("name", "Odd", "stages", List.of("inquiry", Map.of("name", "s", "role",
        "sales_acceptance", "fields", "none"))))).containsExactly("stages[0]", "stages[1].fields");
  }

  @Test
  void theBuiltInRolesKeepTheLifecycleOrderCustomStagesGoAnywhereAfterInquiry() {
    Map<String, Object> body = withTechnicalEvaluation();
    List<Map<String, Object>> stages = stages(body);
    Map<String, Object> call = stages.remove(3);
    stages.add(2, call); // the qualification call before the call queue

    List<FieldError> errors = errors(body);

    assertThat(errors).extracting(FieldError::field).containsExactly("stages[2].role");
    assertThat(errors.get(0).message()).contains("telemarketing_qualification comes after telemarketing_acceptance");

    Map<String, Object> customFirst = withTechnicalEvaluation();
    stages(customFirst).add(1, stage("Research", "custom"));
    stages(customFirst).add(stage("Contract", "custom"));
    assertThat(ProcessDefinition.parse(customFirst).stages()).hasSize(8);
  }

  @Test
  void aTelemarketingAcceptanceStageNeedsAQualificationStageToAcceptInto() {
    Map<String, Object> body = withTechnicalEvaluation();
    stages(body).remove(3);

    List<FieldError> errors = errors(body);

    assertThat(errors).extracting(FieldError::field).containsExactly("stages[2].role");
    assertThat(errors.get(0).message()).contains("needs a telemarketing_qualification stage");
  }
}
