package io.leadcycle.domain;

/** One invalid field of a request: its path (e.g. {@code fields.email}) and what is wrong with it. */
public record FieldError(String field, String message) {
}
