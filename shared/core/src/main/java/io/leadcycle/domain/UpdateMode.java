package io.leadcycle.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * A form's "update contacts/leads" setting, as marketers know it from the suite: which kinds of
 * record a submission touches at all (docs/intake.md has the table).
 * <ul>
 *   <li>{@code contacts_and_leads}: the contact and the lead are matched, else created, and updated;</li>
 *   <li>{@code only_contacts}: the contact only; no lead;</li>
 *   <li>{@code only_leads}: the lead is matched, else created, and updated; the contact is matched but
 *       never created or updated (none matched: a lead without a contact);</li>
 *   <li>{@code no_update}: nothing; the submission is only kept in the form's submission log.</li>
 * </ul>
 */
public enum UpdateMode {
  CONTACTS_AND_LEADS("contacts_and_leads", true, true),
  ONLY_CONTACTS("only_contacts", true, false),
  ONLY_LEADS("only_leads", false, true),
  NO_UPDATE("no_update", false, false);

  private final String wireName;
  private final boolean writesContacts;
  private final boolean touchesLeads;

  UpdateMode(String wireName, boolean writesContacts, boolean touchesLeads) {
    this.wireName = wireName;
    this.writesContacts = writesContacts;
    this.touchesLeads = touchesLeads;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether a submission may create and update contacts. */
  public boolean writesContacts() {
    return writesContacts;
  }

  /** Whether a submission finds a contact at all (to write it, or to hang a lead and interaction on it). */
  public boolean touchesContacts() {
    return writesContacts || touchesLeads;
  }

  /** Whether a submission creates and updates leads. */
  public boolean touchesLeads() {
    return touchesLeads;
  }

  public static Optional<UpdateMode> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
