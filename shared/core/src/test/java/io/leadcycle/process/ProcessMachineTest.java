package io.leadcycle.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A process of the organisation's own on {@link ProcessMachine}: the worked example of docs/lead-process.md
 * (a "Technical evaluation" custom stage between telemarketing and sales, with required fields), a short
 * process without the telemarketing roles, and switching between processes. States are written out by hand.
 */
class ProcessMachineTest {

  /** docs/lead-process.md's example: inquiry, scoring, telemarketing, a custom evaluation, sales, a custom close. */
  static final ProcessVersion TECHNICAL = new ProcessVersion("tech", 2, ProcessDefinition.parse(Map.of(
      "name", "Technical sale",
      "stages", List.of(
          Map.of("name", "New", "role", "inquiry"),
          Map.of("name", "Scoring", "role", "automated_marketing_qualification"),
          Map.of("name", "Call queue", "role", "telemarketing_acceptance"),
          Map.of("name", "Discovery call", "role", "telemarketing_qualification", "fields", List.of(
              Map.of("name", "Budget", "type", "number", "requiredToComplete", true),
              Map.of("name", "Decision maker", "type", "boolean"))),
          Map.of("name", "Technical evaluation", "role", "custom", "fields", List.of(
              Map.of("name", "Use case", "type", "choice", "options", List.of("Migration", "New build"),
                  "requiredToComplete", true),
              Map.of("name", "Evaluated by", "type", "user", "requiredToComplete", true),
              Map.of("name", "Evaluation ends", "type", "date"),
              Map.of("name", "Findings", "type", "long_text"))),
          Map.of("name", "Sales", "role", "sales_acceptance"),
          Map.of("name", "Contract", "role", "custom")))));

  /** No scoring or telemarketing stages: new leads wait for a threshold or a hand. */
  static final ProcessVersion SHORT = new ProcessVersion("short", 1, ProcessDefinition.parse(Map.of(
      "name", "Short", "stages", List.of(
          Map.of("name", "New", "role", "inquiry"),
          Map.of("name", "Review", "role", "custom"),
          Map.of("name", "Sales", "role", "sales_acceptance")))));

  private static final String USER = "5f0c3a52-2a8e-4b8e-9f57-3c1e2d0f9a11";

  private final ProcessMachine machine = new ProcessMachine(TECHNICAL);

  private static LeadState open(String stage, boolean tmReady, boolean tmAccepted, boolean salesReady,
      boolean salesAccepted, String owner) {
    return new LeadState(stage, LeadStatus.OPEN, tmReady, tmAccepted, salesReady, salesAccepted, owner);
  }

  @Nested
  class CompleteStage {

    @Test
    void walksTheWholeProcessWhenTheRequiredFieldsAreFilled() {
      Map<String, Map<String, Object>> fields = Map.of(
          "Discovery call", Map.of("Budget", 50000),
          "Technical evaluation", Map.of("Use case", "Migration", "Evaluated by", USER));
      LeadState s = TECHNICAL.newLeadState();
      List<LeadState> path = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        s = machine.completeStage(s, fields, null).after();
        path.add(s);
      }
      assertThat(path).containsExactly(
          open("Scoring", false, false, false, false, null),
          open("Call queue", true, false, false, false, null),
          open("Discovery call", true, true, false, false, null),
          open("Technical evaluation", true, true, false, false, null));
      Transition toSales = machine.completeStage(s, fields, "evaluation passed");
      assertThat(toSales.after()).isEqualTo(open("Sales", true, true, true, false, null));
      assertThat(toSales.events()).containsExactly(Transition.STAGE_CHANGED, Transition.SALES_READY);
      assertThat(toSales.reason()).isEqualTo("evaluation passed");
      LeadState accepted = machine.apply(toSales.after(), new ProcessRequest(ProcessAction.ACCEPT_SALES, "rep", null,
          null)).after();
      Transition toContract = machine.completeStage(accepted, fields, null);
      assertThat(toContract.after()).as("the custom stage after sales keeps the acceptance")
          .isEqualTo(open("Contract", true, true, true, true, "rep"));
      assertThat(toContract.reason()).isEqualTo("complete-stage");
      assertThat(machine.apply(toContract.after(), ProcessRequest.of(ProcessAction.CONVERT)).after().status())
          .isEqualTo(LeadStatus.CONVERTED);
    }

    @Test
    void isRefusedNamingEveryMissingRequiredField() {
      LeadState evaluation = open("Technical evaluation", true, true, false, false, null);

      ProcessConflict refused = catchThrowableOfType(ProcessConflict.class, () -> machine.completeStage(evaluation,
          Map.of("Technical evaluation", Map.of("Findings", "looks good", "Evaluated by", "  ")), null));

      assertThat(refused.missingFields()).containsExactly("Use case", "Evaluated by");
      assertThat(refused).hasMessageContaining("Use case, Evaluated by");
      LeadState call = open("Discovery call", true, true, false, false, null);
      assertThat(catchThrowableOfType(ProcessConflict.class, () -> machine.completeStage(call,
          Map.of("Technical evaluation", Map.of("Budget", 1)), null)).missingFields())
          .as("a value on another stage does not count").containsExactly("Budget");
      assertThat(machine.completeStage(call, Map.of("Discovery call", Map.of("Budget", 0)), null).after().stage())
          .as("zero is a value").isEqualTo("Technical evaluation");
    }

    @Test
    void salesAcceptanceCompletesOnceSalesAcceptedAndTheLastStageNever() {
      assertThat(catchThrowableOfType(ProcessConflict.class, () -> machine.completeStage(
          open("Sales", false, false, true, false, null), Map.of(), null))).hasMessageContaining("accept-sales");
      assertThat(catchThrowableOfType(ProcessConflict.class, () -> machine.completeStage(
          open("Contract", false, false, true, true, "rep"), Map.of(), null)))
          .hasMessageContaining("last stage").hasMessageContaining("convert or disqualify");
      LeadState closed = new LeadState("Scoring", LeadStatus.DISQUALIFIED, false, false, false, false, null);
      assertThat(catchThrowableOfType(ProcessConflict.class, () -> machine.completeStage(closed, Map.of(), null)))
          .hasMessageContaining("closed lead");
    }
  }

  @Nested
  class RolesOnAnyProcess {

    @Test
    void theRulesActOnTheirRolesStagesAndLeaveCustomStagesAlone() {
      assertThat(machine.apply(TECHNICAL.newLeadState(), ProcessRequest.of(ProcessAction.FIRST_SCORED)).after())
          .isEqualTo(open("Scoring", false, false, false, false, null));
      LeadState evaluation = open("Technical evaluation", true, true, false, false, null);
      assertThat(machine.apply(evaluation, ProcessRequest.of(ProcessAction.FIRST_SCORED)).changedAnything()).isFalse();
      assertThat(machine.apply(evaluation, ProcessRequest.of(ProcessAction.MARK_SALES_READY)).after())
          .as("a threshold jumps to the sales-acceptance stage from a custom one")
          .isEqualTo(open("Sales", true, true, true, false, null));
      assertThat(catchThrowableOfType(ProcessConflict.class,
          () -> machine.apply(evaluation, ProcessRequest.of(ProcessAction.READY_FOR_SALES))))
          .hasMessageContaining("Only a lead in Discovery call").hasMessageContaining("Technical evaluation");
      assertThat(machine.apply(open("Discovery call", true, true, false, false, null),
          ProcessRequest.of(ProcessAction.READY_FOR_SALES)).after().stage()).isEqualTo("Sales");
    }

    @Test
    void aProcessWithoutTelemarketingOrScoringStages() {
      ProcessMachine shortMachine = new ProcessMachine(SHORT);
      LeadState fresh = SHORT.newLeadState();

      assertThat(shortMachine.apply(fresh, ProcessRequest.of(ProcessAction.FIRST_SCORED)).changedAnything())
          .as("no automated-qualification stage to move on to").isFalse();
      assertThat(catchThrowableOfType(ProcessConflict.class,
          () -> shortMachine.apply(fresh, ProcessRequest.of(ProcessAction.MARK_TELEMARKETING_READY))))
          .hasMessageContaining("has no telemarketing_acceptance stage");
      assertThat(shortMachine.apply(fresh, ProcessRequest.of(ProcessAction.MARK_SALES_READY)).after())
          .isEqualTo(open("Sales", false, false, true, false, null));
      assertThat(shortMachine.completeStage(fresh, Map.of(), null).after())
          .isEqualTo(open("Review", false, false, false, false, null));
    }

    @Test
    void moveToACustomStageSetsTheFlagsOfTheBuiltInStageBeforeIt() {
      LeadState accepted = open("Sales", true, true, true, true, "rep");

      assertThat(machine.apply(accepted, new ProcessRequest(ProcessAction.MOVE, null, "Technical evaluation", "back"))
          .after()).isEqualTo(open("Technical evaluation", true, true, false, false, null));
      assertThat(machine.apply(accepted, new ProcessRequest(ProcessAction.MOVE, null, "Contract", "signed"))
          .after()).as("beside sales acceptance: the acceptance stays")
          .isEqualTo(open("Contract", true, true, true, true, "rep"));
      assertThat(machine.isConsistent(open("Technical evaluation", true, true, true, false, null))).isFalse();
      assertThat(machine.isConsistent(open("Contract", false, false, true, false, null))).isTrue();
      assertThat(machine.isConsistent(open("technical evaluation", true, true, false, false, null)))
          .as("stage names are exact").isFalse();
    }
  }

  @Nested
  class SwitchProcess {

    private final ProcessMachine onDefault = new ProcessMachine(ProcessVersion.DEFAULT);

    @Test
    void landsInTheStageWithTheSameRoleKeepingTheFlags() {
      LeadState call = open("telemarketing_qualification", true, true, false, false, null);

      Transition switched = onDefault.switchProcess(call, TECHNICAL, "technical product");

      assertThat(switched.after()).isEqualTo(open("Discovery call", true, true, false, false, null));
      assertThat(switched.changes()).containsExactly(new Change("processId", "default", "tech"),
          new Change("processVersion", "1", "2"),
          new Change("stage", "telemarketing_qualification", "Discovery call"));
      assertThat(switched.events()).containsExactly(Transition.STAGE_CHANGED);
      assertThat(switched.reason()).isEqualTo("technical product");
    }

    @Test
    void aCustomStageLandsOnTheSameNamedCustomStageOfANewerVersionElseOnTheFirstStage() {
      LeadState evaluation = open("Technical evaluation", true, true, false, false, null);
      ProcessVersion newer = new ProcessVersion("tech", 3, TECHNICAL.definition());

      Transition upgraded = machine.switchProcess(evaluation, newer, "new version");
      assertThat(upgraded.after()).isEqualTo(evaluation);
      assertThat(upgraded.changes()).containsExactly(new Change("processVersion", "2", "3"));
      assertThat(upgraded.events()).as("the stage is another version's").containsExactly(Transition.STAGE_CHANGED);

      assertThat(machine.switchProcess(evaluation, ProcessVersion.DEFAULT, "standard").after())
          .isEqualTo(open("inquiry", false, false, false, false, null));
      LeadState accepted = open("Sales", true, false, true, true, "rep");
      assertThat(machine.switchProcess(accepted, new ProcessVersion("short", 1, SHORT.definition()), "simpler")
          .after()).isEqualTo(open("Sales", true, false, true, true, "rep"));
    }

    @Test
    void aCustomStageANewerVersionMovesEarlierTakesTheFlagsOfItsNewPlace() {
      LeadState evaluation = open("Technical evaluation", true, true, false, false, null);
      ProcessVersion movedEarlier = new ProcessVersion("tech", 3, ProcessDefinition.parse(Map.of(
          "name", "Technical sale", "stages", List.of(
              Map.of("name", "New", "role", "inquiry"),
              Map.of("name", "Technical evaluation", "role", "custom"),
              Map.of("name", "Call queue", "role", "telemarketing_acceptance"),
              Map.of("name", "Discovery call", "role", "telemarketing_qualification"),
              Map.of("name", "Sales", "role", "sales_acceptance")))));

      Transition switched = machine.switchProcess(evaluation, movedEarlier, "evaluation first now");

      assertThat(switched.after()).as("an evaluation after inquiry holds inquiry's flags")
          .isEqualTo(open("Technical evaluation", false, false, false, false, null));
      assertThat(new ProcessMachine(movedEarlier).isConsistent(switched.after())).isTrue();
    }

    @Test
    void needsAReasonAndAnotherProcessOrVersion() {
      LeadState fresh = ProcessVersion.DEFAULT.newLeadState();

      assertThat(catchThrowableOfType(InvalidInput.class, () -> onDefault.switchProcess(fresh, TECHNICAL, " "))
          .errors()).extracting(FieldError::field).containsExactly("reason");
      assertThat(catchThrowableOfType(ProcessConflict.class,
          () -> onDefault.switchProcess(fresh, ProcessVersion.DEFAULT, "again"))).hasMessageContaining("already runs");
    }
  }

  @Nested
  class SetFields {

    private final LeadState evaluation = open("Technical evaluation", true, true, false, false, null);

    @Test
    void setsTheCurrentAndEarlierStagesFieldsEachChangeATimelineEntry() {
      Map<String, Map<String, Object>> current = Map.of("Discovery call", Map.of("Budget", 1000));
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("Use case", "Migration");
      values.put("Evaluated by", USER.toUpperCase());
      values.put("Evaluation ends", "2027-01-31");

      StageFieldValues.Update update = StageFieldValues.set(TECHNICAL, evaluation, current, "Technical evaluation",
          values);

      assertThat(update.stageFields()).containsEntry("Discovery call", Map.of("Budget", 1000));
      assertThat(update.stageFields().get("Technical evaluation")).containsExactly(Map.entry("Use case", "Migration"),
          Map.entry("Evaluated by", USER), Map.entry("Evaluation ends", "2027-01-31"));
      assertThat(update.changes()).containsExactly(
          new Change("stageFields.Technical evaluation.Use case", null, "Migration"),
          new Change("stageFields.Technical evaluation.Evaluated by", null, USER),
          new Change("stageFields.Technical evaluation.Evaluation ends", null, "2027-01-31"));
      assertThat(update.users()).containsExactly(java.util.UUID.fromString(USER));

      Map<String, Object> earlier = new LinkedHashMap<>();
      earlier.put("Budget", 1000);
      earlier.put("Decision maker", false);
      StageFieldValues.Update again = StageFieldValues.set(TECHNICAL, evaluation, update.stageFields(),
          "Discovery call", earlier);
      assertThat(again.changes()).as("an unchanged value is no entry")
          .containsExactly(new Change("stageFields.Discovery call.Decision maker", null, "false"));
      Map<String, Object> cleared = new LinkedHashMap<>();
      cleared.put("Budget", null);
      assertThat(StageFieldValues.set(TECHNICAL, evaluation, again.stageFields(), "Discovery call", cleared)
          .stageFields().get("Discovery call")).containsExactly(Map.entry("Decision maker", false));
    }

    @Test
    void everyBadValueIsNamedByItsField() {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("Use case", "Greenfield");
      values.put("Evaluated by", "nobody");
      values.put("Evaluation ends", "31.01.2027");
      values.put("Findings", 12);
      values.put("Colour", "red");

      InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
          () -> StageFieldValues.set(TECHNICAL, evaluation, Map.of(), "Technical evaluation", values));

      assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("fields.Use case",
          "fields.Evaluated by", "fields.Evaluation ends", "fields.Findings", "fields.Colour");
      assertThat(invalid.errors().get(0).message()).contains("Migration, New build");
      assertThat(catchThrowableOfType(InvalidInput.class, () -> StageFieldValues.set(TECHNICAL,
          open("Discovery call", true, true, false, false, null), Map.of(), "Discovery call",
          Map.of("Budget", "lots"))).errors()).extracting(FieldError::field).containsExactly("fields.Budget");
    }

    @Test
    void aLaterStageOrAnUnknownOneIsRefused() {
      assertThat(catchThrowableOfType(ProcessConflict.class, () -> StageFieldValues.set(TECHNICAL,
          open("Call queue", true, false, false, false, null), Map.of(), "Technical evaluation",
          Map.of("Findings", "x")))).hasMessageContaining("once it gets there");
      assertThat(catchThrowableOfType(InvalidInput.class, () -> StageFieldValues.set(TECHNICAL, evaluation, Map.of(),
          "Evaluation", Map.of("Findings", "x"))).errors()).extracting(FieldError::field).containsExactly("stage");
      assertThat(catchThrowableOfType(InvalidInput.class, () -> StageFieldValues.set(TECHNICAL, evaluation, Map.of(),
          "Technical evaluation", Map.of())).errors()).extracting(FieldError::field).containsExactly("fields");
    }
  }
}
