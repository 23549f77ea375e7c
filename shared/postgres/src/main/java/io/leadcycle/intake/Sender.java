package io.leadcycle.intake;

/**
 * Who sent a submission, as far as intake can tell. A signed submission comes from a server that holds
 * the form's secret (or from LinkedIn, whose signature was checked); an unsigned one may come from
 * anyone who knows the form's URL, so it may change a matched contact only as the form's
 * {@code unsignedUpdates} allows.
 */
public enum Sender {
  SIGNED,
  UNSIGNED
}
