package io.leadcycle.http;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a person does in the team, which decides the routes and lead actions they may use
 * ({@link Permissions}). In AWS a role is a Cognito group of the same name; locally a user's roles.
 */
public enum Role {
  /** Forms, matching strategies, scoring models, subscribers, imports, LinkedIn mappings. */
  MARKETING,
  /** The telemarketing queue and its actions. */
  TELEMARKETING,
  /** The sales queue, own leads, convert, disqualify. */
  SALES,
  /** Assigns and reassigns owners, and does what sales does. */
  SALES_MANAGER,
  /** Everything, users included. */
  ADMIN;

  /** The wire name, also the Cognito group's: {@code sales_manager}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWireName(String name) {
    return Arrays.stream(values()).filter(role -> role.wireName().equals(name)).findFirst();
  }

  /** The roles whose holders may do what this role may: itself, the sales manager for sales, and admin. */
  public Set<Role> grantedTo() {
    Set<Role> roles = EnumSet.of(this, ADMIN);
    if (this == SALES) {
      roles.add(SALES_MANAGER);
    }
    return roles;
  }

  /** The wire names of every role, for messages: "marketing, telemarketing, ...". */
  public static String wireNames() {
    return String.join(", ", Arrays.stream(values()).map(Role::wireName).toList());
  }
}
