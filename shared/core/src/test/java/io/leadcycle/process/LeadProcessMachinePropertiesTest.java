package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.domain.InvalidInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of actions (with missing, blank and unknown arguments) from a new lead, in the default
 * process and in a renamed, reordered one. Rejected actions (ProcessConflict, InvalidInput) are skipped;
 * any other exception fails the property. After every step the invariants of DESIGN.md §1 are checked
 * independently of {@link LeadProcessMachine#isConsistent} as well as with it.
 */
class LeadProcessMachinePropertiesTest {

  private static final int TRIES = 1000;

  private static final LeadProcess CUSTOM = CustomLeadProcessTest.CUSTOM;

  // ---------------------------------------------------------------------------------------------------------------
  // Generators

  /** A process and a random sequence of requests for it (stage names mostly from that process). */
  record Scenario(LeadProcess process, List<ProcessRequest> requests) {
    LeadProcessMachine machine() {
      return new LeadProcessMachine(process);
    }

    @Override
    public String toString() {
      return process.id() + " " + requests;
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Arbitraries.of(LeadProcess.DEFAULT, CUSTOM).flatMap(process ->
        requests(stages(process)).list().ofMinSize(0).ofMaxSize(30).map(list -> new Scenario(process, list)));
  }

  /** Requests for any process: any known or unknown stage name. */
  @Provide
  Arbitrary<List<ProcessRequest>> sequences() {
    return requests(stages(null)).list().ofMinSize(0).ofMaxSize(30);
  }

  private static Arbitrary<ProcessRequest> requests(Arbitrary<String> stages) {
    return Combinators.combine(actions(), owners(), stages, reasons()).as(ProcessRequest::new);
  }

  /** Every action, closing ones less often so that walks get deep into the process before they end. */
  private static Arbitrary<ProcessAction> actions() {
    return Arbitraries.frequency(
        Tuple.of(3, ProcessAction.MARK_TELEMARKETING_READY),
        Tuple.of(4, ProcessAction.ACCEPT_TELEMARKETING),
        Tuple.of(4, ProcessAction.READY_FOR_SALES),
        Tuple.of(2, ProcessAction.MARK_SALES_READY),
        Tuple.of(3, ProcessAction.ACCEPT_SALES),
        Tuple.of(2, ProcessAction.CONVERT),
        Tuple.of(1, ProcessAction.DISQUALIFY),
        Tuple.of(3, ProcessAction.MOVE),
        Tuple.of(2, ProcessAction.FIRST_SCORED));
  }

  private static Arbitrary<String> owners() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("owner-1", "rep-2", "  rep-3 ")),
        Tuple.of(2, Arbitraries.of("", " ", "\t\n")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(6))).injectNull(0.15);
  }

  /** Mostly the stages of {@code process}, sometimes another process's, odd spellings, blanks and noise. */
  private static Arbitrary<String> stages(LeadProcess process) {
    Set<String> all = new LinkedHashSet<>(LeadProcess.DEFAULT.stageNames());
    all.addAll(CUSTOM.stageNames());
    List<String> own = process == null ? List.copyOf(all) : process.stageNames();
    return Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of(own)),
        Tuple.of(1, Arbitraries.of(List.copyOf(all))),
        Tuple.of(2, Arbitraries.of("", "  ", "unknown", "Inquiry", " sales_acceptance", "sales ", "SALES")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(10))).injectNull(0.05);
  }

  private static Arbitrary<String> reasons() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("because", "  score reached 70 ", "customer asked")),
        Tuple.of(2, Arbitraries.of("", "   ", "\n")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(12))).injectNull(0.2);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Stepping

  /** One step: the transition, or the rejection. Anything but ProcessConflict or InvalidInput propagates. */
  record Step(Transition transition, RuntimeException rejection) {
    boolean ok() {
      return transition != null;
    }

    String outcome() {
      return ok() ? "ok" : rejection.getClass().getSimpleName();
    }
  }

  private static Step step(LeadProcessMachine machine, LeadState state, ProcessRequest request) {
    try {
      return new Step(machine.apply(state, request), null);
    } catch (ProcessConflict | InvalidInput rejected) {
      return new Step(null, rejected);
    }
  }

  /** Walks {@code requests} from a new lead and returns every state visited, the new lead first. */
  private static List<LeadState> walk(LeadProcessMachine machine, List<ProcessRequest> requests) {
    List<LeadState> states = new ArrayList<>();
    LeadState state = machine.process().newLeadState();
    states.add(state);
    for (ProcessRequest r : requests) {
      Step step = step(machine, state, r);
      if (step.ok()) {
        state = step.transition().after();
      }
      states.add(state);
    }
    return states;
  }

  private static LeadState copyOf(LeadState s) {
    return new LeadState(s.stage() == null ? null : new String(s.stage()), s.status(), s.telemarketingReady(),
        s.telemarketingAccepted(), s.salesReady(), s.salesAccepted(), s.ownerId() == null ? null : new String(s.ownerId()));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The invariants, written from the design (not from the machine)

  private static void assertInvariants(LeadProcessMachine machine, LeadState s) {
    LeadProcess process = machine.process();
    assertThat(machine.isConsistent(s)).as("isConsistent(%s)", s).isTrue();
    assertThat(s.status()).isNotNull();
    assertThat(process.stageNames()).as("stage of %s", s).contains(s.stage());
    StageRole role = process.roleOf(s.stage()).orElseThrow();

    // a lead never reaches sales acceptance without being sales-ready, and a sales-ready lead is there
    assertThat(role == StageRole.SALES_ACCEPTANCE).as("in sales acceptance <=> salesReady: %s", s)
        .isEqualTo(s.salesReady());
    // the telemarketing stages agree with the telemarketing flags
    if (role == StageRole.TELEMARKETING_ACCEPTANCE) {
      assertThat(s.telemarketingReady() && !s.telemarketingAccepted()).as("%s", s).isTrue();
    }
    if (role == StageRole.TELEMARKETING_QUALIFICATION) {
      assertThat(s.telemarketingReady() && s.telemarketingAccepted()).as("%s", s).isTrue();
    }
    if (role == StageRole.INQUIRY || role == StageRole.AUTOMATED_QUALIFICATION) {
      assertThat(s.telemarketingReady() || s.telemarketingAccepted()).as("%s", s).isFalse();
    }
    // acceptance needs readiness
    if (s.telemarketingAccepted()) {
      assertThat(s.telemarketingReady()).as("telemarketingAccepted => telemarketingReady: %s", s).isTrue();
    }
    if (s.salesAccepted()) {
      assertThat(s.salesReady()).as("salesAccepted => salesReady: %s", s).isTrue();
      assertThat(s.ownerId()).as("salesAccepted => owner: %s", s).isNotBlank();
      assertThat(s.ownerId()).as("owner is stripped: %s", s).isEqualTo(s.ownerId().strip());
    } else {
      assertThat(s.ownerId()).as("only an accepted lead has an owner: %s", s).isNull();
    }
    // only a lead accepted by sales is converted
    if (s.status() == LeadStatus.CONVERTED) {
      assertThat(s.salesAccepted()).as("converted => accepted by sales: %s", s).isTrue();
    }
  }

  private static void assertTransitionDescribesItself(Transition t, LeadState before, ProcessRequest r) {
    assertThat(t.before()).isEqualTo(before);
    Map<String, Function<LeadState, String>> fields = ProcessFixtures.FIELDS;
    Set<String> changed = new HashSet<>();
    for (Change c : t.changes()) {
      assertThat(fields).as("known field %s", c.field()).containsKey(c.field());
      assertThat(changed.add(c.field())).as("one change per field: %s", t.changes()).isTrue();
      assertThat(c.from()).as("from of %s", c).isEqualTo(fields.get(c.field()).apply(t.before()));
      assertThat(c.to()).as("to of %s", c).isEqualTo(fields.get(c.field()).apply(t.after()));
      assertThat(c.from()).as("a change changes: %s", c).isNotEqualTo(c.to());
    }
    for (Map.Entry<String, Function<LeadState, String>> f : fields.entrySet()) {
      boolean differs = !Objects.equals(f.getValue().apply(t.before()), f.getValue().apply(t.after()));
      assertThat(changed.contains(f.getKey())).as("%s changed from %s to %s", f.getKey(), t.before(), t.after())
          .isEqualTo(differs);
    }
    assertThat(t.changedAnything()).isEqualTo(!t.changes().isEmpty());

    List<String> events = new ArrayList<>();
    if (!t.before().stage().equals(t.after().stage())) {
      events.add(Transition.STAGE_CHANGED);
    }
    if (!t.before().telemarketingReady() && t.after().telemarketingReady()) {
      events.add(Transition.TELEMARKETING_READY);
    }
    if (!t.before().salesReady() && t.after().salesReady()) {
      events.add(Transition.SALES_READY);
    }
    if (t.before().status() != LeadStatus.CONVERTED && t.after().status() == LeadStatus.CONVERTED) {
      events.add(Transition.CONVERTED);
    }
    if (t.before().status() != LeadStatus.DISQUALIFIED && t.after().status() == LeadStatus.DISQUALIFIED) {
      events.add(Transition.DISQUALIFIED);
    }
    assertThat(t.events()).as("events of %s -> %s", t.before(), t.after()).containsExactlyInAnyOrderElementsOf(events);

    String expectedReason = r.reason() == null || r.reason().isBlank() ? r.action().wireName() : r.reason().strip();
    assertThat(t.reason()).isEqualTo(expectedReason);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Properties

  @Property(tries = TRIES)
  void invariantsHoldAfterEveryStep(@ForAll("scenarios") Scenario scenario) {
    LeadProcess process = scenario.process();
    List<ProcessRequest> requests = scenario.requests();
    LeadProcessMachine machine = scenario.machine();
    LeadState state = process.newLeadState();
    assertInvariants(machine, state);
    for (ProcessRequest r : requests) {
      Step step = step(machine, state, r);
      Statistics.label("outcome of " + r.action().wireName()).collect(step.outcome());
      if (step.ok()) {
        state = step.transition().after();
      }
      assertInvariants(machine, state);
    }
    Statistics.label("last status").collect(state.status());
    Statistics.label("last role").collect(process.roleOf(state.stage()).orElseThrow());
    Statistics.label("last status").coverage(c -> {
      c.check(LeadStatus.CONVERTED).percentage(p -> p >= 1.0);
      c.check(LeadStatus.DISQUALIFIED).percentage(p -> p >= 5.0);
      c.check(LeadStatus.OPEN).percentage(p -> p >= 5.0);
    });
    for (ProcessAction action : ProcessFixtures.processActions()) {
      Statistics.label("outcome of " + action.wireName()).coverage(c -> c.check("ok").count(n -> n > 0));
    }
  }

  @Property(tries = TRIES)
  void everyTransitionDescribesExactlyItsChangesAndEvents(@ForAll("scenarios") Scenario scenario) {
    LeadProcess process = scenario.process();
    List<ProcessRequest> requests = scenario.requests();
    LeadProcessMachine machine = scenario.machine();
    LeadState state = process.newLeadState();
    for (ProcessRequest r : requests) {
      Step step = step(machine, state, r);
      if (step.ok()) {
        assertTransitionDescribesItself(step.transition(), state, r);
        state = step.transition().after();
      }
    }
  }

  @Property(tries = TRIES)
  void onceConvertedOrDisqualifiedNothingChangesAnyMore(@ForAll("scenarios") Scenario scenario,
      @ForAll boolean convertIfPossible, @ForAll("sequences") List<ProcessRequest> after) {
    List<ProcessRequest> before = scenario.requests();
    LeadProcessMachine machine = scenario.machine();
    List<LeadState> visited = walk(machine, before);
    LeadState state = visited.get(visited.size() - 1);
    // a closed lead met during the walk stays exactly as it was closed
    LeadState firstClosed = visited.stream().filter(s -> s.status() != LeadStatus.OPEN).findFirst().orElse(null);
    if (firstClosed != null) {
      assertThat(state).isEqualTo(firstClosed);
    } else {
      ProcessRequest close = convertIfPossible && state.salesAccepted()
          ? ProcessRequest.of(ProcessAction.CONVERT)
          : new ProcessRequest(ProcessAction.DISQUALIFY, null, null, "not interested");
      state = machine.apply(state, close).after();
    }
    Statistics.label("closed as").collect(state.status());
    LeadState closed = copyOf(state);

    for (ProcessRequest r : after) {
      LeadState s = state;
      Throwable thrown = catchThrowable(() -> machine.apply(s, r));
      assertThat(thrown).as("%s on closed %s", r, state).isInstanceOf(ProcessConflict.class);
      assertThat(thrown.getMessage()).contains(state.status().wireName());
      assertThat(state).isEqualTo(closed);
    }
    for (ProcessAction action : ProcessFixtures.processActions()) {
      LeadState s = state;
      assertThat(catchThrowable(() -> machine.apply(s, ProcessFixtures.wellFormed(action))))
          .isInstanceOf(ProcessConflict.class);
    }
  }

  @Property(tries = TRIES)
  void theMachineIsPureAndAFailedActionLeavesTheStateUnchanged(@ForAll("scenarios") Scenario scenario) {
    LeadProcess process = scenario.process();
    List<ProcessRequest> requests = scenario.requests();
    LeadProcessMachine machine = scenario.machine();
    LeadProcessMachine other = scenario.machine();
    LeadState state = process.newLeadState();
    for (ProcessRequest r : requests) {
      LeadState snapshot = copyOf(state);
      Step first = step(machine, state, r);
      Step again = step(machine, copyOf(state), r);
      Step elsewhere = step(other, state, r);

      assertThat(state).as("the input state is not touched").isEqualTo(snapshot);
      Statistics.label("outcome").collect(first.outcome());
      if (first.ok()) {
        assertThat(again.transition()).isEqualTo(first.transition());
        assertThat(elsewhere.transition()).isEqualTo(first.transition());
        state = first.transition().after();
      } else {
        for (Step same : List.of(again, elsewhere)) {
          assertThat(same.ok()).as("%s on %s failed once, must fail always", r, state).isFalse();
          assertThat(same.rejection()).hasSameClassAs(first.rejection())
              .hasMessage(first.rejection().getMessage());
          if (first.rejection() instanceof InvalidInput invalid) {
            assertThat(((InvalidInput) same.rejection()).errors()).isEqualTo(invalid.errors());
          }
        }
        // the next action sees the lead exactly as before the failed one
        assertThat(state).isEqualTo(snapshot);
      }
    }
  }

  /** Only a move by hand goes backwards: every other action keeps the lead's flags, owner and stage order. */
  @Property(tries = TRIES)
  void onlyMoveGoesBackwards(@ForAll("scenarios") Scenario scenario) {
    LeadProcess process = scenario.process();
    List<ProcessRequest> requests = scenario.requests();
    LeadProcessMachine machine = scenario.machine();
    LeadState state = process.newLeadState();
    for (ProcessRequest r : requests) {
      Step step = step(machine, state, r);
      if (!step.ok()) {
        continue;
      }
      LeadState a = state;
      LeadState b = step.transition().after();
      if (r.action() != ProcessAction.MOVE) {
        assertThat(!a.telemarketingReady() || b.telemarketingReady()).as("%s: %s -> %s", r, a, b).isTrue();
        assertThat(!a.telemarketingAccepted() || b.telemarketingAccepted()).as("%s: %s -> %s", r, a, b).isTrue();
        assertThat(!a.salesReady() || b.salesReady()).as("%s: %s -> %s", r, a, b).isTrue();
        assertThat(!a.salesAccepted() || b.salesAccepted()).as("%s: %s -> %s", r, a, b).isTrue();
        if (a.ownerId() != null) {
          assertThat(b.ownerId()).isEqualTo(a.ownerId());
        }
        int roleBefore = process.roleOf(a.stage()).orElseThrow().ordinal();
        int roleAfter = process.roleOf(b.stage()).orElseThrow().ordinal();
        assertThat(roleAfter).as("%s: %s -> %s", r, a, b).isGreaterThanOrEqualTo(roleBefore);
      } else {
        assertThat(b.stage()).isEqualTo(r.stage());
        assertThat(r.reason()).isNotBlank();
        assertThat(b.status()).isEqualTo(LeadStatus.OPEN);
        assertThat(b.salesAccepted()).as("a move never accepts for sales").isFalse();
      }
      if (r.action() != ProcessAction.CONVERT && r.action() != ProcessAction.DISQUALIFY) {
        assertThat(b.status()).isEqualTo(LeadStatus.OPEN);
      }
      state = b;
    }
  }

  /**
   * From any reachable open lead, the readiness actions do what the flags say, whatever path led there:
   * mark-sales-ready skips telemarketing, accept-sales needs sales-ready once, convert needs accepted,
   * first-scored only moves an inquiry on.
   */
  @Property(tries = TRIES)
  void theReadinessRulesHoldFromEveryReachableLead(@ForAll("scenarios") Scenario scenario) {
    LeadProcess process = scenario.process();
    List<ProcessRequest> requests = scenario.requests();
    LeadProcessMachine machine = scenario.machine();
    List<LeadState> visited = walk(machine, requests);
    LeadState s = visited.get(visited.size() - 1);
    if (s.status() != LeadStatus.OPEN) {
      return;
    }
    StageRole role = process.roleOf(s.stage()).orElseThrow();
    Statistics.label("role").collect(role, s.salesAccepted() ? "accepted" : "-");

    Step salesReady = step(machine, s, ProcessRequest.of(ProcessAction.MARK_SALES_READY));
    assertThat(salesReady.ok()).isEqualTo(!s.salesReady());
    if (salesReady.ok()) {
      LeadState after = salesReady.transition().after();
      assertThat(after.stage()).isEqualTo(process.stageFor(StageRole.SALES_ACCEPTANCE));
      assertThat(after.salesReady()).isTrue();
      assertThat(after.telemarketingReady()).isEqualTo(s.telemarketingReady());
      assertThat(after.telemarketingAccepted()).isEqualTo(s.telemarketingAccepted());
    }

    Step tmReady = step(machine, s, ProcessRequest.of(ProcessAction.MARK_TELEMARKETING_READY));
    assertThat(tmReady.ok()).isEqualTo(!s.salesReady() && !s.telemarketingReady());
    if (tmReady.ok()) {
      assertThat(tmReady.transition().after().stage()).isEqualTo(process.stageFor(StageRole.TELEMARKETING_ACCEPTANCE));
    }

    Step acceptTm = step(machine, s, ProcessRequest.of(ProcessAction.ACCEPT_TELEMARKETING));
    assertThat(acceptTm.ok()).isEqualTo(role == StageRole.TELEMARKETING_ACCEPTANCE);

    Step readyForSales = step(machine, s, ProcessRequest.of(ProcessAction.READY_FOR_SALES));
    assertThat(readyForSales.ok()).isEqualTo(role == StageRole.TELEMARKETING_QUALIFICATION);

    Step accept = step(machine, s, new ProcessRequest(ProcessAction.ACCEPT_SALES, " rep-9 ", null, null));
    assertThat(accept.ok()).isEqualTo(s.salesReady() && !s.salesAccepted());
    if (accept.ok()) {
      assertThat(accept.transition().after().ownerId()).isEqualTo("rep-9");
      assertThat(accept.transition().after().stage()).isEqualTo(s.stage());
    }

    Step convert = step(machine, s, ProcessRequest.of(ProcessAction.CONVERT));
    assertThat(convert.ok()).isEqualTo(s.salesAccepted());

    Step disqualify = step(machine, s, new ProcessRequest(ProcessAction.DISQUALIFY, null, null, "spam"));
    assertThat(disqualify.ok()).isTrue();

    Step scored = step(machine, s, ProcessRequest.of(ProcessAction.FIRST_SCORED));
    assertThat(scored.ok()).isTrue();
    if (role == StageRole.INQUIRY) {
      assertThat(scored.transition().after().stage()).isEqualTo(process.stageFor(StageRole.AUTOMATED_QUALIFICATION));
    } else {
      assertThat(scored.transition().after()).isEqualTo(s);
      assertThat(scored.transition().changes()).isEmpty();
      assertThat(scored.transition().events()).isEmpty();
    }

    for (String target : process.stageNames()) {
      Step move = step(machine, s, new ProcessRequest(ProcessAction.MOVE, null, target, "by hand"));
      assertThat(move.ok()).isEqualTo(!target.equals(s.stage()));
      if (!move.ok()) {
        assertThat(move.rejection()).isInstanceOf(ProcessConflict.class);
      }
    }
  }
}
