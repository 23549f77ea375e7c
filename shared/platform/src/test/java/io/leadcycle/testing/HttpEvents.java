package io.leadcycle.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.leadcycle.http.StandardWebhooks;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds API Gateway HTTP API (payload 2.0) events from a real-shaped fixture and deserializes them
 * with the AWS Lambda runtime's own serializer, exactly as a deployed handler receives them.
 */
public final class HttpEvents {

  private static final PojoSerializer<APIGatewayV2HTTPEvent> SERIALIZER =
      LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpEvents.class.getClassLoader());

  private final JsonObject event;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, String> query = new LinkedHashMap<>();
  private byte[] body = new byte[0];
  private boolean base64;
  private String rawBody;

  private HttpEvents(JsonObject event) {
    this.event = event;
    event.getJsonObject("headers").forEach(e -> headers.put(e.getKey(), (String) e.getValue()));
  }

  /** An event for {@code routeKey} (e.g. {@code "POST /v1/forms/{formId}/submissions"}) at {@code rawPath}. */
  public static HttpEvents request(String routeKey, String rawPath) {
    JsonObject fixture = new JsonObject(LambdaEvents.resource("events/http-api-request.json"));
    String method = routeKey.substring(0, routeKey.indexOf(' '));
    fixture.put("routeKey", routeKey).put("rawPath", rawPath);
    fixture.getJsonObject("requestContext").put("routeKey", routeKey).put("requestId", UUID.randomUUID().toString())
        .getJsonObject("http").put("method", method).put("path", rawPath);
    fixture.put("pathParameters", new JsonObject());
    return new HttpEvents(fixture);
  }

  /** A caller's bearer token, as the HTTP API's JWT authorizer already checked it. */
  public static final String BEARER = "Bearer eyJhbGciOiJSUzI1NiJ9.test.signature";

  /** An event for a management route: the caller sends its token, which the JWT authorizer checked. */
  public static HttpEvents management(String routeKey, String rawPath) {
    return request(routeKey, rawPath).header("authorization", BEARER);
  }

  /** A management request sent to a catch-all {@code $default} route, routed by its raw path. */
  public static HttpEvents managementDefaultRoute(String method, String rawPath) {
    return defaultRoute(method, rawPath).header("authorization", BEARER);
  }

  /**
   * An event as HTTP API sends it to a catch-all {@code $default} route: route key {@code $default},
   * no path parameters, only the method and the raw path to route by.
   */
  public static HttpEvents defaultRoute(String method, String rawPath) {
    HttpEvents events = request(method + " " + rawPath, rawPath);
    events.event.put("routeKey", "$default").remove("pathParameters");
    events.event.getJsonObject("requestContext").put("routeKey", "$default");
    return events;
  }

  public HttpEvents pathParameter(String name, String value) {
    event.getJsonObject("pathParameters").put(name, value);
    return this;
  }

  public HttpEvents query(String name, String value) {
    query.put(name, value);
    return this;
  }

  /** Query parameters given as name, value, name, value, ... */
  public HttpEvents queries(String... nameValuePairs) {
    for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
      query(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return this;
  }

  /** Sets a header; HTTP API delivers names lower-cased, and so does this. */
  public HttpEvents header(String name, String value) {
    headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
    return this;
  }

  public HttpEvents withoutHeader(String name) {
    headers.remove(name.toLowerCase(java.util.Locale.ROOT));
    return this;
  }

  public HttpEvents json(String json) {
    header("content-type", "application/json");
    return body(json.getBytes(StandardCharsets.UTF_8), false);
  }

  /** A form-encoded body, which HTTP API always delivers base64-encoded. */
  public HttpEvents formEncoded(String form) {
    header("content-type", "application/x-www-form-urlencoded");
    return body(form.getBytes(StandardCharsets.UTF_8), true);
  }

  /** A JSON body that API Gateway chose to deliver base64-encoded ({@code isBase64Encoded: true}). */
  public HttpEvents base64Json(String json) {
    header("content-type", "application/json");
    return body(json.getBytes(StandardCharsets.UTF_8), true);
  }

  public HttpEvents body(byte[] bytes, boolean base64Encoded) {
    this.body = bytes;
    this.base64 = base64Encoded;
    this.rawBody = null;
    return this;
  }

  /** The body exactly as {@code body} appears in the event, e.g. text that is marked base64 but is not. */
  public HttpEvents rawBody(String text, boolean base64Encoded) {
    this.body = text.getBytes(StandardCharsets.UTF_8);
    this.base64 = base64Encoded;
    this.rawBody = text;
    return this;
  }

  /** The caller as the HTTP API's JWT authorizer verified it: {@code requestContext.authorizer.jwt.claims}. */
  public HttpEvents jwtSubject(String subject) {
    JsonObject claims = new JsonObject()
        .put("sub", subject)
        .put("iss", "https://auth.leadcycle.example/")
        .put("aud", "leadcycle-api")
        .put("iat", "1795774200")
        .put("exp", "1795777800")
        .put("scope", "leads:write")
        .put("cognito:groups", "[admin]");
    event.getJsonObject("requestContext").put("authorizer", new JsonObject()
        .put("jwt", new JsonObject().put("claims", claims).put("scopes", new io.vertx.core.json.JsonArray())));
    return this;
  }

  /** The subject of the admin a management event is sent by unless a test names another caller. */
  public static final String ADMIN_SUBJECT = "7d0c6a4e-2f1b-4c3d-9e8f-0a1b2c3d4e5f";

  /**
   * Sets one claim of the verified token (a subject with admin's group first, unless the event has claims);
   * e.g. {@code claim("name", "Tina Telemarketer")}, {@code claim("cognito:groups", "[telemarketing]")}.
   */
  public HttpEvents claim(String name, String value) {
    if (claims() == null) {
      jwtSubject(ADMIN_SUBJECT);
    }
    claims().put(name, value);
    return this;
  }

  /** The caller's roles, as API Gateway passes Cognito's groups: {@code [telemarketing sales]}. */
  public HttpEvents roles(String... roles) {
    return claim("cognito:groups", "[" + String.join(" ", roles) + "]");
  }

  private JsonObject claims() {
    JsonObject authorizer = event.getJsonObject("requestContext").getJsonObject("authorizer");
    return authorizer == null ? null : authorizer.getJsonObject("jwt").getJsonObject("claims");
  }

  /** Adds Standard Webhooks headers signed with {@code secret} at {@code at}. */
  public HttpEvents signed(String secret, String webhookId, Instant at) {
    header("webhook-id", webhookId);
    header("webhook-timestamp", Long.toString(at.getEpochSecond()));
    header("webhook-signature", StandardWebhooks.sign(secret, webhookId, at.getEpochSecond(), body));
    return this;
  }

  public HttpEvents signed(String secret) {
    return signed(secret, "msg_" + UUID.randomUUID(), Instant.now());
  }

  public APIGatewayV2HTTPEvent build() {
    if (headers.containsKey("authorization") && claims() == null) {
      // A token the JWT authorizer accepted: an admin's (no name: the body's actor still counts), as the
      // first start's token is locally; a test of roles names its caller with claim() or roles().
      jwtSubject(ADMIN_SUBJECT);
    }
    headers.put("content-length", Integer.toString(body.length));
    event.put("headers", new JsonObject(new LinkedHashMap<>(headers)));
    if (!query.isEmpty()) {
      java.util.StringJoiner raw = new java.util.StringJoiner("&");
      query.forEach((name, value) -> raw.add(encode(name) + "=" + encode(value)));
      event.put("rawQueryString", raw.toString());
      event.put("queryStringParameters", new JsonObject(new LinkedHashMap<>(query)));
    }
    event.put("isBase64Encoded", base64);
    String text = base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8);
    event.put("body", rawBody != null ? rawBody : text);
    return SERIALIZER.fromJson(event.encode());
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
