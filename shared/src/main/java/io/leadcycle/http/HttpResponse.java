package io.leadcycle.http;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What a handler answers: a status, headers and a body (JSON for everything but problems). */
public record HttpResponse(int status, Map<String, String> headers, String body) {

  public static HttpResponse json(int status, JsonObject body) {
    return new HttpResponse(status, Map.of("content-type", "application/json"), body.encode());
  }

  public static HttpResponse problem(Problem problem) {
    return new HttpResponse(problem.status(), Map.of("content-type", "application/problem+json"),
        problem.toJson().encode());
  }
}
