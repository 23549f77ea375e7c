package io.leadcycle.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How intake finds the account (company) of a submitter, if at all. */
public enum AccountMatching {
  /** No account linking: a new lead takes its contact's account, if any. */
  OFF("off"),
  /** The email's domain against the account's domain (free-mail domains never match). */
  DOMAIN("domain"),
  /** The normalized company name against the account's normalized name. */
  COMPANY_NAME("company_name");

  public static final List<String> WIRE_NAMES = Arrays.stream(values()).map(AccountMatching::wireName).toList();

  private final String wireName;

  AccountMatching(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<AccountMatching> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
