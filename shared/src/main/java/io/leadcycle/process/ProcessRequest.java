package io.leadcycle.process;

/**
 * One action with its arguments: {@code ownerId} for accept-sales, {@code stage} for move, and a
 * {@code reason} (required for move and disqualify, kept on the timeline for every action).
 */
public record ProcessRequest(ProcessAction action, String ownerId, String stage, String reason) {

  public static ProcessRequest of(ProcessAction action) {
    return new ProcessRequest(action, null, null, null);
  }
}
