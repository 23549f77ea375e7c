package io.leadcycle.domain;

/**
 * Something the work needs is down or busy (the database, a third-party API): nothing is wrong with
 * the request, and the same work will succeed later. HTTP answers 503; queues and schedules retry.
 * The message is shown to clients: say what is unavailable, never quote what a third party answered.
 */
public class Unavailable extends RuntimeException {

  public Unavailable(String message) {
    super(message);
  }

  public Unavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
