package io.leadcycle.process;

/**
 * What a stage means to the process rules. A process (the default one or an organisation's own) maps
 * each role to one of its stages; the rules speak only of roles, so stage names and order are data.
 */
public enum StageRole {
  /** A new lead; its parent contact and/or account is read or set here. */
  INQUIRY,
  /** Scored by models while waiting for a threshold. */
  AUTOMATED_QUALIFICATION,
  /** Telemarketing-ready, waiting for a telemarketer to accept it. */
  TELEMARKETING_ACCEPTANCE,
  /** Accepted by telemarketing; the call's findings are recorded. */
  TELEMARKETING_QUALIFICATION,
  /** Sales-ready, waiting for a sales manager to assign an owner and accept it. */
  SALES_ACCEPTANCE
}
