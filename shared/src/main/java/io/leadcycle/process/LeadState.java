package io.leadcycle.process;

/** The part of a lead the process rules look at and change: its stage, status, flags and owner. */
public record LeadState(
    String stage,
    LeadStatus status,
    boolean telemarketingReady,
    boolean telemarketingAccepted,
    boolean salesReady,
    boolean salesAccepted,
    String ownerId) {

  /** A new lead: first stage, open, no flags, no owner. */
  public static LeadState newLead(LeadProcess process) {
    return new LeadState(process.stageFor(StageRole.INQUIRY), LeadStatus.OPEN, false, false, false, false, null);
  }
}
