package io.leadcycle.domain;

/** The request names a record that does not exist (answered as 404). */
public class NotFound extends RuntimeException {

  public NotFound(String message) {
    super(message);
  }
}
