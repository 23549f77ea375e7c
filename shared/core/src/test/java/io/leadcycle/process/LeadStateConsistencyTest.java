package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;

import static io.leadcycle.process.ProcessFixtures.AMQ_STAGE;
import static io.leadcycle.process.ProcessFixtures.INQUIRY_STAGE;
import static io.leadcycle.process.ProcessFixtures.OWNER;
import static io.leadcycle.process.ProcessFixtures.SA_STAGE;
import static io.leadcycle.process.ProcessFixtures.TMA_STAGE;
import static io.leadcycle.process.ProcessFixtures.TMQ_STAGE;
import static io.leadcycle.process.ProcessFixtures.describe;
import static io.leadcycle.process.ProcessFixtures.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LeadProcessMachine#isConsistent}: the invariants, checked against hand-built states. */
class LeadStateConsistencyTest {

  private final LeadProcessMachine machine = new LeadProcessMachine(LeadProcess.DEFAULT);

  @Test
  void everyReachableStateIsConsistent() {
    for (LeadState s : ProcessFixtures.allReachableStates()) {
      assertThat(machine.isConsistent(s)).as(describe(s)).isTrue();
    }
  }

  static Stream<Arguments> inconsistentStates() {
    List<Arguments> rows = new ArrayList<>();
    add(rows, "sales_acceptance without salesReady", open(SA_STAGE, false, false, false, false, null));
    add(rows, "sales_acceptance without salesReady after telemarketing", open(SA_STAGE, true, true, false, false, null));
    add(rows, "sales accepted without salesReady", open(SA_STAGE, false, false, false, true, OWNER));
    add(rows, "owner without salesAccepted", open(SA_STAGE, false, false, true, false, OWNER));
    add(rows, "owner without salesAccepted in inquiry", open(INQUIRY_STAGE, false, false, false, false, OWNER));
    add(rows, "salesAccepted without owner", open(SA_STAGE, false, false, true, true, null));
    add(rows, "converted without salesAccepted", status(open(SA_STAGE, false, false, true, false, null),
        LeadStatus.CONVERTED));
    add(rows, "converted straight from inquiry", status(open(INQUIRY_STAGE, false, false, false, false, null),
        LeadStatus.CONVERTED));
    add(rows, "telemarketingAccepted without telemarketingReady in tm qualification",
        open(TMQ_STAGE, false, true, false, false, null));
    add(rows, "telemarketingAccepted without telemarketingReady in sales acceptance",
        open(SA_STAGE, false, true, true, false, null));
    add(rows, "telemarketingAccepted in tm acceptance", open(TMA_STAGE, true, true, false, false, null));
    add(rows, "tm acceptance without telemarketingReady", open(TMA_STAGE, false, false, false, false, null));
    add(rows, "tm qualification without telemarketingAccepted", open(TMQ_STAGE, true, false, false, false, null));
    add(rows, "salesReady in inquiry", open(INQUIRY_STAGE, false, false, true, false, null));
    add(rows, "salesReady in scoring", open(AMQ_STAGE, false, false, true, false, null));
    add(rows, "salesReady in tm acceptance", open(TMA_STAGE, true, false, true, false, null));
    add(rows, "salesReady in tm qualification", open(TMQ_STAGE, true, true, true, false, null));
    add(rows, "telemarketingReady in inquiry", open(INQUIRY_STAGE, true, false, false, false, null));
    add(rows, "telemarketingReady in scoring", open(AMQ_STAGE, true, false, false, false, null));
    add(rows, "unknown stage", open("qualified", false, false, false, false, null));
    add(rows, "stage name in another case", open("Inquiry", false, false, false, false, null));
    add(rows, "stage of a custom process", open("new", false, false, false, false, null));
    add(rows, "null stage", open(null, false, false, false, false, null));
    add(rows, "null status", new LeadState(INQUIRY_STAGE, null, false, false, false, false, null));
    add(rows, "disqualified in an unknown stage", status(open("gone", false, false, false, false, null),
        LeadStatus.DISQUALIFIED));
    return rows.stream();
  }

  private static void add(List<Arguments> rows, String name, LeadState state) {
    rows.add(Arguments.of(name, state));
  }

  private static LeadState status(LeadState s, LeadStatus status) {
    return ProcessFixtures.withStatus(s, status);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inconsistentStates")
  void rejectsHandBuiltInconsistentStates(String name, LeadState state) {
    assertThat(machine.isConsistent(state)).as(name).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LeadStatus.class)
  void aSalesAcceptedLeadIsConsistentInEveryStatus(LeadStatus status) {
    assertThat(machine.isConsistent(status(open(SA_STAGE, true, false, true, true, OWNER), status))).isTrue();
  }

  @Test
  void aDisqualifiedLeadNeedNotHaveBeenAccepted() {
    assertThat(machine.isConsistent(status(open(TMA_STAGE, true, false, false, false, null),
        LeadStatus.DISQUALIFIED))).isTrue();
  }

  @ParameterizedTest(name = "owner [{0}]")
  @ValueSource(strings = {"", " ", "\t"})
  void aBlankOwnerIsNoOwner(String owner) {
    assertThat(machine.isConsistent(open(SA_STAGE, false, false, true, true, owner))).isFalse();
  }

  /**
   * A lead whose stage its process does not know (e.g. an organisation renamed or removed a stage of its own
   * process while leads sat in it). The machine's contract names only InvalidInput and ProcessConflict.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ProcessAction.class, names = {"ACCEPT_TELEMARKETING", "READY_FOR_SALES", "FIRST_SCORED",
      "DISQUALIFY"})
  void aLeadInAStageTheProcessDoesNotKnowIsAConflictNotACrash(ProcessAction action) {
    LeadState stale = open("retired_stage", false, false, false, false, null);
    ProcessRequest request = ProcessFixtures.wellFormed(action);

    assertThatThrownBy(() -> machine.apply(stale, request))
        .isInstanceOf(ProcessConflict.class)
        .hasMessageContaining("retired_stage");
  }
}
