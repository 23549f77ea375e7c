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
import static io.leadcycle.process.ProcessFixtures.ACCEPTED_FROM_TMQ;
import static io.leadcycle.process.ProcessFixtures.AMQ;
import static io.leadcycle.process.ProcessFixtures.AMQ_STAGE;
import static io.leadcycle.process.ProcessFixtures.DEFAULT_STAGES;
import static io.leadcycle.process.ProcessFixtures.INQUIRY;
import static io.leadcycle.process.ProcessFixtures.INQUIRY_STAGE;
import static io.leadcycle.process.ProcessFixtures.OPEN_STATES;
import static io.leadcycle.process.ProcessFixtures.OWNER;
import static io.leadcycle.process.ProcessFixtures.SA;
import static io.leadcycle.process.ProcessFixtures.SA_FROM_TMA;
import static io.leadcycle.process.ProcessFixtures.SA_STAGE;
import static io.leadcycle.process.ProcessFixtures.TMA;
import static io.leadcycle.process.ProcessFixtures.TMA_STAGE;
import static io.leadcycle.process.ProcessFixtures.TMQ;
import static io.leadcycle.process.ProcessFixtures.TMQ_STAGE;
import static io.leadcycle.process.ProcessFixtures.describe;
import static io.leadcycle.process.ProcessFixtures.move;
import static io.leadcycle.process.ProcessFixtures.wellFormed;
import static io.leadcycle.process.Transition.CONVERTED;
import static io.leadcycle.process.Transition.DISQUALIFIED;
import static io.leadcycle.process.Transition.SALES_READY;
import static io.leadcycle.process.Transition.STAGE_CHANGED;
import static io.leadcycle.process.Transition.TELEMARKETING_READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a transition tells the timeline ({@link Transition#changes()}) and the outbox ({@link Transition#events()}). */
class TransitionChangesAndEventsTest {

  private final LeadProcessMachine machine = new LeadProcessMachine(LeadProcess.DEFAULT);

  private static Change change(String field, String from, String to) {
    return new Change(field, from, to);
  }

  @Test
  void eventNamesAreThoseOfTheContract() {
    assertThat(STAGE_CHANGED).isEqualTo("lead.stage_changed");
    assertThat(SALES_READY).isEqualTo("lead.sales_ready");
    assertThat(TELEMARKETING_READY).isEqualTo("lead.telemarketing_ready");
    assertThat(CONVERTED).isEqualTo("lead.converted");
    assertThat(DISQUALIFIED).isEqualTo("lead.disqualified");
  }

  @Test
  void firstScored() {
    Transition t = machine.apply(INQUIRY, ProcessRequest.of(FIRST_SCORED));

    assertThat(t.changes()).containsExactly(change("stage", INQUIRY_STAGE, AMQ_STAGE));
    assertThat(t.events()).containsExactly(STAGE_CHANGED);
    assertThat(t.reason()).isEqualTo("first-scored");
  }

  @Test
  void firstScoredLaterChangesNothingAndTellsNobody() {
    Transition t = machine.apply(TMQ, ProcessRequest.of(FIRST_SCORED));

    assertThat(t.changes()).isEmpty();
    assertThat(t.events()).isEmpty();
    assertThat(t.changedAnything()).isFalse();
    assertThat(t.before()).isEqualTo(t.after());
  }

  @Test
  void markTelemarketingReady() {
    Transition t = machine.apply(AMQ, ProcessRequest.of(MARK_TELEMARKETING_READY));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", AMQ_STAGE, TMA_STAGE),
        change("telemarketingReady", "false", "true"));
    assertThat(t.events()).containsExactlyInAnyOrder(STAGE_CHANGED, TELEMARKETING_READY);
    assertThat(t.reason()).isEqualTo("mark-telemarketing-ready");
  }

  @Test
  void acceptTelemarketing() {
    Transition t = machine.apply(TMA, ProcessRequest.of(ACCEPT_TELEMARKETING));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", TMA_STAGE, TMQ_STAGE),
        change("telemarketingAccepted", "false", "true"));
    assertThat(t.events()).containsExactly(STAGE_CHANGED);
    assertThat(t.reason()).isEqualTo("accept-telemarketing");
  }

  @Test
  void readyForSales() {
    Transition t = machine.apply(TMQ, ProcessRequest.of(READY_FOR_SALES));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", TMQ_STAGE, SA_STAGE),
        change("salesReady", "false", "true"));
    assertThat(t.events()).containsExactlyInAnyOrder(STAGE_CHANGED, SALES_READY);
    assertThat(t.reason()).isEqualTo("ready-for-sales");
  }

  @Test
  void markSalesReadyFromTelemarketingAcceptanceDoesNotAnnounceTelemarketingReadyAgain() {
    Transition t = machine.apply(TMA, ProcessRequest.of(MARK_SALES_READY));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", TMA_STAGE, SA_STAGE),
        change("salesReady", "false", "true"));
    assertThat(t.events()).containsExactlyInAnyOrder(STAGE_CHANGED, SALES_READY);
  }

  @Test
  void markSalesReadyFromInquiry() {
    Transition t = machine.apply(INQUIRY, new ProcessRequest(MARK_SALES_READY, null, null, "score 81 >= 70 (model m1)"));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", INQUIRY_STAGE, SA_STAGE),
        change("salesReady", "false", "true"));
    assertThat(t.events()).containsExactlyInAnyOrder(STAGE_CHANGED, SALES_READY);
    assertThat(t.reason()).isEqualTo("score 81 >= 70 (model m1)");
  }

  @Test
  void acceptSales() {
    Transition t = machine.apply(SA_FROM_TMA, new ProcessRequest(ACCEPT_SALES, " rep-42 ", null, null));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("salesAccepted", "false", "true"),
        change("ownerId", null, "rep-42"));
    assertThat(t.events()).isEmpty();
    assertThat(t.reason()).isEqualTo("accept-sales");
  }

  @Test
  void convert() {
    Transition t = machine.apply(ACCEPTED, ProcessRequest.of(CONVERT));

    assertThat(t.changes()).containsExactly(change("status", "open", "converted"));
    assertThat(t.events()).containsExactly(CONVERTED);
    assertThat(t.reason()).isEqualTo("convert");
  }

  @Test
  void disqualify() {
    Transition t = machine.apply(ACCEPTED_FROM_TMQ, new ProcessRequest(DISQUALIFY, null, null, "  competitor  "));

    assertThat(t.changes()).containsExactly(change("status", "open", "disqualified"));
    assertThat(t.events()).containsExactly(DISQUALIFIED);
    assertThat(t.reason()).isEqualTo("competitor");
  }

  @Test
  void moveAllTheWayBackListsEveryClearedField() {
    Transition t = machine.apply(ACCEPTED_FROM_TMQ, move(INQUIRY_STAGE, "wrong contact"));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", SA_STAGE, INQUIRY_STAGE),
        change("telemarketingReady", "true", "false"),
        change("telemarketingAccepted", "true", "false"),
        change("salesReady", "true", "false"),
        change("salesAccepted", "true", "false"),
        change("ownerId", OWNER, null));
    assertThat(t.events()).containsExactly(STAGE_CHANGED);
    assertThat(t.reason()).isEqualTo("wrong contact");
  }

  @Test
  void moveForwardIntoTelemarketingQualificationAnnouncesTelemarketingReady() {
    Transition t = machine.apply(INQUIRY, move(TMQ_STAGE, "called at the fair"));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", INQUIRY_STAGE, TMQ_STAGE),
        change("telemarketingReady", "false", "true"),
        change("telemarketingAccepted", "false", "true"));
    assertThat(t.events()).containsExactlyInAnyOrder(STAGE_CHANGED, TELEMARKETING_READY);
  }

  @Test
  void moveBackFromQualificationToAcceptanceIsNotANewTelemarketingReady() {
    Transition t = machine.apply(TMQ, move(TMA_STAGE, "hand to another telemarketer"));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", TMQ_STAGE, TMA_STAGE),
        change("telemarketingAccepted", "true", "false"));
    assertThat(t.events()).containsExactly(STAGE_CHANGED);
  }

  @Test
  void moveIntoSalesAcceptanceAnnouncesSalesReady() {
    Transition t = machine.apply(AMQ, move(SA_STAGE, "VIP"));

    assertThat(t.changes()).containsExactlyInAnyOrder(
        change("stage", AMQ_STAGE, SA_STAGE),
        change("salesReady", "false", "true"));
    assertThat(t.events()).containsExactlyInAnyOrder(STAGE_CHANGED, SALES_READY);
  }

  @Test
  void moveBetweenInquiryAndScoringOnlyChangesTheStage() {
    Transition t = machine.apply(AMQ, move(INQUIRY_STAGE, "link the contact first"));

    assertThat(t.changes()).containsExactly(change("stage", AMQ_STAGE, INQUIRY_STAGE));
    assertThat(t.events()).containsExactly(STAGE_CHANGED);
  }

  @Test
  void salesReadyAgainAfterBeingMovedBackIsAnnouncedAgain() {
    LeadState back = machine.apply(SA, move(AMQ_STAGE, "score was wrong")).after();

    Transition again = machine.apply(back, ProcessRequest.of(MARK_SALES_READY));

    assertThat(again.events()).contains(SALES_READY);
  }

  @ParameterizedTest(name = "reason [{0}]")
  @NullSource
  @ValueSource(strings = {"", "   ", "\t\n"})
  void theReasonDefaultsToTheActionsWireName(String reason) {
    assertThat(machine.apply(INQUIRY, new ProcessRequest(FIRST_SCORED, null, null, reason)).reason())
        .isEqualTo("first-scored");
    assertThat(machine.apply(AMQ, new ProcessRequest(MARK_TELEMARKETING_READY, null, null, reason)).reason())
        .isEqualTo("mark-telemarketing-ready");
    assertThat(machine.apply(TMA, new ProcessRequest(ACCEPT_TELEMARKETING, null, null, reason)).reason())
        .isEqualTo("accept-telemarketing");
    assertThat(machine.apply(TMQ, new ProcessRequest(READY_FOR_SALES, null, null, reason)).reason())
        .isEqualTo("ready-for-sales");
    assertThat(machine.apply(AMQ, new ProcessRequest(MARK_SALES_READY, null, null, reason)).reason())
        .isEqualTo("mark-sales-ready");
    assertThat(machine.apply(SA, new ProcessRequest(ACCEPT_SALES, OWNER, null, reason)).reason())
        .isEqualTo("accept-sales");
    assertThat(machine.apply(ACCEPTED, new ProcessRequest(CONVERT, null, null, reason)).reason())
        .isEqualTo("convert");
  }

  @Test
  void aGivenReasonIsKeptStrippedForEveryAction() {
    for (LeadState s : OPEN_STATES) {
      for (ProcessAction action : ProcessFixtures.processActions()) {
        ProcessRequest base = wellFormed(action);
        ProcessRequest withReason = new ProcessRequest(action, base.ownerId(), base.stage(), "  why not \n");
        try {
          assertThat(machine.apply(s, withReason).reason()).isEqualTo("why not");
        } catch (ProcessConflict expected) {
          // not allowed from s; covered elsewhere
        }
      }
    }
  }

  /** For every allowed action from every open state: the changes are exactly the fields that differ. */
  @Test
  void changesListExactlyTheFieldsThatDifferWithTheirOldAndNewValues() {
    int checked = 0;
    for (LeadState s : OPEN_STATES) {
      for (ProcessRequest r : everyWellFormedRequest()) {
        Transition t;
        try {
          t = machine.apply(s, r);
        } catch (ProcessConflict notAllowed) {
          continue;
        }
        checked++;
        List<Change> expected = new ArrayList<>();
        for (Map.Entry<String, Function<LeadState, String>> field : ProcessFixtures.FIELDS.entrySet()) {
          String from = field.getValue().apply(t.before());
          String to = field.getValue().apply(t.after());
          if (!java.util.Objects.equals(from, to)) {
            expected.add(change(field.getKey(), from, to));
          }
        }
        assertThat(t.changes()).as("%s on %s", r, describe(s)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(t.changedAnything()).isEqualTo(!expected.isEmpty());

        List<String> events = new ArrayList<>();
        if (!t.before().stage().equals(t.after().stage())) {
          events.add(STAGE_CHANGED);
        }
        if (!t.before().telemarketingReady() && t.after().telemarketingReady()) {
          events.add(TELEMARKETING_READY);
        }
        if (!t.before().salesReady() && t.after().salesReady()) {
          events.add(SALES_READY);
        }
        if (t.after().status() == LeadStatus.CONVERTED) {
          events.add(CONVERTED);
        }
        if (t.after().status() == LeadStatus.DISQUALIFIED) {
          events.add(DISQUALIFIED);
        }
        assertThat(t.events()).as("%s on %s", r, describe(s)).containsExactlyInAnyOrderElementsOf(events);
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  private static List<ProcessRequest> everyWellFormedRequest() {
    List<ProcessRequest> requests = new ArrayList<>();
    for (ProcessAction action : ProcessFixtures.processActions()) {
      if (action != MOVE) {
        requests.add(wellFormed(action));
      }
    }
    for (String stage : DEFAULT_STAGES) {
      requests.add(move(stage, "by hand"));
    }
    return requests;
  }

  @Test
  void transitionListsAreImmutableCopies() {
    List<Change> changes = new ArrayList<>(List.of(change("stage", "a", "b")));
    List<String> events = new ArrayList<>(List.of(STAGE_CHANGED));
    Transition t = new Transition(INQUIRY, AMQ, changes, events, "x");
    changes.clear();
    events.clear();

    assertThat(t.changes()).hasSize(1);
    assertThat(t.events()).hasSize(1);
    assertThatThrownBy(() -> t.changes().add(change("x", "y", "z"))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.events().add("x")).isInstanceOf(UnsupportedOperationException.class);
    Transition fromMachine = machine.apply(INQUIRY, ProcessRequest.of(FIRST_SCORED));
    assertThatThrownBy(() -> fromMachine.changes().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fromMachine.events().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
