package io.leadcycle.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a form may change when a submission matches existing records. Matching itself (linking a new
 * lead to the found contact, attributing the interaction) happens in every mode.
 */
public enum UpdateMode {
  CONTACTS_AND_LEADS("contacts_and_leads", true, true),
  ONLY_CONTACTS("only_contacts", true, false),
  ONLY_LEADS("only_leads", false, true),
  NO_UPDATE("no_update", false, false);

  private final String wireName;
  private final boolean updatesContacts;
  private final boolean updatesLeads;

  UpdateMode(String wireName, boolean updatesContacts, boolean updatesLeads) {
    this.wireName = wireName;
    this.updatesContacts = updatesContacts;
    this.updatesLeads = updatesLeads;
  }

  public String wireName() {
    return wireName;
  }

  public boolean updatesContacts() {
    return updatesContacts;
  }

  public boolean updatesLeads() {
    return updatesLeads;
  }

  public static Optional<UpdateMode> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
