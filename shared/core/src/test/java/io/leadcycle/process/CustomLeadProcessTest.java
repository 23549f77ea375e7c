package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;

import static io.leadcycle.process.ProcessAction.ACCEPT_SALES;
import static io.leadcycle.process.ProcessAction.ACCEPT_TELEMARKETING;
import static io.leadcycle.process.ProcessAction.CONVERT;
import static io.leadcycle.process.ProcessAction.FIRST_SCORED;
import static io.leadcycle.process.ProcessAction.MARK_SALES_READY;
import static io.leadcycle.process.ProcessAction.MARK_TELEMARKETING_READY;
import static io.leadcycle.process.ProcessAction.READY_FOR_SALES;
import static io.leadcycle.process.ProcessFixtures.assertInvalid;
import static io.leadcycle.process.ProcessFixtures.move;
import static io.leadcycle.process.ProcessFixtures.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.domain.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An organisation's own process: other stage names, another order, the same rules (they speak of roles). */
class CustomLeadProcessTest {

  /** Renamed stages, listed in an order unlike the default one. */
  static final LeadProcess CUSTOM = new LeadProcess("acme", List.of(
      new Stage("sales", StageRole.SALES_ACCEPTANCE),
      new Stage("tm-call", StageRole.TELEMARKETING_QUALIFICATION),
      new Stage("new", StageRole.INQUIRY),
      new Stage("tm-queue", StageRole.TELEMARKETING_ACCEPTANCE),
      new Stage("scoring", StageRole.AUTOMATED_QUALIFICATION)));

  private final LeadProcessMachine machine = new LeadProcessMachine(CUSTOM);

  @Nested
  class Rules {

    @Test
    void aNewLeadStartsInTheInquiryRoleWhereverItIsListed() {
      LeadState lead = CUSTOM.newLeadState();

      assertThat(lead).isEqualTo(open("new", false, false, false, false, null));
      assertThat(machine.isConsistent(lead)).isTrue();
    }

    @Test
    void theTelemarketingPathUsesTheCustomNames() {
      LeadState s = CUSTOM.newLeadState();
      Transition scored = machine.apply(s, ProcessRequest.of(FIRST_SCORED));
      assertThat(scored.changes()).containsExactly(new Change("stage", "new", "scoring"));
      s = scored.after();
      s = machine.apply(s, ProcessRequest.of(MARK_TELEMARKETING_READY)).after();
      assertThat(s).isEqualTo(open("tm-queue", true, false, false, false, null));
      s = machine.apply(s, ProcessRequest.of(ACCEPT_TELEMARKETING)).after();
      assertThat(s).isEqualTo(open("tm-call", true, true, false, false, null));
      s = machine.apply(s, ProcessRequest.of(READY_FOR_SALES)).after();
      assertThat(s).isEqualTo(open("sales", true, true, true, false, null));
      s = machine.apply(s, new ProcessRequest(ACCEPT_SALES, "rep-1", null, null)).after();
      assertThat(s).isEqualTo(open("sales", true, true, true, true, "rep-1"));
      s = machine.apply(s, ProcessRequest.of(CONVERT)).after();
      assertThat(s.status()).isEqualTo(LeadStatus.CONVERTED);
      assertThat(machine.isConsistent(s)).isTrue();
    }

    @Test
    void aSalesReadyLeadSkipsTelemarketing() {
      for (String from : List.of("new", "scoring")) {
        LeadState lead = open(from, false, false, false, false, null);
        assertThat(machine.apply(lead, ProcessRequest.of(MARK_SALES_READY)).after())
            .isEqualTo(open("sales", false, false, true, false, null));
      }
      assertThat(machine.apply(open("tm-queue", true, false, false, false, null), ProcessRequest.of(MARK_SALES_READY))
          .after()).isEqualTo(open("sales", true, false, true, false, null));
      LeadState salesReady = open("sales", false, false, true, false, null);
      assertThat(catchThrowable(() -> machine.apply(salesReady, ProcessRequest.of(MARK_TELEMARKETING_READY))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("skips telemarketing");
    }

    @Test
    void conflictMessagesNameTheCustomStages() {
      LeadState scoring = open("scoring", false, false, false, false, null);

      assertThat(catchThrowable(() -> machine.apply(scoring, ProcessRequest.of(ACCEPT_TELEMARKETING))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("tm-queue").hasMessageContaining("scoring")
          .hasMessageNotContaining("telemarketing_acceptance");
      assertThat(catchThrowable(() -> machine.apply(scoring, ProcessRequest.of(READY_FOR_SALES))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("tm-call").hasMessageContaining("scoring");
    }

    @Test
    void firstScoredOnlyMovesTheInquiryRole() {
      for (LeadState s : List.of(open("scoring", false, false, false, false, null),
          open("tm-queue", true, false, false, false, null), open("sales", false, false, true, false, null))) {
        Transition t = machine.apply(s, ProcessRequest.of(FIRST_SCORED));
        assertThat(t.after()).isEqualTo(s);
        assertThat(t.changes()).isEmpty();
      }
    }

    @Test
    void moveUsesTheCustomNamesAndTheRolesDecideTheFlags() {
      LeadState accepted = open("sales", true, true, true, true, "rep-1");

      assertThat(machine.apply(accepted, move("tm-call", "back to the phone")).after())
          .isEqualTo(open("tm-call", true, true, false, false, null));
      assertThat(machine.apply(accepted, move("tm-queue", "back")).after())
          .isEqualTo(open("tm-queue", true, false, false, false, null));
      assertThat(machine.apply(accepted, move("new", "back")).after())
          .isEqualTo(open("new", false, false, false, false, null));
      LeadState fresh = CUSTOM.newLeadState();
      assertThat(machine.apply(fresh, move("sales", "VIP")).after())
          .isEqualTo(open("sales", false, false, true, false, null));
      assertThat(machine.apply(fresh, move("tm-call", "called")).after())
          .isEqualTo(open("tm-call", true, true, false, false, null));
      assertThat(catchThrowable(() -> machine.apply(accepted, move("sales", "again"))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("already in sales");
    }

    @Test
    void theDefaultStageNamesAreUnknownToACustomProcess() {
      FieldError error = assertInvalid(() -> machine.apply(CUSTOM.newLeadState(), move("sales_acceptance", "x")),
          "stage");

      assertThat(error.message()).contains("new", "scoring", "tm-queue", "tm-call", "sales");
      assertThat(machine.isConsistent(open("inquiry", false, false, false, false, null))).isFalse();
      assertThat(new LeadProcessMachine(LeadProcess.DEFAULT).isConsistent(CUSTOM.newLeadState())).isFalse();
    }

    @Test
    void isConsistentSpeaksOfRoles() {
      assertThat(machine.isConsistent(open("sales", false, false, false, false, null))).isFalse();
      assertThat(machine.isConsistent(open("tm-queue", false, false, false, false, null))).isFalse();
      assertThat(machine.isConsistent(open("tm-call", true, true, false, false, null))).isTrue();
      assertThat(machine.isConsistent(open("scoring", false, false, false, false, null))).isTrue();
      assertThat(machine.isConsistent(open("sales", true, false, true, true, "rep"))).isTrue();
    }
  }

  @Nested
  class Definition {

    @Test
    void lookupsByRoleAndName() {
      assertThat(CUSTOM.id()).isEqualTo("acme");
      assertThat(CUSTOM.stageNames()).containsExactly("sales", "tm-call", "new", "tm-queue", "scoring");
      assertThat(CUSTOM.stageFor(StageRole.INQUIRY)).isEqualTo("new");
      assertThat(CUSTOM.stageFor(StageRole.SALES_ACCEPTANCE)).isEqualTo("sales");
      assertThat(CUSTOM.roleOf("tm-queue")).contains(StageRole.TELEMARKETING_ACCEPTANCE);
      assertThat(CUSTOM.roleOf("telemarketing_acceptance")).isEmpty();
      assertThat(CUSTOM.roleOf(null)).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "default stage for {0}")
    @EnumSource(StageRole.class)
    void theDefaultProcessHasOneStagePerRole(StageRole role) {
      String name = LeadProcess.DEFAULT.stageFor(role);
      assertThat(LeadProcess.DEFAULT.roleOf(name)).contains(role);
    }

    @ParameterizedTest(name = "without {0}")
    @EnumSource(StageRole.class)
    void aMissingRoleIsRejected(StageRole missing) {
      List<Stage> stages = new ArrayList<>(CUSTOM.stages());
      stages.removeIf(s -> s.role() == missing);

      assertThatThrownBy(() -> new LeadProcess("broken", stages))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("broken").hasMessageContaining("every role");
    }

    @Test
    void anEmptyProcessIsRejected() {
      assertThatThrownBy(() -> new LeadProcess("empty", List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every role");
    }

    @ParameterizedTest(name = "two stages for {0}")
    @EnumSource(StageRole.class)
    void aDuplicateRoleIsRejected(StageRole doubled) {
      List<Stage> stages = new ArrayList<>(CUSTOM.stages());
      stages.add(new Stage("extra", doubled));

      assertThatThrownBy(() -> new LeadProcess("broken", stages))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("two stages for role " + doubled);
    }

    @Test
    void aDuplicateRoleIsRejectedEvenWhenAnotherRoleIsMissing() {
      List<Stage> stages = List.of(
          new Stage("a", StageRole.INQUIRY), new Stage("b", StageRole.INQUIRY),
          new Stage("c", StageRole.TELEMARKETING_ACCEPTANCE), new Stage("d", StageRole.TELEMARKETING_QUALIFICATION),
          new Stage("e", StageRole.SALES_ACCEPTANCE));

      assertThatThrownBy(() -> new LeadProcess("broken", stages)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicateNamesAreRejected() {
      List<Stage> stages = List.of(
          new Stage("new", StageRole.INQUIRY),
          new Stage("scoring", StageRole.AUTOMATED_QUALIFICATION),
          new Stage("telemarketing", StageRole.TELEMARKETING_ACCEPTANCE),
          new Stage("telemarketing", StageRole.TELEMARKETING_QUALIFICATION),
          new Stage("sales", StageRole.SALES_ACCEPTANCE));

      assertThatThrownBy(() -> new LeadProcess("broken", stages))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two stages with one name");
    }

    @Test
    void theStageListIsAnImmutableCopy() {
      List<Stage> stages = new ArrayList<>(CUSTOM.stages());
      LeadProcess process = new LeadProcess("copy", stages);
      stages.clear();

      assertThat(process.stages()).hasSize(5);
      assertThatThrownBy(() -> process.stages().add(new Stage("x", StageRole.INQUIRY)))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
