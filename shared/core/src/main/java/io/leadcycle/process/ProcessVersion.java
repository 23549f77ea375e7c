package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import java.util.List;
import java.util.Optional;

/**
 * One published version of a business process: what a lead runs on. A version never changes once
 * published (editing a live process publishes the next one), so a lead's stages and fields are those of
 * its version until it is switched.
 */
public record ProcessVersion(String processId, int version, ProcessDefinition definition) {

  /** The shipped process; read-only, so it has only ever had version 1. */
  public static final ProcessVersion DEFAULT = new ProcessVersion(ProcessDefinition.DEFAULT_ID, 1,
      ProcessDefinition.DEFAULT);

  public ProcessVersion {
    List<StageDefinition> stages = definition.stages();
    if (stages.isEmpty() || stages.get(0).role() != StageRole.INQUIRY
        || stages.stream().noneMatch(s -> s.role() == StageRole.SALES_ACCEPTANCE)) {
      throw new IllegalArgumentException("process " + processId + " must start with its inquiry stage and have a "
          + "sales-acceptance stage (ProcessDefinition.parse checks both)");
    }
  }

  /** The stage new leads enter: the inquiry stage, always first. */
  public String firstStage() {
    return definition.stages().get(0).name();
  }

  /** A new lead's state on this version: its first stage, open, no flags, no owner. */
  public LeadState newLeadState() {
    return LeadState.newLead(firstStage());
  }

  public List<String> stageNames() {
    return definition.stages().stream().map(StageDefinition::name).toList();
  }

  /** The stage called {@code name} (stage names are exact: as the definition writes them). */
  public Optional<StageDefinition> stage(String name) {
    return definition.stages().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The stage's place in the process, or -1 when the process has no stage of that name. */
  public int indexOf(String name) {
    return stageNames().indexOf(name);
  }

  /** The stage with the built-in {@code role}, when the process has one. */
  public Optional<String> stageFor(StageRole role) {
    return definition.stages().stream().filter(s -> s.role() == role).map(StageDefinition::name).findFirst();
  }

  /**
   * The role whose flags hold in {@code stage}: its own for a built-in stage; for a custom stage, that of the
   * nearest built-in stage before it (inquiry is first, so there always is one). A "technical evaluation"
   * after telemarketing qualification holds telemarketing-accepted, not yet sales-ready leads.
   */
  public StageRole flagsRole(String stage) {
    int index = indexOf(stage);
    if (index < 0) {
      throw new IllegalArgumentException("process " + processId + " has no stage " + stage);
    }
    for (int i = index; i >= 0; i--) {
      StageRole role = definition.stages().get(i).role();
      if (role != null) {
        return role;
      }
    }
    throw new IllegalStateException("unreachable: the first stage is the inquiry stage");
  }

  /** How a lead's process is written on its timeline and in views: {@code id v2}. */
  public String label() {
    return processId + " v" + version;
  }
}
