package io.leadcycle.http;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What a handler answers: a status, headers and a body (JSON for everything but problems). */
public record HttpResponse(int status, Map<String, String> headers, String body) {

  public static HttpResponse json(int status, JsonObject body) {
    return new HttpResponse(status, Map.of("content-type", "application/json"), body.encode());
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

  public static HttpResponse problem(Problem problem) {
    return new HttpResponse(problem.status(), Map.of("content-type", "application/problem+json"),
        problem.toJson().encode());
  }
}
