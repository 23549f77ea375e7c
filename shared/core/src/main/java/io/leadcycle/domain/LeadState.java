package io.leadcycle.domain;

/** The part of a lead the process rules look at and change: its stage, status, flags and owner. */
public record LeadState(
    String stage,
    LeadStatus status,
    boolean telemarketingReady,
    boolean telemarketingAccepted,
    boolean salesReady,
    boolean salesAccepted,
    String ownerId) {

  /** A new lead in {@code stage} (its process's inquiry stage): open, no flags, no owner. */
  public static LeadState newLead(String stage) {
    return new LeadState(stage, LeadStatus.OPEN, false, false, false, false, null);
  }
}
