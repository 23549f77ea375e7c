package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;

import static io.leadcycle.process.ProcessAction.ACCEPT_SALES;
import static io.leadcycle.process.ProcessAction.ACCEPT_TELEMARKETING;
import static io.leadcycle.process.ProcessAction.CONVERT;
import static io.leadcycle.process.ProcessAction.DISQUALIFY;
import static io.leadcycle.process.ProcessAction.FIRST_SCORED;
import static io.leadcycle.process.ProcessAction.MARK_SALES_READY;
import static io.leadcycle.process.ProcessAction.MARK_TELEMARKETING_READY;
import static io.leadcycle.process.ProcessAction.MOVE;
import static io.leadcycle.process.ProcessAction.READY_FOR_SALES;
import static io.leadcycle.process.ProcessFixtures.ACCEPTED;
import static io.leadcycle.process.ProcessFixtures.ACCEPTED_FROM_TMA;
import static io.leadcycle.process.ProcessFixtures.ACCEPTED_FROM_TMQ;
import static io.leadcycle.process.ProcessFixtures.AMQ;
import static io.leadcycle.process.ProcessFixtures.AMQ_STAGE;
import static io.leadcycle.process.ProcessFixtures.DEFAULT_STAGES;
import static io.leadcycle.process.ProcessFixtures.INQUIRY;
import static io.leadcycle.process.ProcessFixtures.INQUIRY_STAGE;
import static io.leadcycle.process.ProcessFixtures.OPEN_STATES;
import static io.leadcycle.process.ProcessFixtures.OWNER;
import static io.leadcycle.process.ProcessFixtures.SA;
import static io.leadcycle.process.ProcessFixtures.SALES_ACCEPTED;
import static io.leadcycle.process.ProcessFixtures.SALES_READY_NOT_ACCEPTED;
import static io.leadcycle.process.ProcessFixtures.SA_FROM_TMA;
import static io.leadcycle.process.ProcessFixtures.SA_FROM_TMQ;
import static io.leadcycle.process.ProcessFixtures.SA_STAGE;
import static io.leadcycle.process.ProcessFixtures.TMA;
import static io.leadcycle.process.ProcessFixtures.TMA_STAGE;
import static io.leadcycle.process.ProcessFixtures.TMQ;
import static io.leadcycle.process.ProcessFixtures.TMQ_STAGE;
import static io.leadcycle.process.ProcessFixtures.assertInvalid;
import static io.leadcycle.process.ProcessFixtures.converted;
import static io.leadcycle.process.ProcessFixtures.describe;
import static io.leadcycle.process.ProcessFixtures.disqualified;
import static io.leadcycle.process.ProcessFixtures.move;
import static io.leadcycle.process.ProcessFixtures.open;
import static io.leadcycle.process.ProcessFixtures.wellFormed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.domain.FieldError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every action of the default process from every state a lead can reach, with the outcome written out
 * by hand from DESIGN.md §1 ("Business process of a lead") and API.md ({@code POST /v1/leads/{id}/process}).
 */
class LeadProcessMachineActionsTest {

  private final LeadProcessMachine machine = new LeadProcessMachine(LeadProcess.DEFAULT);

  /** What an action from a state must give: a new state, or a conflict whose message says why. */
  sealed interface Outcome permits Goes, Conflict {
  }

  record Goes(LeadState after) implements Outcome {
    @Override
    public String toString() {
      return "-> " + describe(after);
    }
  }

  record Conflict(List<String> words) implements Outcome {
    @Override
    public String toString() {
      return "409 " + words;
    }
  }

  private static Outcome goes(LeadState after) {
    return new Goes(after);
  }

  private static Outcome conflict(String... words) {
    return new Conflict(List.of(words));
  }

  private void assertOutcome(LeadState from, ProcessRequest request, Outcome expected) {
    if (expected instanceof Goes goes) {
      Transition t = machine.apply(from, request);
      assertThat(t.before()).isEqualTo(from);
      assertThat(t.after()).as("%s on %s", request.action(), describe(from)).isEqualTo(goes.after());
      assertThat(machine.isConsistent(t.after())).isTrue();
    } else {
      Throwable thrown = catchThrowable(() -> machine.apply(from, request));
      assertThat(thrown).as("%s on %s", request.action(), describe(from)).isInstanceOf(ProcessConflict.class);
      for (String word : ((Conflict) expected).words()) {
        assertThat(thrown.getMessage()).containsIgnoringCase(word);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The state space

  @Test
  void theHandWrittenStatesAreExactlyTheStatesReachableFromANewLead() {
    List<ProcessRequest> requests = new ArrayList<>();
    for (ProcessAction action : ProcessFixtures.processActions()) {
      if (action != MOVE) {
        requests.add(wellFormed(action));
      }
    }
    for (String stage : DEFAULT_STAGES) {
      requests.add(move(stage, "by hand"));
    }
    Set<LeadState> seen = new LinkedHashSet<>();
    Deque<LeadState> todo = new ArrayDeque<>();
    LeadState start = LeadProcess.DEFAULT.newLeadState();
    seen.add(start);
    todo.add(start);
    while (!todo.isEmpty()) {
      LeadState s = todo.poll();
      for (ProcessRequest r : requests) {
        try {
          LeadState next = machine.apply(s, r).after();
          if (seen.add(next)) {
            todo.add(next);
          }
        } catch (ProcessConflict ignored) {
          // not allowed from s
        }
      }
    }

    assertThat(start).isEqualTo(INQUIRY);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ProcessFixtures.allReachableStates());
    assertThat(seen).hasSize(23);
    assertThat(seen).allSatisfy(s -> assertThat(machine.isConsistent(s)).as(describe(s)).isTrue());
  }

  @Test
  void aNewLeadIsOpenInInquiryWithoutFlagsOrOwner() {
    LeadState lead = LeadProcess.DEFAULT.newLeadState();

    assertThat(lead.stage()).isEqualTo("inquiry");
    assertThat(lead.status()).isEqualTo(LeadStatus.OPEN);
    assertThat(lead.telemarketingReady()).isFalse();
    assertThat(lead.telemarketingAccepted()).isFalse();
    assertThat(lead.salesReady()).isFalse();
    assertThat(lead.salesAccepted()).isFalse();
    assertThat(lead.ownerId()).isNull();
    assertThat(machine.isConsistent(lead)).isTrue();
    assertThat(machine.process()).isSameAs(LeadProcess.DEFAULT);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Every (open state, action) pair, written out

  static Stream<Arguments> openStateMatrix() {
    List<Arguments> rows = new ArrayList<>();
    // mark-telemarketing-ready: inquiry and scoring go to telemarketing acceptance; sales-ready leads skip telemarketing
    row(rows, INQUIRY, MARK_TELEMARKETING_READY, goes(TMA));
    row(rows, AMQ, MARK_TELEMARKETING_READY, goes(TMA));
    row(rows, TMA, MARK_TELEMARKETING_READY, conflict("already telemarketing-ready"));
    row(rows, TMQ, MARK_TELEMARKETING_READY, conflict("already telemarketing-ready"));
    for (LeadState s : List.of(SA, SA_FROM_TMA, SA_FROM_TMQ, ACCEPTED, ACCEPTED_FROM_TMA, ACCEPTED_FROM_TMQ)) {
      row(rows, s, MARK_TELEMARKETING_READY, conflict("sales-ready", "skips telemarketing"));
    }
    // accept-telemarketing: only from telemarketing acceptance
    row(rows, TMA, ACCEPT_TELEMARKETING, goes(TMQ));
    for (LeadState s : List.of(INQUIRY, AMQ, TMQ, SA, SA_FROM_TMA, SA_FROM_TMQ, ACCEPTED, ACCEPTED_FROM_TMA,
        ACCEPTED_FROM_TMQ)) {
      row(rows, s, ACCEPT_TELEMARKETING, conflict("accepted by telemarketing", TMA_STAGE, "the lead is in " + s.stage()));
    }
    // ready-for-sales: only from telemarketing qualification
    row(rows, TMQ, READY_FOR_SALES, goes(SA_FROM_TMQ));
    for (LeadState s : List.of(INQUIRY, AMQ, TMA, SA, SA_FROM_TMA, SA_FROM_TMQ, ACCEPTED, ACCEPTED_FROM_TMA,
        ACCEPTED_FROM_TMQ)) {
      row(rows, s, READY_FOR_SALES, conflict("ready for sales", TMQ_STAGE, "the lead is in " + s.stage()));
    }
    // mark-sales-ready: from any earlier stage straight to sales acceptance
    row(rows, INQUIRY, MARK_SALES_READY, goes(SA));
    row(rows, AMQ, MARK_SALES_READY, goes(SA));
    row(rows, TMA, MARK_SALES_READY, goes(SA_FROM_TMA));
    row(rows, TMQ, MARK_SALES_READY, goes(SA_FROM_TMQ));
    for (LeadState s : List.of(SA, SA_FROM_TMA, SA_FROM_TMQ, ACCEPTED, ACCEPTED_FROM_TMA, ACCEPTED_FROM_TMQ)) {
      row(rows, s, MARK_SALES_READY, conflict("already sales-ready"));
    }
    // accept-sales: needs sales-ready, once
    for (LeadState s : List.of(INQUIRY, AMQ, TMA, TMQ)) {
      row(rows, s, ACCEPT_SALES, conflict("not sales-ready"));
    }
    row(rows, SA, ACCEPT_SALES, goes(ACCEPTED));
    row(rows, SA_FROM_TMA, ACCEPT_SALES, goes(ACCEPTED_FROM_TMA));
    row(rows, SA_FROM_TMQ, ACCEPT_SALES, goes(ACCEPTED_FROM_TMQ));
    for (LeadState s : SALES_ACCEPTED) {
      row(rows, s, ACCEPT_SALES, conflict("already accepted by sales", OWNER));
    }
    // convert: needs sales accepted
    for (LeadState s : List.of(INQUIRY, AMQ, TMA, TMQ, SA, SA_FROM_TMA, SA_FROM_TMQ)) {
      row(rows, s, CONVERT, conflict("accepted by sales", "converted"));
    }
    for (LeadState s : SALES_ACCEPTED) {
      row(rows, s, CONVERT, goes(converted(s)));
    }
    // disqualify: from any open state, stage/flags/owner kept
    for (LeadState s : OPEN_STATES) {
      row(rows, s, DISQUALIFY, goes(disqualified(s)));
    }
    // first scored: only inquiry moves on
    row(rows, INQUIRY, FIRST_SCORED, goes(AMQ));
    for (LeadState s : OPEN_STATES) {
      if (s != INQUIRY) {
        row(rows, s, FIRST_SCORED, goes(s));
      }
    }
    return rows.stream();
  }

  private static void row(List<Arguments> rows, LeadState from, ProcessAction action, Outcome outcome) {
    rows.add(Arguments.of(action.wireName() + " on " + describe(from) + " " + outcome, from, action, outcome));
  }

  @Test
  void theMatrixCoversEveryNonMoveActionFromEveryOpenStateOnce() {
    List<Arguments> rows = openStateMatrix().toList();
    assertThat(rows).hasSize(OPEN_STATES.size() * (ProcessFixtures.processActions().size() - 1));
    assertThat(rows.stream().map(a -> List.of(a.get()[1], a.get()[2])).distinct()).hasSize(rows.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("openStateMatrix")
  void everyActionFromEveryOpenState(String name, LeadState from, ProcessAction action, Outcome expected) {
    assertOutcome(from, wellFormed(action), expected);
  }

  static Stream<Arguments> moveMatrix() {
    List<Arguments> rows = new ArrayList<>();
    // moving back clears what belongs to later stages, moving forward sets what the target implies
    moveRow(rows, INQUIRY, conflict("already in " + INQUIRY_STAGE), goes(AMQ), goes(TMA), goes(TMQ), goes(SA));
    moveRow(rows, AMQ, goes(INQUIRY), conflict("already in " + AMQ_STAGE), goes(TMA), goes(TMQ), goes(SA));
    moveRow(rows, TMA, goes(INQUIRY), goes(AMQ), conflict("already in " + TMA_STAGE), goes(TMQ), goes(SA_FROM_TMA));
    moveRow(rows, TMQ, goes(INQUIRY), goes(AMQ), goes(TMA), conflict("already in " + TMQ_STAGE), goes(SA_FROM_TMQ));
    for (LeadState s : List.of(SA, SA_FROM_TMA, SA_FROM_TMQ, ACCEPTED, ACCEPTED_FROM_TMA, ACCEPTED_FROM_TMQ)) {
      moveRow(rows, s, goes(INQUIRY), goes(AMQ), goes(TMA), goes(TMQ), conflict("already in " + SA_STAGE));
    }
    return rows.stream();
  }

  private static void moveRow(List<Arguments> rows, LeadState from, Outcome... byTarget) {
    for (int i = 0; i < DEFAULT_STAGES.size(); i++) {
      String target = DEFAULT_STAGES.get(i);
      rows.add(Arguments.of("move " + describe(from) + " to " + target + " " + byTarget[i], from, target, byTarget[i]));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("moveMatrix")
  void moveFromEveryOpenStateToEveryStage(String name, LeadState from, String target, Outcome expected) {
    assertOutcome(from, move(target, "re-routed by the marketing manager"), expected);
  }

  static Stream<Arguments> closedStatesTimesActions() {
    List<Arguments> rows = new ArrayList<>();
    for (LeadState s : ProcessFixtures.closedStates()) {
      for (ProcessAction action : ProcessFixtures.processActions()) {
        rows.add(Arguments.of(action.wireName() + " on " + describe(s), s, action));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("closedStatesTimesActions")
  void everyActionOnAConvertedOrDisqualifiedLeadIsAConflict(String name, LeadState closed, ProcessAction action) {
    for (ProcessRequest request : closedRequests(action)) {
      Throwable thrown = catchThrowable(() -> machine.apply(closed, request));

      assertThat(thrown).as("%s on %s", request, describe(closed)).isInstanceOf(ProcessConflict.class);
      assertThat(thrown.getMessage()).contains(closed.status().wireName()).containsIgnoringCase("closed");
    }
  }

  private static List<ProcessRequest> closedRequests(ProcessAction action) {
    if (action == MOVE) {
      return DEFAULT_STAGES.stream().map(stage -> move(stage, "reopen")).toList();
    }
    return List.of(wellFormed(action), new ProcessRequest(action, "owner-2", AMQ_STAGE, "because"));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The rules, one by one (named for the reader; the matrices above are the exhaustive part)

  @Nested
  class MarkSalesReady {

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {INQUIRY_STAGE, AMQ_STAGE, TMA_STAGE, TMQ_STAGE})
    void skipsTelemarketingAndGoesStraightToSalesAcceptance(String stage) {
      LeadState from = OPEN_STATES.stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow();

      LeadState after = machine.apply(from, ProcessRequest.of(MARK_SALES_READY)).after();

      assertThat(after.stage()).isEqualTo("sales_acceptance");
      assertThat(after.salesReady()).isTrue();
      assertThat(after.salesAccepted()).isFalse();
      assertThat(after.ownerId()).isNull();
      assertThat(after.status()).isEqualTo(LeadStatus.OPEN);
      // the telemarketing history is not rewritten
      assertThat(after.telemarketingReady()).isEqualTo(from.telemarketingReady());
      assertThat(after.telemarketingAccepted()).isEqualTo(from.telemarketingAccepted());
    }

    @Test
    void aSalesReadyLeadCannotBeMarkedTelemarketingReady() {
      Throwable thrown = catchThrowable(() -> machine.apply(SA, ProcessRequest.of(MARK_TELEMARKETING_READY)));

      assertThat(thrown).isInstanceOf(ProcessConflict.class)
          .hasMessageContaining("sales-ready").hasMessageContaining("skips telemarketing");
    }

    @Test
    void twiceIsAConflict() {
      LeadState once = machine.apply(AMQ, ProcessRequest.of(MARK_SALES_READY)).after();

      assertThat(catchThrowable(() -> machine.apply(once, ProcessRequest.of(MARK_SALES_READY))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("already sales-ready");
    }
  }

  @Nested
  class Telemarketing {

    @Test
    void theTelemarketingPathEndsInSalesAcceptanceWithBothTelemarketingFlags() {
      LeadState s = INQUIRY;
      s = machine.apply(s, ProcessRequest.of(FIRST_SCORED)).after();
      assertThat(s).isEqualTo(AMQ);
      s = machine.apply(s, ProcessRequest.of(MARK_TELEMARKETING_READY)).after();
      assertThat(s).isEqualTo(TMA);
      s = machine.apply(s, ProcessRequest.of(ACCEPT_TELEMARKETING)).after();
      assertThat(s).isEqualTo(TMQ);
      s = machine.apply(s, ProcessRequest.of(READY_FOR_SALES)).after();
      assertThat(s).isEqualTo(SA_FROM_TMQ);
      s = machine.apply(s, new ProcessRequest(ACCEPT_SALES, OWNER, null, null)).after();
      assertThat(s).isEqualTo(ACCEPTED_FROM_TMQ);
      s = machine.apply(s, ProcessRequest.of(CONVERT)).after();
      assertThat(s).isEqualTo(converted(ACCEPTED_FROM_TMQ));
    }

    @Test
    void telemarketingCanAlsoStartFromInquiry() {
      assertThat(machine.apply(INQUIRY, ProcessRequest.of(MARK_TELEMARKETING_READY)).after()).isEqualTo(TMA);
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {INQUIRY_STAGE, AMQ_STAGE, TMQ_STAGE, SA_STAGE})
    void acceptTelemarketingOnlyFromTelemarketingAcceptance(String stage) {
      LeadState from = OPEN_STATES.stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow();

      assertThat(catchThrowable(() -> machine.apply(from, ProcessRequest.of(ACCEPT_TELEMARKETING))))
          .isInstanceOf(ProcessConflict.class)
          .hasMessageContaining("telemarketing_acceptance")
          .hasMessageContaining(stage);
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {INQUIRY_STAGE, AMQ_STAGE, TMA_STAGE, SA_STAGE})
    void readyForSalesOnlyFromTelemarketingQualification(String stage) {
      LeadState from = OPEN_STATES.stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow();

      assertThat(catchThrowable(() -> machine.apply(from, ProcessRequest.of(READY_FOR_SALES))))
          .isInstanceOf(ProcessConflict.class)
          .hasMessageContaining("telemarketing_qualification")
          .hasMessageContaining(stage);
    }
  }

  @Nested
  class AcceptSales {

    @ParameterizedTest(name = "owner [{0}]")
    @NullSource
    @ValueSource(strings = {"", " ", "   ", "\t", "\n "})
    void aBlankOwnerIsInvalidInputNamingOwnerId(String owner) {
      for (LeadState s : SALES_READY_NOT_ACCEPTED) {
        FieldError error = assertInvalid(() -> machine.apply(s, new ProcessRequest(ACCEPT_SALES, owner, null, null)),
            "ownerId");
        assertThat(error.message()).containsIgnoringCase("required");
      }
    }

    @Test
    void theOwnerIsStrippedAndSetTogetherWithSalesAccepted() {
      LeadState after = machine.apply(SA_FROM_TMA, new ProcessRequest(ACCEPT_SALES, "  sales-7 ", null, null)).after();

      assertThat(after).isEqualTo(open(SA_STAGE, true, false, true, true, "sales-7"));
    }

    @Test
    void theStageStaysSalesAcceptance() {
      Transition t = machine.apply(SA, new ProcessRequest(ACCEPT_SALES, OWNER, null, null));

      assertThat(t.after().stage()).isEqualTo(SA_STAGE);
      assertThat(t.events()).doesNotContain(Transition.STAGE_CHANGED);
    }

    @Test
    void twiceIsAConflictNamingTheOwner() {
      LeadState once = machine.apply(SA, new ProcessRequest(ACCEPT_SALES, OWNER, null, null)).after();

      assertThat(catchThrowable(() -> machine.apply(once, new ProcessRequest(ACCEPT_SALES, "owner-2", null, null))))
          .isInstanceOf(ProcessConflict.class)
          .hasMessageContaining("already accepted by sales")
          .hasMessageContaining(OWNER);
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {INQUIRY_STAGE, AMQ_STAGE, TMA_STAGE, TMQ_STAGE})
    void aLeadThatIsNotSalesReadyIsAConflict(String stage) {
      LeadState from = OPEN_STATES.stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow();

      assertThat(catchThrowable(() -> machine.apply(from, new ProcessRequest(ACCEPT_SALES, OWNER, null, null))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("not sales-ready");
    }
  }

  @Nested
  class Convert {

    @Test
    void needsSalesAccepted() {
      for (LeadState s : SALES_READY_NOT_ACCEPTED) {
        assertThat(catchThrowable(() -> machine.apply(s, ProcessRequest.of(CONVERT))))
            .isInstanceOf(ProcessConflict.class).hasMessageContaining("accepted by sales");
      }
    }

    @Test
    void keepsStageFlagsAndOwner() {
      LeadState after = machine.apply(ACCEPTED_FROM_TMA, ProcessRequest.of(CONVERT)).after();

      assertThat(after.status()).isEqualTo(LeadStatus.CONVERTED);
      assertThat(after.stage()).isEqualTo(SA_STAGE);
      assertThat(after.ownerId()).isEqualTo(OWNER);
      assertThat(after.salesAccepted()).isTrue();
      assertThat(after.telemarketingReady()).isTrue();
    }
  }

  @Nested
  class Disqualify {

    @ParameterizedTest(name = "reason [{0}]")
    @NullSource
    @ValueSource(strings = {"", "  ", "\t"})
    void needsAReason(String reason) {
      for (LeadState s : OPEN_STATES) {
        FieldError error = assertInvalid(() -> machine.apply(s, new ProcessRequest(DISQUALIFY, null, null, reason)),
            "reason");
        assertThat(error.message()).containsIgnoringCase("required");
      }
    }

    @Test
    void closesTheLeadWhereItIs() {
      Transition t = machine.apply(TMQ, new ProcessRequest(DISQUALIFY, null, null, " no budget this year "));

      assertThat(t.after()).isEqualTo(disqualified(TMQ));
      assertThat(t.reason()).isEqualTo("no budget this year");
    }

    @Test
    void aDisqualifiedLeadCannotBeConvertedOrReopened() {
      LeadState closed = machine.apply(ACCEPTED, new ProcessRequest(DISQUALIFY, null, null, "duplicate")).after();

      assertThat(catchThrowable(() -> machine.apply(closed, ProcessRequest.of(CONVERT))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("disqualified");
      assertThat(catchThrowable(() -> machine.apply(closed, move(INQUIRY_STAGE, "reopen"))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("disqualified");
      assertThat(catchThrowable(() -> machine.apply(closed, new ProcessRequest(DISQUALIFY, null, null, "again"))))
          .isInstanceOf(ProcessConflict.class).hasMessageContaining("closed");
    }
  }

  @Nested
  class Move {

    @ParameterizedTest(name = "stage [{0}]")
    @NullSource
    @ValueSource(strings = {"", "   "})
    void aMissingStageIsInvalidInputNamingStage(String stage) {
      FieldError error = assertInvalid(() -> machine.apply(AMQ, move(stage, "by hand")), "stage");

      assertThat(error.message()).containsIgnoringCase("required");
      assertThat(error.message()).contains(DEFAULT_STAGES);
    }

    @ParameterizedTest(name = "stage [{0}]")
    @ValueSource(strings = {"qualified", "Inquiry", "SALES_ACCEPTANCE", " inquiry", "inquiry ", "sales-acceptance",
        "telemarketing", "new"})
    void anUnknownStageIsInvalidInputListingTheKnownOnes(String stage) {
      FieldError error = assertInvalid(() -> machine.apply(AMQ, move(stage, "by hand")), "stage");

      assertThat(error.message()).contains(DEFAULT_STAGES);
    }

    @ParameterizedTest(name = "reason [{0}]")
    @NullSource
    @ValueSource(strings = {"", "  ", "\n"})
    void needsAReason(String reason) {
      for (LeadState s : OPEN_STATES) {
        for (String target : DEFAULT_STAGES) {
          if (!target.equals(s.stage())) {
            assertInvalid(() -> machine.apply(s, move(target, reason)), "reason");
          }
        }
      }
    }

    @Test
    void toTheSameStageIsAConflict() {
      for (LeadState s : OPEN_STATES) {
        assertThat(catchThrowable(() -> machine.apply(s, move(s.stage(), "again"))))
            .as(describe(s)).isInstanceOf(ProcessConflict.class)
            .hasMessageContaining("already in " + s.stage());
      }
    }

    @Test
    void backFromAnAcceptedLeadClearsSalesFlagsAndOwner() {
      LeadState after = machine.apply(ACCEPTED_FROM_TMQ, move(TMQ_STAGE, "salesperson sent it back")).after();

      assertThat(after).isEqualTo(TMQ);
      assertThat(after.ownerId()).isNull();
      assertThat(after.salesReady()).isFalse();
      assertThat(after.salesAccepted()).isFalse();
    }

    @Test
    void backToTelemarketingAcceptanceClearsTheAcceptance() {
      assertThat(machine.apply(TMQ, move(TMA_STAGE, "wrong telemarketer")).after()).isEqualTo(TMA);
    }

    @Test
    void backToInquiryOrScoringClearsEverything() {
      assertThat(machine.apply(ACCEPTED_FROM_TMQ, move(INQUIRY_STAGE, "start over")).after()).isEqualTo(INQUIRY);
      assertThat(machine.apply(ACCEPTED_FROM_TMQ, move(AMQ_STAGE, "start over")).after()).isEqualTo(AMQ);
    }

    @Test
    void forwardSetsWhatTheTargetImplies() {
      assertThat(machine.apply(INQUIRY, move(TMA_STAGE, "call them")).after()).isEqualTo(TMA);
      assertThat(machine.apply(INQUIRY, move(TMQ_STAGE, "already called")).after()).isEqualTo(TMQ);
      assertThat(machine.apply(AMQ, move(SA_STAGE, "hot lead")).after()).isEqualTo(SA);
      assertThat(machine.apply(TMQ, move(SA_STAGE, "hot lead")).after()).isEqualTo(SA_FROM_TMQ);
    }

    @Test
    void movingIntoSalesAcceptanceNeverAcceptsForSales() {
      for (LeadState s : List.of(INQUIRY, AMQ, TMA, TMQ)) {
        LeadState after = machine.apply(s, move(SA_STAGE, "by hand")).after();
        assertThat(after.salesReady()).isTrue();
        assertThat(after.salesAccepted()).isFalse();
        assertThat(after.ownerId()).isNull();
      }
    }
  }

  @Nested
  class FirstScored {

    @Test
    void movesInquiryToAutomatedQualification() {
      Transition t = machine.apply(INQUIRY, ProcessRequest.of(FIRST_SCORED));

      assertThat(t.after()).isEqualTo(AMQ);
      assertThat(t.changedAnything()).isTrue();
    }

    @Test
    void changesNothingElsewhere() {
      for (LeadState s : OPEN_STATES) {
        if (s == INQUIRY) {
          continue;
        }
        Transition t = machine.apply(s, ProcessRequest.of(FIRST_SCORED));
        assertThat(t.after()).as(describe(s)).isEqualTo(s);
        assertThat(t.changes()).isEmpty();
        assertThat(t.events()).isEmpty();
        assertThat(t.changedAnything()).isFalse();
      }
    }

    @Test
    void isNotAnActionClientsMaySend() {
      assertThat(ProcessAction.fromWireName("first-scored")).isEmpty();
    }
  }

  @Nested
  class WireNames {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mark-telemarketing-ready", "accept-telemarketing", "ready-for-sales", "mark-sales-ready",
        "accept-sales", "move", "disqualify", "convert"})
    void everyActionOfTheApiHasItsWireName(String wire) {
      ProcessAction action = ProcessAction.fromWireName(wire).orElseThrow();

      assertThat(action.wireName()).isEqualTo(wire);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessAction.class)
    void wireNamesRoundTripExceptTheInternalFirstScored(ProcessAction action) {
      if (action == FIRST_SCORED) {
        assertThat(ProcessAction.fromWireName(action.wireName())).isEmpty();
      } else {
        assertThat(ProcessAction.fromWireName(action.wireName())).contains(action);
      }
    }

    @ParameterizedTest(name = "[{0}]")
    @NullSource
    @ValueSource(strings = {"", "MOVE", "Convert", "mark_sales_ready", " move", "qualify"})
    void unknownActionNames(String wire) {
      assertThat(ProcessAction.fromWireName(wire)).isEmpty();
    }

    @Test
    void statusWireNames() {
      assertThat(LeadStatus.OPEN.wireName()).isEqualTo("open");
      assertThat(LeadStatus.CONVERTED.wireName()).isEqualTo("converted");
      assertThat(LeadStatus.DISQUALIFIED.wireName()).isEqualTo("disqualified");
      for (LeadStatus status : LeadStatus.values()) {
        assertThat(LeadStatus.fromWireName(status.wireName())).contains(status);
      }
      assertThat(LeadStatus.fromWireName("won")).isEmpty();
    }

    @Test
    void theDefaultProcessHasTheStagesOfTheApiInOrder() {
      assertThat(LeadProcess.DEFAULT.stageNames()).containsExactly("inquiry", "automated_marketing_qualification",
          "telemarketing_acceptance", "telemarketing_qualification", "sales_acceptance");
      assertThat(LeadProcess.DEFAULT.id()).isEqualTo("default");
    }
  }
}
