package io.leadcycle.process;

import java.util.List;

/**
 * One stage of a process definition: its name, what it means to the rules, and its fields.
 *
 * @param role the built-in role whose rules act on this stage, or null for a custom stage (entered and left
 *     only by hand)
 */
public record StageDefinition(String name, StageRole role, List<StageField> fields) {

  public StageDefinition {
    fields = List.copyOf(fields);
  }

  public boolean custom() {
    return role == null;
  }

  /** The role as the API writes it: a built-in role's name, or {@code custom}. */
  public String roleName() {
    return ProcessDefinition.roleName(role);
  }
}
