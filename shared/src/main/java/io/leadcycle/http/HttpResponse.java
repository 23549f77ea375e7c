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
    return new HttpResponse(status, Map.of("content-type", "application/json"), body.encode());
  }

  /** A problem-details answer; a 503 also says when to retry ({@code retry-after}). */
  public static HttpResponse problem(Problem problem) {
    Map<String, String> headers = problem.status() == 503
        ? Map.of("content-type", "application/problem+json", "retry-after", Integer.toString(RETRY_AFTER_SECONDS))
        : Map.of("content-type", "application/problem+json");
    return new HttpResponse(problem.status(), headers, problem.toJson().encode());
  }
}
