package io.leadcycle.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.http.Route;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Vert.x Web request into the event API Gateway's HTTP API (payload 2.0) would deliver, and
 * the handler's response event back into an HTTP response: lower-cased header names, repeated
 * headers and query values comma-joined, non-text bodies (and text that is not UTF-8) base64-encoded.
 */
final class HttpEventConverter {

  private HttpEventConverter() {
  }

  /**
   * The event of a request whose {@code rawBody} is exactly the bytes the client sent; {@code claims} (null:
   * none) go where API Gateway's JWT authorizer puts a verified token's.
   */
  static APIGatewayV2HTTPEvent toEvent(RoutingContext ctx, Route route, Map<String, String> pathParameters,
      String requestId, Buffer rawBody, Map<String, String> claims) {
    Map<String, String> headers = joined(ctx.request().headers(), true);
    Map<String, String> query = joined(ctx.queryParams(), false);
    byte[] body = rawBody.getBytes();
    // Text that is not UTF-8 travels base64-encoded, as API Gateway sends it: decoding it here would
    // replace the bad bytes before the function could refuse them.
    String text = isText(headers.get("content-type")) ? utf8(body) : null;
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(route.routeKey())
        .withRawPath(ctx.request().path())
        .withRawQueryString(ctx.request().query() == null ? "" : ctx.request().query())
        .withHeaders(headers)
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .withPathParameters(pathParameters.isEmpty() ? null : new LinkedHashMap<>(pathParameters))
        .withBody(body.length == 0 ? null : text != null ? text : Base64.getEncoder().encodeToString(body))
        .withIsBase64Encoded(body.length > 0 && text == null)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withRequestId(requestId)
            .withRouteKey(route.routeKey())
            .withStage("$default")
            .withTimeEpoch(System.currentTimeMillis())
            .withAuthorizer(claims == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(claims).withScopes(java.util.List.of()).build())
                .build())
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(route.method())
                .withPath(ctx.request().path())
                .withProtocol("HTTP/1.1")
                .withSourceIp(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress())
                .withUserAgent(headers.get("user-agent"))
                .build())
            .build())
        .build();
  }

  /** Writes a response event; throws when Vert.x refuses it (an invalid status or header) before writing anything. */
  static Future<Void> writeResponse(HttpServerResponse http, APIGatewayV2HTTPResponse response) {
    http.setStatusCode(response.getStatusCode());
    if (response.getHeaders() != null) {
      response.getHeaders().forEach(http::putHeader);
    }
    String body = response.getBody();
    if (body == null) {
      return http.end();
    } else if (response.getIsBase64Encoded()) {
      return http.end(Buffer.buffer(Base64.getDecoder().decode(body)));
    } else {
      return http.end(body);
    }
  }

  /** HTTP API passes text bodies (UTF-8) as they are and base64-encodes the rest (forms included). */
  private static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("application/json") || type.startsWith("text/") || type.contains("+json");
  }

  /** The body as text when it is valid UTF-8 (checked and decoded in one pass), else null. */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static Map<String, String> joined(MultiMap values, boolean lowerCaseNames) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : values.names()) {
      map.put(lowerCaseNames ? name.toLowerCase(Locale.ROOT) : name, String.join(",", values.getAll(name)));
    }
    return map;
  }
}
