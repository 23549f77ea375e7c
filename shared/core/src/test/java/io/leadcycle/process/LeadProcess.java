package io.leadcycle.process;

import io.leadcycle.domain.LeadState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference machine's process ({@link LeadProcessMachine}; test code since processes are definitions).
 * A business process for leads: an ordered list of stages, each with a role. The default process has
 * the five stages of the product description; a custom process may name and order them differently,
 * as long as every role has exactly one stage.
 */
public record LeadProcess(String id, List<Stage> stages) {

  public static final LeadProcess DEFAULT = new LeadProcess("default", List.of(
      new Stage("inquiry", StageRole.INQUIRY),
      new Stage("automated_marketing_qualification", StageRole.AUTOMATED_QUALIFICATION),
      new Stage("telemarketing_acceptance", StageRole.TELEMARKETING_ACCEPTANCE),
      new Stage("telemarketing_qualification", StageRole.TELEMARKETING_QUALIFICATION),
      new Stage("sales_acceptance", StageRole.SALES_ACCEPTANCE)));

  public LeadProcess {
    stages = List.copyOf(stages);
    Map<StageRole, Stage> byRole = new EnumMap<>(StageRole.class);
    for (Stage stage : stages) {
      if (byRole.put(stage.role(), stage) != null) {
        throw new IllegalArgumentException("process " + id + " has two stages for role " + stage.role());
      }
    }
    if (byRole.size() != StageRole.values().length) {
      throw new IllegalArgumentException("process " + id + " needs one stage for every role");
    }
    if (stages.stream().map(Stage::name).distinct().count() != stages.size()) {
      throw new IllegalArgumentException("process " + id + " has two stages with one name");
    }
  }

  /** A new lead's state in this process: its inquiry stage, open, no flags, no owner. */
  public LeadState newLeadState() {
    return LeadState.newLead(stageFor(StageRole.INQUIRY));
  }

  public String stageFor(StageRole role) {
    return stages.stream().filter(s -> s.role() == role).findFirst().orElseThrow().name();
  }

  public Optional<StageRole> roleOf(String stageName) {
    return stages.stream().filter(s -> s.name().equals(stageName)).map(Stage::role).findFirst();
  }

  public List<String> stageNames() {
    return stages.stream().map(Stage::name).toList();
  }
}
