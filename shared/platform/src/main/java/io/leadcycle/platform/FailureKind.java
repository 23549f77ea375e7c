package io.leadcycle.platform;

/**
 * The one vocabulary of failure every function speaks, whatever triggered it. Each trigger kind turns
 * a kind into its own answer: HTTP into a status and problem details, a queue into a retried or a
 * refused message, a schedule into a log line and the next run.
 */
public enum FailureKind {
  /** The input breaks a rule (400): the same input will never succeed. */
  INVALID_INPUT(true),
  /** The input names a record that does not exist (404). */
  NOT_FOUND(true),
  /** The input contradicts what is stored (409). */
  CONFLICT(true),
  /** A dependency is down or busy (503): the same work will succeed later. */
  UNAVAILABLE(false),
  /** Our own fault (500): logged with its stack trace. */
  BUG(false);

  private final boolean clientError;

  FailureKind(boolean clientError) {
    this.clientError = clientError;
  }

  /** True when the input is at fault: retrying the same input cannot help. */
  public boolean isClientError() {
    return clientError;
  }
}
