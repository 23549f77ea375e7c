package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;

import io.leadcycle.domain.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The five-stage machine as it ran before processes became data ({@link ProcessMachine} runs them now), kept
 * unchanged as the reference: {@code ProcessMachineEquivalenceTest} requires the definition-driven machine on
 * the {@code default} definition to reach the same states, and the process tests written for this machine
 * still pin its behaviour.
 *
 * <p>The rules of the lead business process, as a pure function from (state, action) to a transition.
 *
 * <p>The stage always agrees with the flags (see {@link #isConsistent}): a sales-ready lead is in sales
 * acceptance, a telemarketing-accepted one in telemarketing qualification, a telemarketing-ready one
 * in telemarketing acceptance, any other in inquiry or automated qualification. So "a sales-ready lead
 * skips both telemarketing stages and goes straight to sales acceptance" is {@link #markSalesReady}.
 */
public final class LeadProcessMachine {

  private final LeadProcess process;

  public LeadProcessMachine(LeadProcess process) {
    this.process = process;
  }

  public LeadProcess process() {
    return process;
  }

  /**
   * Applies {@code request} to {@code state}.
   *
   * @throws InvalidInput when an argument is missing or unknown (owner, stage, reason)
   * @throws ProcessConflict when the action does not fit the lead's state
   */
  public Transition apply(LeadState state, ProcessRequest request) {
    ProcessAction action = request.action();
    if (state.status() != LeadStatus.OPEN) {
      throw new ProcessConflict("The lead is " + state.status().wireName() + "; a closed lead takes no more actions.");
    }
    if (process.roleOf(state.stage()).isEmpty() && action != ProcessAction.MOVE) {
      throw new ProcessConflict("The lead is in stage " + state.stage() + ", which process " + process.id()
          + " does not have; move it to one of: " + String.join(", ", process.stageNames()) + ".");
    }
    LeadState after = switch (action) {
      case MARK_TELEMARKETING_READY -> markTelemarketingReady(state);
      case ACCEPT_TELEMARKETING -> acceptTelemarketing(state);
      case READY_FOR_SALES -> readyForSales(state);
      case MARK_SALES_READY -> markSalesReady(state);
      case ACCEPT_SALES -> acceptSales(state, request.ownerId());
      case CONVERT -> convert(state);
      case DISQUALIFY -> disqualify(state, request.reason());
      case MOVE -> move(state, request.stage(), request.reason());
      case FIRST_SCORED -> firstScored(state);
      // Who works the lead is no part of its process state: LeadService records assignments.
      case ASSIGN -> state;
      case UNASSIGN -> {
        requireReason(request.reason());
        yield state;
      }
    };
    if (!isConsistent(after)) {
      throw new IllegalStateException("rule error: " + action + " on " + state + " gave " + after);
    }
    String reason = request.reason() != null && !request.reason().isBlank() ? request.reason().strip() : action.wireName();
    return new Transition(state, after, changes(state, after), events(state, after), reason);
  }

  private LeadState markTelemarketingReady(LeadState s) {
    if (s.salesReady()) {
      throw new ProcessConflict("The lead is already sales-ready; a sales-ready lead skips telemarketing.");
    }
    if (s.telemarketingReady()) {
      throw new ProcessConflict("The lead is already telemarketing-ready.");
    }
    return with(s, StageRole.TELEMARKETING_ACCEPTANCE, true, false, false, false, null);
  }

  private LeadState acceptTelemarketing(LeadState s) {
    requireRole(s, StageRole.TELEMARKETING_ACCEPTANCE, "Only a lead in %s can be accepted by telemarketing");
    return with(s, StageRole.TELEMARKETING_QUALIFICATION, true, true, false, false, null);
  }

  private LeadState readyForSales(LeadState s) {
    requireRole(s, StageRole.TELEMARKETING_QUALIFICATION, "Only a lead in %s can be made ready for sales");
    return with(s, StageRole.SALES_ACCEPTANCE, true, true, true, false, null);
  }

  /** By hand or by a scoring threshold: straight to sales acceptance, skipping telemarketing. */
  private LeadState markSalesReady(LeadState s) {
    if (s.salesReady()) {
      throw new ProcessConflict("The lead is already sales-ready.");
    }
    return with(s, StageRole.SALES_ACCEPTANCE, s.telemarketingReady(), s.telemarketingAccepted(), true, false, null);
  }

  private LeadState acceptSales(LeadState s, String ownerId) {
    if (ownerId == null || ownerId.isBlank()) {
      throw new InvalidInput("ownerId", "required: the salesperson who will own the lead");
    }
    if (!s.salesReady()) {
      throw new ProcessConflict("The lead is not sales-ready; sales accepts only sales-ready leads.");
    }
    if (s.salesAccepted()) {
      throw new ProcessConflict("The lead is already accepted by sales (owner " + s.ownerId() + ").");
    }
    return new LeadState(s.stage(), s.status(), s.telemarketingReady(), s.telemarketingAccepted(), true, true,
        ownerId.strip());
  }

  private LeadState convert(LeadState s) {
    if (!s.salesAccepted()) {
      throw new ProcessConflict("Only a lead accepted by sales can be converted into an opportunity.");
    }
    return withStatus(s, LeadStatus.CONVERTED);
  }

  private LeadState disqualify(LeadState s, String reason) {
    requireReason(reason);
    return withStatus(s, LeadStatus.DISQUALIFIED);
  }

  /**
   * Sets any stage by hand. The flags follow the stage so that they never contradict it: moving forward
   * sets what the target stage implies, moving back clears what belongs to later stages.
   */
  private LeadState move(LeadState s, String stage, String reason) {
    if (stage == null || stage.isBlank()) {
      throw new InvalidInput("stage", "required, one of: " + String.join(", ", process.stageNames()));
    }
    StageRole role = process.roleOf(stage).orElseThrow(() ->
        new InvalidInput("stage", "one of: " + String.join(", ", process.stageNames())));
    requireReason(reason);
    if (stage.equals(s.stage())) {
      throw new ProcessConflict("The lead is already in " + stage + ".");
    }
    return switch (role) {
      case INQUIRY, AUTOMATED_QUALIFICATION -> new LeadState(stage, s.status(), false, false, false, false, null);
      case TELEMARKETING_ACCEPTANCE -> with(s, role, true, false, false, false, null);
      case TELEMARKETING_QUALIFICATION -> with(s, role, true, true, false, false, null);
      case SALES_ACCEPTANCE -> with(s, role, s.telemarketingReady(), s.telemarketingAccepted(), true, false, null);
    };
  }

  /** Inquiry moves on to automated qualification when a model first scores the lead; later stages stay. */
  private LeadState firstScored(LeadState s) {
    if (process.roleOf(s.stage()).orElseThrow() != StageRole.INQUIRY) {
      return s;
    }
    return with(s, StageRole.AUTOMATED_QUALIFICATION, false, false, false, false, null);
  }

  /**
   * The invariants no sequence of actions may break: the stage exists and agrees with the flags,
   * acceptance needs readiness, sales acceptance needs an owner (and only it has one), and only
   * a lead accepted by sales can be converted.
   */
  public boolean isConsistent(LeadState s) {
    StageRole role = process.roleOf(s.stage()).orElse(null);
    if (role == null || s.status() == null) {
      return false;
    }
    boolean roleMatchesFlags = switch (role) {
      case SALES_ACCEPTANCE -> s.salesReady();
      case TELEMARKETING_QUALIFICATION -> !s.salesReady() && s.telemarketingReady() && s.telemarketingAccepted();
      case TELEMARKETING_ACCEPTANCE -> !s.salesReady() && s.telemarketingReady() && !s.telemarketingAccepted();
      case INQUIRY, AUTOMATED_QUALIFICATION -> !s.salesReady() && !s.telemarketingReady() && !s.telemarketingAccepted();
    };
    return roleMatchesFlags
        && (!s.telemarketingAccepted() || s.telemarketingReady())
        && (!s.salesAccepted() || s.salesReady())
        && (s.salesAccepted() == (s.ownerId() != null && !s.ownerId().isBlank()))
        && (s.ownerId() == null || !s.ownerId().isBlank())
        && (s.status() != LeadStatus.CONVERTED || s.salesAccepted());
  }

  private void requireRole(LeadState s, StageRole role, String message) {
    if (process.roleOf(s.stage()).orElseThrow() != role) {
      throw new ProcessConflict(String.format(message, process.stageFor(role)) + "; the lead is in " + s.stage() + ".");
    }
  }

  private static void requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new InvalidInput("reason", "required: say why, it is kept on the lead's timeline");
    }
  }

  private LeadState with(LeadState s, StageRole role, boolean tmReady, boolean tmAccepted, boolean salesReady,
      boolean salesAccepted, String ownerId) {
    return new LeadState(process.stageFor(role), s.status(), tmReady, tmAccepted, salesReady, salesAccepted, ownerId);
  }

  private static LeadState withStatus(LeadState s, LeadStatus status) {
    return new LeadState(s.stage(), status, s.telemarketingReady(), s.telemarketingAccepted(), s.salesReady(),
        s.salesAccepted(), s.ownerId());
  }

  private static List<Change> changes(LeadState a, LeadState b) {
    List<Change> changes = new ArrayList<>();
    diff(changes, "stage", a.stage(), b.stage());
    diff(changes, "status", a.status().wireName(), b.status().wireName());
    diff(changes, "telemarketingReady", a.telemarketingReady(), b.telemarketingReady());
    diff(changes, "telemarketingAccepted", a.telemarketingAccepted(), b.telemarketingAccepted());
    diff(changes, "salesReady", a.salesReady(), b.salesReady());
    diff(changes, "salesAccepted", a.salesAccepted(), b.salesAccepted());
    diff(changes, "ownerId", a.ownerId(), b.ownerId());
    return changes;
  }

  private static void diff(List<Change> changes, String field, Object from, Object to) {
    if (!Objects.equals(from, to)) {
      changes.add(new Change(field, from == null ? null : from.toString(), to == null ? null : to.toString()));
    }
  }

  private static List<String> events(LeadState a, LeadState b) {
    List<String> events = new ArrayList<>();
    if (!a.stage().equals(b.stage())) {
      events.add(Transition.STAGE_CHANGED);
    }
    if (!a.telemarketingReady() && b.telemarketingReady()) {
      events.add(Transition.TELEMARKETING_READY);
    }
    if (!a.salesReady() && b.salesReady()) {
      events.add(Transition.SALES_READY);
    }
    if (a.status() != b.status() && b.status() == LeadStatus.CONVERTED) {
      events.add(Transition.CONVERTED);
    }
    if (a.status() != b.status() && b.status() == LeadStatus.DISQUALIFIED) {
      events.add(Transition.DISQUALIFIED);
    }
    return events;
  }
}
