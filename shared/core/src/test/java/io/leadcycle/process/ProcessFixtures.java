package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The states of the default process, written out by hand from DESIGN.md §1 and API.md (not computed
 * with the machine), and small helpers shared by the process tests.
 */
final class ProcessFixtures {

  private ProcessFixtures() {
  }

  static final String INQUIRY_STAGE = "inquiry";
  static final String AMQ_STAGE = "automated_marketing_qualification";
  static final String TMA_STAGE = "telemarketing_acceptance";
  static final String TMQ_STAGE = "telemarketing_qualification";
  static final String SA_STAGE = "sales_acceptance";
  static final List<String> DEFAULT_STAGES = List.of(INQUIRY_STAGE, AMQ_STAGE, TMA_STAGE, TMQ_STAGE, SA_STAGE);

  static final String OWNER = "owner-1";

  // The open states reachable in the default process.
  /** A new lead. */
  static final LeadState INQUIRY = open(INQUIRY_STAGE, false, false, false, false, null);
  /** Scored by a model, waiting for a threshold. */
  static final LeadState AMQ = open(AMQ_STAGE, false, false, false, false, null);
  /** Telemarketing-ready, waiting for a telemarketer. */
  static final LeadState TMA = open(TMA_STAGE, true, false, false, false, null);
  /** Accepted by telemarketing. */
  static final LeadState TMQ = open(TMQ_STAGE, true, true, false, false, null);
  /** Sales-ready without ever touching telemarketing (threshold or by hand from inquiry/scoring). */
  static final LeadState SA = open(SA_STAGE, false, false, true, false, null);
  /** Sales-ready while it waited for telemarketing (skipped telemarketing). */
  static final LeadState SA_FROM_TMA = open(SA_STAGE, true, false, true, false, null);
  /** Sales-ready after the telemarketing call (ready for sales). */
  static final LeadState SA_FROM_TMQ = open(SA_STAGE, true, true, true, false, null);
  static final LeadState ACCEPTED = open(SA_STAGE, false, false, true, true, OWNER);
  static final LeadState ACCEPTED_FROM_TMA = open(SA_STAGE, true, false, true, true, OWNER);
  static final LeadState ACCEPTED_FROM_TMQ = open(SA_STAGE, true, true, true, true, OWNER);

  static final List<LeadState> OPEN_STATES = List.of(INQUIRY, AMQ, TMA, TMQ, SA, SA_FROM_TMA, SA_FROM_TMQ,
      ACCEPTED, ACCEPTED_FROM_TMA, ACCEPTED_FROM_TMQ);
  static final List<LeadState> SALES_READY_NOT_ACCEPTED = List.of(SA, SA_FROM_TMA, SA_FROM_TMQ);
  static final List<LeadState> SALES_ACCEPTED = List.of(ACCEPTED, ACCEPTED_FROM_TMA, ACCEPTED_FROM_TMQ);
  static final List<LeadState> CONVERTED_STATES = SALES_ACCEPTED.stream().map(ProcessFixtures::converted).toList();
  static final List<LeadState> DISQUALIFIED_STATES = OPEN_STATES.stream().map(ProcessFixtures::disqualified).toList();

  static List<LeadState> closedStates() {
    List<LeadState> closed = new ArrayList<>(CONVERTED_STATES);
    closed.addAll(DISQUALIFIED_STATES);
    return closed;
  }

  static List<LeadState> allReachableStates() {
    List<LeadState> all = new ArrayList<>(OPEN_STATES);
    all.addAll(closedStates());
    return all;
  }

  static LeadState open(String stage, boolean tmReady, boolean tmAccepted, boolean salesReady, boolean salesAccepted,
      String owner) {
    return new LeadState(stage, LeadStatus.OPEN, tmReady, tmAccepted, salesReady, salesAccepted, owner);
  }

  static LeadState converted(LeadState s) {
    return withStatus(s, LeadStatus.CONVERTED);
  }

  static LeadState disqualified(LeadState s) {
    return withStatus(s, LeadStatus.DISQUALIFIED);
  }

  static LeadState withStatus(LeadState s, LeadStatus status) {
    return new LeadState(s.stage(), status, s.telemarketingReady(), s.telemarketingAccepted(), s.salesReady(),
        s.salesAccepted(), s.ownerId());
  }

  /** A short readable name of a state, for test display names. */
  static String describe(LeadState s) {
    StringBuilder b = new StringBuilder(s.stage());
    if (s.status() != LeadStatus.OPEN) {
      b.append('/').append(s.status().wireName());
    }
    if (s.telemarketingReady()) {
      b.append("+tmReady");
    }
    if (s.telemarketingAccepted()) {
      b.append("+tmAccepted");
    }
    if (s.salesReady()) {
      b.append("+salesReady");
    }
    if (s.salesAccepted()) {
      b.append("+salesAccepted");
    }
    if (s.ownerId() != null) {
      b.append("(owner=").append(s.ownerId()).append(')');
    }
    return b.toString();
  }

  /** A request that carries every argument its action needs, so that only the lead's state decides. */
  /** The actions that move a lead through the process: assignments leave its state as it is. */
  static List<ProcessAction> processActions() {
    return java.util.Arrays.stream(ProcessAction.values()).filter(a -> !a.isAssignment()).toList();
  }

  static ProcessRequest wellFormed(ProcessAction action) {
    return switch (action) {
      case ACCEPT_SALES -> new ProcessRequest(action, OWNER, null, null);
      case DISQUALIFY -> new ProcessRequest(action, null, null, "no budget");
      case MOVE -> new ProcessRequest(action, null, INQUIRY_STAGE, "by hand");
      case ASSIGN -> new ProcessRequest(action, OWNER, null, null);
      case UNASSIGN -> new ProcessRequest(action, null, null, "on leave");
      default -> ProcessRequest.of(action);
    };
  }

  static ProcessRequest move(String stage, String reason) {
    return new ProcessRequest(ProcessAction.MOVE, null, stage, reason);
  }

  /** The fields of a lead the timeline speaks of, as the strings a {@link Change} carries. */
  static final Map<String, Function<LeadState, String>> FIELDS = fields();

  private static Map<String, Function<LeadState, String>> fields() {
    Map<String, Function<LeadState, String>> f = new LinkedHashMap<>();
    f.put("stage", LeadState::stage);
    f.put("status", s -> s.status().wireName());
    f.put("telemarketingReady", s -> String.valueOf(s.telemarketingReady()));
    f.put("telemarketingAccepted", s -> String.valueOf(s.telemarketingAccepted()));
    f.put("salesReady", s -> String.valueOf(s.salesReady()));
    f.put("salesAccepted", s -> String.valueOf(s.salesAccepted()));
    f.put("ownerId", LeadState::ownerId);
    return Map.copyOf(f);
  }

  /** Asserts that {@code call} throws InvalidInput naming exactly {@code field}, and returns the error. */
  static FieldError assertInvalid(ThrowingCallable call, String field) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected InvalidInput naming %s", field).isInstanceOf(InvalidInput.class);
    InvalidInput e = (InvalidInput) thrown;
    assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
    assertThat(e.errors().get(0).message()).isNotBlank();
    return e.errors().get(0);
  }
}
