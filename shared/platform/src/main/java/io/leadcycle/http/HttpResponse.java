package io.leadcycle.http;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What a handler answers: a status, headers and a body (JSON for everything but problems). */
public record HttpResponse(int status, Map<String, String> headers, String body) {

  /**
   * Seconds a client should wait before retrying a 503 ({@code Retry-After}): long enough for a lock
   * to be released or a failover to begin, short enough that a webhook sender's retry lands soon.
   */
  public static final int RETRY_AFTER_SECONDS = 5;

  public static HttpResponse json(int status, JsonObject body) {
    return json(status, body.encode());
  }

  /** A JSON answer already encoded (e.g. the text intake also stored with its receipt). */
  public static HttpResponse json(int status, String encodedBody) {
    return new HttpResponse(status, Map.of("content-type", "application/json"), encodedBody);
  }

  /** An answer without a body, e.g. 204 to a CORS preflight. */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, Map.of(), null);
  }

  /** {@code 303 See Other} to {@code location}: where a browser's form post continues. */
  public static HttpResponse seeOther(String location) {
    return new HttpResponse(303, Map.of("location", location), null);
  }

  /** This response with more headers (names in lower case); a header already set is replaced. */
  public HttpResponse withHeaders(Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.putAll(more);
    return new HttpResponse(status, Map.copyOf(all), body);
  }

  /** A problem-details answer; a 503 also says when to retry ({@code retry-after}). */
  public static HttpResponse problem(Problem problem) {
    Map<String, String> headers = problem.status() == 503
        ? Map.of("content-type", "application/problem+json", "retry-after", Integer.toString(RETRY_AFTER_SECONDS))
        : Map.of("content-type", "application/problem+json");
    return new HttpResponse(problem.status(), headers, problem.toJson().encode());
  }
}
