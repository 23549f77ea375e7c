package io.leadcycle.http;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Unavailable;

import io.leadcycle.domain.FieldError;
import io.leadcycle.platform.Failure;
import io.leadcycle.platform.FailureKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An RFC 9457 problem: the answer to a request that cannot be served, written by {@link HttpFunction}
 * as {@code application/problem+json}. Thrown only by the HTTP layer itself, for what is about HTTP
 * (signatures, media types, body size, routing); handlers and services throw the domain's failures,
 * which {@link #of(Failure)} turns into problems.
 */
public class Problem extends RuntimeException implements Failure.Classified {

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

  /** The problem that answers a classified failure. */
  public static Problem of(Failure failure) {
    if (failure.cause() instanceof Problem problem) {
      return problem;
    }
    return switch (failure.kind()) {
      case INVALID_INPUT -> failure.cause() instanceof io.leadcycle.domain.InvalidInput invalid
          ? invalid.errors().isEmpty() ? invalidBody(failure.message()) : invalid(invalid.errors())
          : malformed(failure.message());
      case NOT_FOUND -> notFound(failure.message());
      case CONFLICT -> {
        if (failure.cause() instanceof io.leadcycle.domain.Erased erased) {
          yield erased(failure.message()).with("erasureId", erased.erasureId().toString());
        }
        Problem conflict = conflict(failure.message());
        if (failure.cause() instanceof io.leadcycle.domain.Conflict c && !c.missingFields().isEmpty()) {
          yield conflict.with("missingFields", new JsonArray(c.missingFields()));
        }
        yield failure.cause() instanceof io.leadcycle.domain.Conflict c && c.existingId() != null
            ? conflict.with("existingId", c.existingId().toString()) : conflict;
      }
      case UNAVAILABLE -> unavailable(failure.cause() instanceof io.leadcycle.domain.Unavailable
          ? failure.message() : failure.advice());
      case BUG -> internal();
    };
  }

  @Override
  public FailureKind failureKind() {
    return switch (status) {
      case 404 -> FailureKind.NOT_FOUND;
      case 409, 410 -> FailureKind.CONFLICT;
      case 503 -> FailureKind.UNAVAILABLE;
      case 500 -> FailureKind.BUG;
      default -> FailureKind.INVALID_INPUT;
    };
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

  /** An invalid request no single field is at fault for (an empty patch): {@code errors} stays empty. */
  public static Problem invalidBody(String detail) {
    return new Problem(400, "invalid-request", "Invalid request", detail, List.of());
  }

  public static Problem malformed(String detail) {
    return new Problem(400, "malformed-request", "Malformed request", detail, List.of());
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Unauthorized", detail, List.of());
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Forbidden", detail, List.of());
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

  /**
   * 410: what was sent names a person who was erased (a replay of what was seen before the erasure, or the
   * person again without a fresh consent); nothing was written (docs/privacy.md).
   */
  public static Problem erased(String detail) {
    return new Problem(410, "erased", "Person erased", detail, List.of());
  }

  public static Problem tooLarge(String detail) {
    return new Problem(413, "payload-too-large", "Payload too large", detail, List.of());
  }

  /** 414: a request line (method, path and query) longer than the host reads. */
  public static Problem uriTooLong(String detail) {
    return new Problem(414, "uri-too-long", "URI too long", detail, List.of());
  }

  /** 417: an {@code Expect} header the host cannot meet (anything but {@code 100-continue}). */
  public static Problem expectationFailed(String detail) {
    return new Problem(417, "expectation-failed", "Expectation failed", detail, List.of());
  }

  /** 431: request headers larger than the host reads. */
  public static Problem headersTooLarge(String detail) {
    return new Problem(431, "request-headers-too-large", "Request headers too large", detail, List.of());
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
