package io.leadcycle.domain;

import java.util.List;

/** Input that breaks a rule of the domain; the HTTP layer answers it with a 400 naming the fields. */
public class InvalidInput extends RuntimeException {

  private final List<FieldError> errors;

  public InvalidInput(List<FieldError> errors) {
    super(errors.isEmpty() ? "invalid input" : errors.get(0).field() + ": " + errors.get(0).message());
    this.errors = List.copyOf(errors);
  }

  public InvalidInput(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
