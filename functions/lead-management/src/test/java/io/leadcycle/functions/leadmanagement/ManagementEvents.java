package io.leadcycle.functions.leadmanagement;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * API Gateway HTTP API (payload 2.0) events for management routes, built like
 * {@link io.leadcycle.testing.HttpEvents} (the same real-shaped fixture, deserialized by the Lambda
 * runtime's own serializer) with what management requests add: several query parameters, the claims
 * the JWT authorizer verified, and the catch-all {@code $default} route. Everything is set in the
 * event's JSON before it is deserialized, as the runtime would receive it.
 */
final class ManagementEvents {

  private static final String FIXTURE = "events/http-api-request.json";
  private static final PojoSerializer<APIGatewayV2HTTPEvent> SERIALIZER =
      LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, ManagementEvents.class.getClassLoader());

  private final JsonObject event;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, String> query = new LinkedHashMap<>();
  private byte[] body = new byte[0];
  private boolean base64;
  private String rawBody;

  private ManagementEvents(JsonObject event) {
    this.event = event;
    event.getJsonObject("headers").forEach(e -> headers.put(e.getKey(), (String) e.getValue()));
    // Management routes sit behind the JWT authorizer: the caller sends its token.
    headers.put("authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.test.signature");
  }

  /** An event for {@code routeKey} (e.g. {@code "GET /v1/leads/{leadId}"}) at {@code rawPath}. */
  static ManagementEvents request(String routeKey, String rawPath) {
    JsonObject fixture = new JsonObject(fixture());
    String method = routeKey.substring(0, routeKey.indexOf(' '));
    fixture.put("routeKey", routeKey).put("rawPath", rawPath).put("pathParameters", new JsonObject());
    fixture.getJsonObject("requestContext").put("routeKey", routeKey).put("requestId", UUID.randomUUID().toString())
        .getJsonObject("http").put("method", method).put("path", rawPath);
    return new ManagementEvents(fixture);
  }

  /**
   * An event as HTTP API sends it to a catch-all {@code $default} route: route key {@code $default},
   * no path parameters, only the method and the raw path to route by.
   */
  static ManagementEvents defaultRoute(String method, String rawPath) {
    ManagementEvents events = request(method + " " + rawPath, rawPath);
    events.event.put("routeKey", "$default").remove("pathParameters");
    events.event.getJsonObject("requestContext").put("routeKey", "$default");
    return events;
  }

  ManagementEvents pathParameter(String name, String value) {
    event.getJsonObject("pathParameters").put(name, value);
    return this;
  }

  ManagementEvents query(String name, String value) {
    query.put(name, value);
    return this;
  }

  /** Sets a header; HTTP API delivers names lower-cased, and so does this. */
  ManagementEvents header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  ManagementEvents json(String json) {
    header("content-type", "application/json");
    return body(json.getBytes(StandardCharsets.UTF_8), false);
  }

  /** A JSON body that API Gateway chose to deliver base64-encoded ({@code isBase64Encoded: true}). */
  ManagementEvents base64Json(String json) {
    header("content-type", "application/json");
    return body(json.getBytes(StandardCharsets.UTF_8), true);
  }

  ManagementEvents body(byte[] bytes, boolean base64Encoded) {
    this.body = bytes;
    this.base64 = base64Encoded;
    this.rawBody = null;
    return this;
  }

  /** The body exactly as {@code body} appears in the event, e.g. text that is marked base64 but is not. */
  ManagementEvents rawBody(String text, boolean base64Encoded) {
    this.body = text.getBytes(StandardCharsets.UTF_8);
    this.base64 = base64Encoded;
    this.rawBody = text;
    return this;
  }

  /** The caller as the HTTP API's JWT authorizer verified it: {@code requestContext.authorizer.jwt.claims}. */
  ManagementEvents jwtSubject(String subject) {
    JsonObject claims = new JsonObject()
        .put("sub", subject)
        .put("iss", "https://auth.leadcycle.example/")
        .put("aud", "leadcycle-api")
        .put("iat", "1795774200")
        .put("exp", "1795777800")
        .put("scope", "leads:write");
    event.getJsonObject("requestContext").put("authorizer",
        new JsonObject().put("jwt", new JsonObject().put("claims", claims).put("scopes", new JsonArray())));
    return this;
  }

  APIGatewayV2HTTPEvent build() {
    headers.put("content-length", Integer.toString(body.length));
    event.put("headers", new JsonObject(new LinkedHashMap<>(headers)));
    if (!query.isEmpty()) {
      StringJoiner raw = new StringJoiner("&");
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
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String fixture() {
    try (InputStream in = ManagementEvents.class.getClassLoader().getResourceAsStream(FIXTURE)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + FIXTURE + " (from leadcycle-shared's test-jar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
