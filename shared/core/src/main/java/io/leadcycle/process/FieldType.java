package io.leadcycle.process;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a stage field holds, as the marketing team picks it when they define a process. */
public enum FieldType {
  TEXT("text"),
  LONG_TEXT("long_text"),
  NUMBER("number"),
  /** Yes or no. */
  BOOLEAN("boolean"),
  /** One of the field's options. */
  CHOICE("choice"),
  DATE("date"),
  /** One of the people who work leads ({@code GET /v1/users}). */
  USER("user");

  private final String wireName;

  FieldType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<FieldType> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(FieldType::wireName).toList();
  }
}
