package io.leadcycle.scoring;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a model scores a lead from. {@code contact}: the lead's contact, the contact's account and the
 * contact's interactions; it scores leads that have a contact. {@code account}: the account and the
 * interactions of all its contacts; it scores leads that have an account but no contact.
 */
public enum ModelTarget {
  CONTACT("contact"),
  ACCOUNT("account");

  private final String wireName;

  ModelTarget(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ModelTarget> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
