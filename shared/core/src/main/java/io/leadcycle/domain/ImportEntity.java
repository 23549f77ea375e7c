package io.leadcycle.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a file import creates: contacts (with their accounts), or leads (with their contacts and accounts). */
public enum ImportEntity {
  CONTACTS("contacts"),
  LEADS("leads");

  public static final List<String> WIRE_NAMES = Arrays.stream(values()).map(ImportEntity::wireName).toList();

  private final String wireName;

  ImportEntity(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ImportEntity> fromWireName(String name) {
    return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
  }
}
