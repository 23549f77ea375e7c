package io.leadcycle.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.platform.Failure;
import io.leadcycle.platform.FailureKind;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.LambdaEventJson;
import io.leadcycle.platform.LeadcycleFunction;
import io.leadcycle.runtime.Lazy;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP trigger kind: an API Gateway HTTP API (payload 2.0) event in, a response event out. It
 * normalizes headers, decodes base64 bodies, enforces the body limit, dispatches on the route and turns
 * every failure into problem details without stack traces; every answer says {@code x-request-id} and
 * {@code x-content-type-options: nosniff}. The base does the rest (database, log
 * context, timing, failure classification).
 */
public abstract class HttpFunction extends LeadcycleFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  public static final int MAX_BODY_BYTES = 256 * 1024;

  private final Lazy<RouteTable<HttpFunction>> routes = Lazy.of(() -> RouteTable.of(this, defineRoutes()));

  protected HttpFunction() {
  }

  /**
   * The largest body {@code route} takes ({@link #MAX_BODY_BYTES} unless a function says otherwise; API
   * Gateway itself takes no more than 10 MB).
   */
  protected int maxBodyBytes(Route route) {
    return MAX_BODY_BYTES;
  }

  /** The largest body {@code route} of this function takes, for a host that refuses a body first (413). */
  public final int bodyLimit(Route route) {
    return maxBodyBytes(route);
  }

  /** The routes this function serves; each is also listed in template.yaml. */
  protected abstract List<Route> defineRoutes();

  /** Before a SnapStart snapshot: the route table, as the first request would build it. */
  @Override
  protected void prime() {
    routeTable();
  }

  public final List<Route> routes() {
    return routeTable().entries().stream().map(RouteTable.Entry::route).toList();
  }

  private RouteTable<HttpFunction> routeTable() {
    return routes.get();
  }

  @Override
  public final Class<APIGatewayV2HTTPEvent> eventType() {
    return APIGatewayV2HTTPEvent.class;
  }

  @Override
  protected final APIGatewayV2HTTPEvent readEvent(JsonObject json) {
    return LambdaEventJson.httpEvent(json);
  }

  @Override
  protected final String writeAnswer(APIGatewayV2HTTPResponse answer) {
    return LambdaEventJson.httpResponse(answer).encode();
  }

  @Override
  protected final String triggerRequestId(APIGatewayV2HTTPEvent event) {
    return event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
  }

  @Override
  protected final APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Invocation invocation) {
    String method = method(event);
    String path = event.getRawPath() == null ? "/" : event.getRawPath();
    invocation.put("method", method);
    RouteTable.Match<HttpFunction> match = routeTable().find(event.getRouteKey(), method, path);
    invocation.put("route", match.route().routeKey());
    Caller caller = caller(event);
    if (match.route().access() == Access.MANAGEMENT) {
      // The one place every management route is decided (docs/api.md, "Roles"): before the handler runs.
      Permissions.requireRoute(match.route().routeKey(), caller);
    }
    HttpResponse response = match.route().endpoint()
        .handle(toRequest(event, match, method, path, caller, invocation));
    invocation.put("status", response.status());
    return toEvent(response, invocation.requestId());
  }

  @Override
  protected final APIGatewayV2HTTPResponse onFailure(APIGatewayV2HTTPEvent event, Failure failure,
      Invocation invocation) {
    if (failure.kind() == FailureKind.BUG || failure.kind() == FailureKind.UNAVAILABLE) {
      invocation.failed("request failed", failure, null);
    }
    Problem problem = Problem.of(failure);
    invocation.put("status", problem.status());
    return problemEvent(problem, invocation.requestId());
  }

  /** The response event of a problem, for answers a host gives before any function runs. */
  public static APIGatewayV2HTTPResponse problemEvent(Problem problem, String requestId) {
    return toEvent(HttpResponse.problem(problem), requestId);
  }

  private static HttpRequest toRequest(APIGatewayV2HTTPEvent event, RouteTable.Match<HttpFunction> match,
      String method, String path, Caller caller, Invocation invocation) {
    Map<String, String> headers = new HashMap<>();
    if (event.getHeaders() != null) {
      event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }
    byte[] body = body(event);
    int limit = match.owner().maxBodyBytes(match.route());
    if (body.length > limit) {
      throw Problem.tooLarge("The body has " + body.length + " bytes; the limit is " + limit + ".");
    }
    Map<String, String> pathParameters = event.getPathParameters();
    if (pathParameters == null || pathParameters.isEmpty()) {
      pathParameters = match.pathParameters();
    }
    Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    pathParameters.forEach(HttpRequest::requireText);
    query.forEach(HttpRequest::requireText);
    return new HttpRequest(method, path, Map.copyOf(pathParameters), Map.copyOf(query), Map.copyOf(headers), body,
        invocation.requestId(), caller, invocation.metrics());
  }

  /**
   * Who sent the request, from the claims the API Gateway JWT authorizer verified (the local server puts
   * its user's claims in the same place); {@link Caller#NOBODY} without any.
   */
  private static Caller caller(APIGatewayV2HTTPEvent event) {
    var context = event.getRequestContext();
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
      return Caller.NOBODY;
    }
    return Caller.fromClaims(context.getAuthorizer().getJwt().getClaims());
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

  private static APIGatewayV2HTTPResponse toEvent(HttpResponse response, String requestId) {
    Map<String, String> headers = new HashMap<>(response.headers());
    headers.put("x-request-id", requestId);
    // Browsers must take the answer as the type it says (JSON, CSV), never guess HTML or script from it.
    headers.put("x-content-type-options", "nosniff");
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status())
        .withHeaders(headers)
        .withBody(response.body())
        .withIsBase64Encoded(false)
        .build();
  }
}
