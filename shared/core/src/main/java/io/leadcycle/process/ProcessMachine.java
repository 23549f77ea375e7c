package io.leadcycle.process;

import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of the lead business process on one process version, as pure functions from (state, action) to a
 * transition. The rules speak of roles: a first score moves the {@code inquiry} stage on, sales-ready jumps
 * to the {@code sales_acceptance} stage, the telemarketing actions act on their roles' stages, wherever the
 * process lists them and whatever it calls them. A custom stage is entered and left only by hand
 * ({@link #completeStage}, {@code move}).
 *
 * <p>The stage always agrees with the flags ({@link #isConsistent}): a built-in stage as the five-stage
 * process always had it (a sales-ready lead is in sales acceptance, a telemarketing-accepted one in
 * telemarketing qualification, …); a custom stage as the nearest built-in stage before it
 * ({@link ProcessVersion#flagsRole}). On the {@code default} definition this machine does exactly what the
 * five-stage machine did (ProcessMachineEquivalenceTest).
 */
public final class ProcessMachine {

  /** What {@link #completeStage} is called on the wire and written on the timeline when no reason is given. */
  public static final String COMPLETE_STAGE = "complete-stage";
  /** What {@link #switchProcess} is called on the wire. */
  public static final String SWITCH_PROCESS = "switch-process";

  private final ProcessVersion process;

  public ProcessMachine(ProcessVersion process) {
    this.process = process;
  }

  public ProcessVersion process() {
    return process;
  }

  /**
   * Applies {@code request} to {@code state}.
   *
   * @throws InvalidInput when an argument is missing or unknown (owner, stage, reason)
   * @throws ProcessConflict when the action does not fit the lead's state or its process
   */
  public Transition apply(LeadState state, ProcessRequest request) {
    ProcessAction action = request.action();
    requireOpen(state);
    if (action != ProcessAction.MOVE) {
      requireKnownStage(state);
    }
    LeadState after = switch (action) {
      case MARK_TELEMARKETING_READY -> markTelemarketingReady(state);
      case ACCEPT_TELEMARKETING -> acceptTelemarketing(state);
      case READY_FOR_SALES -> readyForSales(state);
      case MARK_SALES_READY -> markSalesReady(state);
      case ACCEPT_SALES -> acceptSales(state, request.ownerId());
      case CONVERT -> withStatus(requireSalesAccepted(state), LeadStatus.CONVERTED);
      case DISQUALIFY -> {
        requireReason(request.reason());
        yield withStatus(state, LeadStatus.DISQUALIFIED);
      }
      case MOVE -> move(state, request.stage(), request.reason());
      case FIRST_SCORED -> firstScored(state);
      // Who works the lead is no part of its process state: LeadService records assignments.
      case ASSIGN -> state;
      case UNASSIGN -> {
        requireReason(request.reason());
        yield state;
      }
    };
    return transition(state, after, reason(request.reason(), action.wireName()));
  }

  /**
   * "Complete stage": the lead's stage is done, the next one in the process becomes its stage. Refused while a
   * field the stage requires to complete is empty in {@code stageFields} (the lead's values, by stage name,
   * then field name), naming every missing one; refused in the last stage (the lead is converted or
   * disqualified there) and in sales acceptance until sales has accepted the lead (accept-sales names its owner).
   */
  public Transition completeStage(LeadState state, Map<String, Map<String, Object>> stageFields, String reason) {
    requireOpen(state);
    StageDefinition stage = requireKnownStage(state);
    List<String> missing = StageFieldValues.missingToComplete(stage, stageFields.get(stage.name()));
    if (!missing.isEmpty()) {
      throw new ProcessConflict("The stage " + stage.name() + " cannot be completed yet: fill in "
          + String.join(", ", missing) + ".", missing);
    }
    if (stage.role() == StageRole.SALES_ACCEPTANCE && !state.salesAccepted()) {
      throw new ProcessConflict("Sales has not accepted the lead yet: accept it (accept-sales names its owner), "
          + "then complete " + stage.name() + ".");
    }
    int index = process.indexOf(stage.name());
    if (index == process.stageNames().size() - 1) {
      throw new ProcessConflict(stage.name() + " is the last stage of process " + process.processId()
          + ": convert or disqualify the lead.");
    }
    return transition(state, enter(state, process.stageNames().get(index + 1)), reason(reason, COMPLETE_STAGE));
  }

  /**
   * Moves an open lead onto {@code target} (another process, or a newer version of its own): it lands in the
   * stage with its stage's built-in role, or for a custom stage the target's stage of the same name, else in the
   * target's first stage. Its flags stay when the landing stage holds the same ones ({@link
   * ProcessVersion#flagsRole}); otherwise they become the landing stage's, as a move there would make them.
   * The stage's and the process's changes are on the transition ({@code processId}, {@code processVersion}).
   */
  public Transition switchProcess(LeadState state, ProcessVersion target, String reason) {
    requireOpen(state);
    requireReason(reason);
    if (target.processId().equals(process.processId()) && target.version() == process.version()) {
      throw new ProcessConflict("The lead already runs on process " + process.label() + ".");
    }
    String landing = landing(state.stage(), target);
    ProcessMachine onTarget = new ProcessMachine(target);
    // The flags stay when the landing stage holds the ones the lead's stage held here; otherwise they become the
    // landing stage's (judged by the target's own order: a custom stage may sit elsewhere in another version).
    LeadState after = target.flagsRole(landing) == flagsRoleOrNull(state.stage())
        ? withStage(state, landing)
        : flagsOf(state, landing, target.flagsRole(landing));
    if (!onTarget.isConsistent(after)) {
      throw new IllegalStateException("rule error switching " + process.label() + " to " + target.label() + ": "
          + state + " gave " + after);
    }
    List<Change> changes = new ArrayList<>();
    diff(changes, "processId", process.processId(), target.processId());
    diff(changes, "processVersion", process.version(), target.version());
    changes.addAll(changes(state, after));
    List<String> events = new ArrayList<>(events(state, after));
    // The stage is another process's even when it has the same name: subscribers hear of it.
    if (!events.contains(Transition.STAGE_CHANGED)) {
      events.add(0, Transition.STAGE_CHANGED);
    }
    return new Transition(state, after, changes, events, reason.strip());
  }

  private String landing(String stage, ProcessVersion target) {
    StageDefinition current = process.stage(stage).orElse(null);
    if (current != null && !current.custom() && target.stageFor(current.role()).isPresent()) {
      return target.stageFor(current.role()).orElseThrow();
    }
    if (current != null && current.custom() && target.stage(stage).filter(StageDefinition::custom).isPresent()) {
      return stage;
    }
    return target.firstStage();
  }

  private LeadState markTelemarketingReady(LeadState s) {
    if (s.salesReady()) {
      throw new ProcessConflict("The lead is already sales-ready; a sales-ready lead skips telemarketing.");
    }
    if (s.telemarketingReady()) {
      throw new ProcessConflict("The lead is already telemarketing-ready.");
    }
    return with(s, stageOf(StageRole.TELEMARKETING_ACCEPTANCE), true, false, false, false, null);
  }

  private LeadState acceptTelemarketing(LeadState s) {
    requireRole(s, StageRole.TELEMARKETING_ACCEPTANCE, "Only a lead in %s can be accepted by telemarketing");
    return with(s, stageOf(StageRole.TELEMARKETING_QUALIFICATION), true, true, false, false, null);
  }

  private LeadState readyForSales(LeadState s) {
    requireRole(s, StageRole.TELEMARKETING_QUALIFICATION, "Only a lead in %s can be made ready for sales");
    return with(s, stageOf(StageRole.SALES_ACCEPTANCE), true, true, true, false, null);
  }

  /** By hand or by a scoring threshold: straight to sales acceptance, skipping telemarketing. */
  private LeadState markSalesReady(LeadState s) {
    if (s.salesReady()) {
      throw new ProcessConflict("The lead is already sales-ready.");
    }
    return with(s, stageOf(StageRole.SALES_ACCEPTANCE), s.telemarketingReady(), s.telemarketingAccepted(), true,
        false, null);
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

  private static LeadState requireSalesAccepted(LeadState s) {
    if (!s.salesAccepted()) {
      throw new ProcessConflict("Only a lead accepted by sales can be converted into an opportunity.");
    }
    return s;
  }

  /** Sets any stage by hand; the flags follow it ({@link #enter}). */
  private LeadState move(LeadState s, String stage, String reason) {
    if (stage == null || stage.isBlank()) {
      throw new InvalidInput("stage", "required, one of: " + String.join(", ", process.stageNames()));
    }
    if (process.indexOf(stage) < 0) {
      throw new InvalidInput("stage", "one of: " + String.join(", ", process.stageNames()));
    }
    requireReason(reason);
    if (stage.equals(s.stage())) {
      throw new ProcessConflict("The lead is already in " + stage + ".");
    }
    return enter(s, stage);
  }

  /**
   * The lead in {@code stage}, its flags made to agree: they stay when the stage holds the flags the lead's
   * stage holds (a custom stage beside the built-in one it follows); otherwise entering sets what the stage
   * implies and clears what belongs to later stages.
   */
  private LeadState enter(LeadState s, String stage) {
    StageRole role = process.flagsRole(stage);
    if (process.indexOf(s.stage()) >= 0 && role == process.flagsRole(s.stage())) {
      return withStage(s, stage);
    }
    return flagsOf(s, stage, role);
  }

  /** The lead in {@code stage} with the flags a stage holding {@code role}'s implies (later ones cleared). */
  private static LeadState flagsOf(LeadState s, String stage, StageRole role) {
    return switch (role) {
      case INQUIRY, AUTOMATED_QUALIFICATION -> new LeadState(stage, s.status(), false, false, false, false, null);
      case TELEMARKETING_ACCEPTANCE -> new LeadState(stage, s.status(), true, false, false, false, null);
      case TELEMARKETING_QUALIFICATION -> new LeadState(stage, s.status(), true, true, false, false, null);
      case SALES_ACCEPTANCE -> new LeadState(stage, s.status(), s.telemarketingReady(), s.telemarketingAccepted(),
          true, false, null);
    };
  }

  /** Inquiry moves on to automated qualification (when the process has it) once a model first scores the lead. */
  private LeadState firstScored(LeadState s) {
    StageRole role = process.stage(s.stage()).map(StageDefinition::role).orElse(null);
    if (role != StageRole.INQUIRY || process.stageFor(StageRole.AUTOMATED_QUALIFICATION).isEmpty()) {
      return s;
    }
    return with(s, stageOf(StageRole.AUTOMATED_QUALIFICATION), false, false, false, false, null);
  }

  /**
   * The invariants no sequence of actions may break: the stage exists and agrees with the flags,
   * acceptance needs readiness, sales acceptance needs an owner (and only it has one), and only
   * a lead accepted by sales can be converted.
   */
  public boolean isConsistent(LeadState s) {
    if (s.stage() == null || process.indexOf(s.stage()) < 0 || s.status() == null) {
      return false;
    }
    boolean roleMatchesFlags = switch (process.flagsRole(s.stage())) {
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

  private static void requireOpen(LeadState state) {
    if (state.status() != LeadStatus.OPEN) {
      throw new ProcessConflict("The lead is " + state.status().wireName() + "; a closed lead takes no more actions.");
    }
  }

  private StageDefinition requireKnownStage(LeadState state) {
    return process.stage(state.stage()).orElseThrow(() -> new ProcessConflict("The lead is in stage " + state.stage()
        + ", which process " + process.processId() + " does not have; move it to one of: "
        + String.join(", ", process.stageNames()) + "."));
  }

  private void requireRole(LeadState s, StageRole role, String message) {
    if (process.stage(s.stage()).map(StageDefinition::role).orElse(null) != role) {
      throw new ProcessConflict(String.format(message, process.stageFor(role).orElse(ProcessDefinition.roleName(role)))
          + "; the lead is in " + s.stage() + ".");
    }
  }

  /** The stage with a built-in role the action leads to; a process may leave out the optional roles. */
  private String stageOf(StageRole role) {
    return process.stageFor(role).orElseThrow(() -> new ProcessConflict("Process " + process.processId()
        + " has no " + ProcessDefinition.roleName(role) + " stage."));
  }

  private StageRole flagsRoleOrNull(String stage) {
    return process.indexOf(stage) < 0 ? null : process.flagsRole(stage);
  }

  private static void requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new InvalidInput("reason", "required: say why, it is kept on the lead's timeline");
    }
  }

  private static String reason(String given, String otherwise) {
    return given != null && !given.isBlank() ? given.strip() : otherwise;
  }

  private Transition transition(LeadState before, LeadState after, String reason) {
    if (!isConsistent(after)) {
      throw new IllegalStateException("rule error on " + process.label() + ": " + before + " gave " + after);
    }
    return new Transition(before, after, changes(before, after), events(before, after), reason);
  }

  private static LeadState with(LeadState s, String stage, boolean tmReady, boolean tmAccepted, boolean salesReady,
      boolean salesAccepted, String ownerId) {
    return new LeadState(stage, s.status(), tmReady, tmAccepted, salesReady, salesAccepted, ownerId);
  }

  private static LeadState withStage(LeadState s, String stage) {
    return with(s, stage, s.telemarketingReady(), s.telemarketingAccepted(), s.salesReady(), s.salesAccepted(),
        s.ownerId());
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
