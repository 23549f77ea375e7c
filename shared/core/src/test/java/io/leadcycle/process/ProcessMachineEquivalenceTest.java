package io.leadcycle.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.LeadState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The shipped process did not change when processes became data: random action sequences (with missing, blank
 * and unknown arguments) run through the five-stage machine ({@link LeadProcessMachine}, kept as it was) and
 * through {@link ProcessMachine} on the {@code default} definition give the same transitions — the same states,
 * changes, events and reasons — and the same rejections with the same words, step by step.
 */
class ProcessMachineEquivalenceTest {

  private static final LeadProcessMachine FIVE_STAGES = new LeadProcessMachine(LeadProcess.DEFAULT);
  private static final ProcessMachine DEFINED = new ProcessMachine(ProcessVersion.DEFAULT);

  @Provide
  Arbitrary<List<ProcessRequest>> sequences() {
    Arbitrary<ProcessAction> actions = Arbitraries.frequency(
        Tuple.of(3, ProcessAction.MARK_TELEMARKETING_READY),
        Tuple.of(4, ProcessAction.ACCEPT_TELEMARKETING),
        Tuple.of(4, ProcessAction.READY_FOR_SALES),
        Tuple.of(2, ProcessAction.MARK_SALES_READY),
        Tuple.of(3, ProcessAction.ACCEPT_SALES),
        Tuple.of(2, ProcessAction.CONVERT),
        Tuple.of(1, ProcessAction.DISQUALIFY),
        Tuple.of(4, ProcessAction.MOVE),
        Tuple.of(2, ProcessAction.FIRST_SCORED),
        Tuple.of(1, ProcessAction.ASSIGN),
        Tuple.of(1, ProcessAction.UNASSIGN));
    Arbitrary<String> owners = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("owner-1", " rep-2 ")),
        Tuple.of(1, Arbitraries.of("", "  ")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(5))).injectNull(0.15);
    Arbitrary<String> stages = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of(LeadProcess.DEFAULT.stageNames())),
        Tuple.of(2, Arbitraries.of("", " ", "unknown", "Inquiry", "sales ", "tm-call")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(8))).injectNull(0.05);
    Arbitrary<String> reasons = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("because", "  score reached 70 ")),
        Tuple.of(2, Arbitraries.of("", "  ")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(10))).injectNull(0.2);
    return Combinators.combine(actions, owners, stages, reasons).as(ProcessRequest::new).list().ofMaxSize(40);
  }

  /** One step's outcome, comparable across the two machines. */
  record Outcome(Transition transition, Class<?> rejection, String message) {
  }

  private static Outcome outcome(java.util.function.Supplier<Transition> step) {
    try {
      return new Outcome(step.get(), null, null);
    } catch (ProcessConflict | InvalidInput rejected) {
      String message = rejected instanceof InvalidInput invalid && !invalid.errors().isEmpty()
          ? invalid.errors().toString() : rejected.getMessage();
      return new Outcome(null, rejected.getClass(), message);
    }
  }

  @Property(tries = 2000)
  void theDefaultDefinitionRunsExactlyAsTheFiveStageMachine(@ForAll("sequences") List<ProcessRequest> requests) {
    LeadState old = LeadProcess.DEFAULT.newLeadState();
    LeadState defined = ProcessVersion.DEFAULT.newLeadState();
    assertThat(defined).isEqualTo(old);
    List<String> path = new ArrayList<>();
    for (ProcessRequest request : requests) {
      LeadState before = old;
      Outcome expected = outcome(() -> FIVE_STAGES.apply(before, request));
      LeadState definedBefore = defined;
      Outcome actual = outcome(() -> DEFINED.apply(definedBefore, request));
      path.add(request.action().wireName());
      assertThat(actual).as("after %s", path).isEqualTo(expected);
      if (expected.transition() != null) {
        old = expected.transition().after();
        defined = actual.transition().after();
      }
      assertThat(DEFINED.isConsistent(defined)).isEqualTo(FIVE_STAGES.isConsistent(old)).isTrue();
    }
    Statistics.label("final stage").collect(old.stage() + " " + old.status());
  }

  @Property(tries = 500)
  void bothMachinesJudgeAnyStateAlike(@ForAll("states") LeadState state) {
    assertThat(DEFINED.isConsistent(state)).as("%s", state).isEqualTo(FIVE_STAGES.isConsistent(state));
  }

  @Provide
  Arbitrary<LeadState> states() {
    return Combinators.combine(
        Arbitraries.of(LeadProcess.DEFAULT.stageNames()).injectNull(0.05),
        Arbitraries.of(io.leadcycle.domain.LeadStatus.class),
        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
        Arbitraries.of(true, false), Arbitraries.of("owner-1", " ").injectNull(0.5))
        .as(LeadState::new);
  }

  @Property(tries = 200)
  void theDefaultDefinitionHasNoRequiredFieldsSoEveryStageButTheLastCompletes(
      @ForAll("sequences") List<ProcessRequest> requests) {
    LeadState state = ProcessVersion.DEFAULT.newLeadState();
    for (ProcessRequest request : requests) {
      try {
        state = DEFINED.apply(state, request).after();
      } catch (ProcessConflict | InvalidInput rejected) {
        // as the five-stage machine rejects it (above)
      }
    }
    LeadState reached = state;
    Outcome completed = outcome(() -> DEFINED.completeStage(reached, Map.of(), null));
    if (completed.transition() != null) {
      assertThat(ProcessVersion.DEFAULT.indexOf(completed.transition().after().stage()))
          .isEqualTo(ProcessVersion.DEFAULT.indexOf(reached.stage()) + 1);
      assertThat(DEFINED.isConsistent(completed.transition().after())).isTrue();
    } else {
      assertThat(completed.message()).satisfiesAnyOf(
          m -> assertThat(m).contains("closed lead"),
          m -> assertThat(m).contains("Sales has not accepted"),
          m -> assertThat(m).contains("last stage"));
    }
  }
}
