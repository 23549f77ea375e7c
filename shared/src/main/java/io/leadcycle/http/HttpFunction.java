package io.leadcycle.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.runtime.Failures;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP adapter every HTTP-triggered function extends: an API Gateway HTTP API (payload 2.0) event
 * in, a response event out. It normalizes headers, decodes base64 bodies, enforces the body limit,
 * dispatches on the route key and turns every failure into a problem-details body without stack traces.
 */
public abstract class HttpFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  public static final int MAX_BODY_BYTES = 256 * 1024;

  private volatile List<Route> routes;

  /** The routes this function serves; each is also listed in template.yaml. */
  protected abstract List<Route> defineRoutes();

  public final List<Route> routes() {
    if (routes == null) {
      routes = List.copyOf(defineRoutes());
    }
    return routes;
  }

  @Override
  public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    long started = System.nanoTime();
    String requestId = requestId(event, context);
    String method = method(event);
    String path = event.getRawPath() == null ? "/" : event.getRawPath();
    HttpResponse response;
    String routeKey = null;
    try {
      Route route = findRoute(event, method, path);
      routeKey = route.routeKey();
      response = route.endpoint().handle(toRequest(event, route, method, path, requestId));
    } catch (Problem problem) {
      response = HttpResponse.problem(problem);
    } catch (InvalidInput invalid) {
      response = HttpResponse.problem(Problem.invalid(invalid.errors()));
    } catch (NotFound missing) {
      response = HttpResponse.problem(Problem.notFound(missing.getMessage()));
    } catch (Conflict conflict) {
      Problem problem = Problem.conflict(conflict.getMessage());
      response = HttpResponse.problem(conflict.existingId() == null ? problem
          : problem.with("existingId", conflict.existingId().toString()));
    } catch (Exception | Error failure) {
      // Exception, not RuntimeException: Future.await() rethrows checked causes (ConnectException) as they are.
      Problem problem = Failures.isDatabaseUnavailable(failure)
          ? Problem.unavailable("The database is not reachable right now; retry later.")
          : Problem.internal();
      JsonLog.error(requestId, "request failed", failure);
      response = HttpResponse.problem(problem);
    }
    JsonLog.info(requestId, "request", new JsonObject()
        .put("method", method)
        .put("route", routeKey)
        .put("status", response.status())
        .put("durationMs", (System.nanoTime() - started) / 1_000_000.0));
    return toEvent(response, requestId);
  }

  private Route findRoute(APIGatewayV2HTTPEvent event, String method, String path) {
    String routeKey = event.getRouteKey();
    for (Route route : routes()) {
      if (route.routeKey().equals(routeKey)) {
        return route;
      }
    }
    // "$default" or a proxy route: match the raw path ourselves.
    boolean pathKnown = false;
    for (Route route : routes()) {
      if (route.match(path) != null) {
        if (route.method().equals(method)) {
          return route;
        }
        pathKnown = true;
      }
    }
    throw pathKnown ? Problem.methodNotAllowed(method + " is not allowed on " + path)
        : Problem.notFound("No route for " + method + " " + path);
  }

  private static HttpRequest toRequest(APIGatewayV2HTTPEvent event, Route route, String method, String path,
      String requestId) {
    Map<String, String> headers = new HashMap<>();
    if (event.getHeaders() != null) {
      event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }
    byte[] body = body(event);
    if (body.length > MAX_BODY_BYTES) {
      throw Problem.tooLarge("The body has " + body.length + " bytes; the limit is " + MAX_BODY_BYTES + ".");
    }
    Map<String, String> pathParameters = event.getPathParameters();
    if (pathParameters == null || pathParameters.isEmpty()) {
      Map<String, String> matched = route.match(path);
      pathParameters = matched == null ? Map.of() : matched;
    }
    Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    pathParameters.forEach(HttpRequest::requireText);
    query.forEach(HttpRequest::requireText);
    return new HttpRequest(method, path, Map.copyOf(pathParameters), Map.copyOf(query), Map.copyOf(headers), body,
        requestId, principal(event));
  }

  /** The JWT subject the API Gateway authorizer verified, if any: who did it, for timelines. */
  private static String principal(APIGatewayV2HTTPEvent event) {
    var context = event.getRequestContext();
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
        || context.getAuthorizer().getJwt().getClaims() == null) {
      return null;
    }
    return context.getAuthorizer().getJwt().getClaims().get("sub");
  }

  private static byte[] body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    if (event.getIsBase64Encoded()) {
      try {
        return Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw Problem.malformed("The body is marked base64-encoded but is not.");
      }
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static String method(APIGatewayV2HTTPEvent event) {
    if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null
        && event.getRequestContext().getHttp().getMethod() != null) {
      return event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT);
    }
    String routeKey = event.getRouteKey();
    return routeKey != null && routeKey.contains(" ") ? routeKey.substring(0, routeKey.indexOf(' ')) : "GET";
  }

  private static String requestId(APIGatewayV2HTTPEvent event, Context context) {
    if (event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
      return event.getRequestContext().getRequestId();
    }
    if (context != null && context.getAwsRequestId() != null) {
      return context.getAwsRequestId();
    }
    return UUID.randomUUID().toString();
  }

  private static APIGatewayV2HTTPResponse toEvent(HttpResponse response, String requestId) {
    Map<String, String> headers = new HashMap<>(response.headers());
    headers.put("x-request-id", requestId);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status())
        .withHeaders(headers)
        .withBody(response.body())
        .withIsBase64Encoded(false)
        .build();
  }
}
