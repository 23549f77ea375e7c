package io.leadcycle.domain;

import java.util.List;

/** Input that breaks a rule of the domain; the HTTP layer answers it with a 400 naming the fields. */
public class InvalidInput extends RuntimeException {

  private final List<FieldError> errors;

  public InvalidInput(List<FieldError> errors) {
    this(errors.isEmpty() ? "invalid input" : errors.get(0).field() + ": " + errors.get(0).message(), errors);
  }

  public InvalidInput(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  private InvalidInput(String message, List<FieldError> errors) {
    super(message);
    this.errors = List.copyOf(errors);
  }

  /**
   * Input that is wrong as a whole, no single field being at fault (an empty patch): no field errors,
   * {@code detail} says what to send instead.
   */
  public static InvalidInput ofBody(String detail) {
    return new InvalidInput(detail, List.of());
  }

  public List<FieldError> errors() {
    return errors;
  }
}
