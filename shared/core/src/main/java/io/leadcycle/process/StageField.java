package io.leadcycle.process;

import java.util.List;

/**
 * A field on a stage's menu: what the people working the stage record there.
 *
 * @param options the choices of a {@code choice} field, in the order written; empty for every other type
 * @param requiredToComplete whether the stage cannot be completed while it is empty
 */
public record StageField(String name, FieldType type, List<String> options, boolean requiredToComplete) {

  public StageField {
    options = List.copyOf(options);
  }
}
