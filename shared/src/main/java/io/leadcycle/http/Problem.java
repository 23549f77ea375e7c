package io.leadcycle.http;

import io.leadcycle.domain.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An RFC 9457 problem: the answer to a request that cannot be served. Thrown anywhere below a handler
 * and written by {@link HttpFunction} as {@code application/problem+json}.
 */
public class Problem extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;
  private final List<FieldError> errors;
  private final JsonObject extensions;

  public Problem(int status, String type, String title, String detail, List<FieldError> errors) {
    this(status, type, title, detail, errors, new JsonObject());
  }

  private Problem(int status, String type, String title, String detail, List<FieldError> errors,
      JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.extensions = extensions;
  }

  /** This problem with one more member (RFC 9457 extension), e.g. the id of the existing record. */
  public Problem with(String member, Object value) {
    return new Problem(status, type, title, getMessage(), errors, extensions.copy().put(member, value));
  }

  public static Problem invalid(List<FieldError> errors) {
    String detail = errors.isEmpty() ? "The request is invalid."
        : errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid, the first: " + errors.get(0).field() + ": " + errors.get(0).message();
    return new Problem(400, "invalid-request", "Invalid request", detail, errors);
  }

  public static Problem invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public static Problem malformed(String detail) {
    return new Problem(400, "malformed-request", "Malformed request", detail, List.of());
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Unauthorized", detail, List.of());
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not found", detail, List.of());
  }

  public static Problem methodNotAllowed(String detail) {
    return new Problem(405, "method-not-allowed", "Method not allowed", detail, List.of());
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "conflict", "Conflict", detail, List.of());
  }

  public static Problem tooLarge(String detail) {
    return new Problem(413, "payload-too-large", "Payload too large", detail, List.of());
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "Unsupported media type", detail, List.of());
  }

  public static Problem unavailable(String detail) {
    return new Problem(503, "unavailable", "Service unavailable", detail, List.of());
  }

  public static Problem internal() {
    return new Problem(500, "internal-error", "Internal error",
        "The request failed on our side; it has been logged. Retrying is safe.", List.of());
  }

  public int status() {
    return status;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public JsonObject toJson() {
    JsonArray fieldErrors = new JsonArray();
    errors.forEach(e -> fieldErrors.add(new JsonObject().put("field", e.field()).put("message", e.message())));
    return extensions.copy()
        .put("type", "urn:leadcycle:problem:" + type)
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage())
        .put("errors", fieldErrors);
  }
}
