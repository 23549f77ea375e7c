package io.leadcycle.http;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.runtime.Metrics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * An HTTP request as a handler sees it, whichever host delivered it: header names lower-cased, the
 * body already decoded from base64, path parameters by name; with the {@link Metrics} of its invocation,
 * which a route counts what it did into.
 */
public record HttpRequest(
    String method,
    String path,
    Map<String, String> pathParameters,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body,
    String requestId,
    String principal,
    Metrics metrics) {

  /** The longest actor a request may name (timelines show it). */
  static final int MAX_ACTOR_LENGTH = 200;

  /** A request with no authenticated principal (webhooks, or management behind a shared token). */
  public HttpRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> query,
      Map<String, String> headers, byte[] body, String requestId) {
    this(method, path, pathParameters, query, headers, body, requestId, null);
  }

  /** A request outside any invocation (tests): what it counts goes nowhere. */
  public HttpRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> query,
      Map<String, String> headers, byte[] body, String requestId, String principal) {
    this(method, path, pathParameters, query, headers, body, requestId, principal, new Metrics());
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String pathParameter(String name) {
    return pathParameters.get(name);
  }

  /**
   * A path id that must be a UUID; one that is not names nothing, so it is a 404 like any unknown id.
   *
   * @param what the kind of record, for the message ("lead")
   */
  public UUID uuidPathParameter(String name, String what) {
    String raw = pathParameter(name);
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new NotFound("No " + what + " with id " + raw + ".");
    }
  }

  /**
   * Who acted, for timelines: the JWT subject in AWS; locally, where one token is shared, the body's
   * optional {@code actor} (at most 200 characters); else "api".
   */
  public String actor(Map<String, Object> body) {
    if (principal != null) {
      return principal;
    }
    // Left out, the actor is "api"; sent, it must be a name (not null, not blank), as the document says.
    if (!body.containsKey("actor")) {
      return "api";
    }
    List<FieldError> errors = new ArrayList<>();
    String text = Fields.text("actor", body.get("actor"), MAX_ACTOR_LENGTH, errors);
    if (text == null) {
      throw new InvalidInput(errors);
    }
    return text;
  }

  /** 415 unless the body is {@code application/json} or form fields ({@code x-www-form-urlencoded}). */
  public void requireJsonOrForm() {
    if (!isJson() && !isFormUrlEncoded()) {
      throw Problem.unsupportedMediaType(
          "Send application/json or application/x-www-form-urlencoded (got " + describeMediaType() + ").");
    }
  }

  public String queryParameter(String name) {
    return query.get(name);
  }

  /** The media type without parameters, lower-cased ("application/json"), or null. */
  public String mediaType() {
    String contentType = header("content-type");
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  public boolean isJson() {
    String type = mediaType();
    return type != null && (type.equals("application/json") || type.endsWith("+json"));
  }

  public boolean isFormUrlEncoded() {
    return "application/x-www-form-urlencoded".equals(mediaType());
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body as a JSON object; 415 unless it is JSON, 400 unless it parses to an object. */
  public JsonObject jsonBody() {
    if (!isJson()) {
      throw Problem.unsupportedMediaType("Send application/json (got " + describeMediaType() + ").");
    }
    return parseJsonObject();
  }

  /**
   * The JSON body as plain maps and lists (no Vert.x JSON types), which is what the domain's parsers
   * read; 415 unless it is JSON, 400 unless it is an object.
   */
  public Map<String, Object> jsonMap() {
    return plain(jsonBody());
  }

  /** A JSON object as plain nested {@code Map}s and {@code List}s. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plain(JsonObject object) {
    return (Map<String, Object>) plainValue(object, "");
  }

  private static Object plainValue(Object value, String path) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(e -> {
        String member = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        map.put(requireText(member, e.getKey()), plainValue(e.getValue(), member));
      });
      return map;
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      java.util.List<Object> list = new java.util.ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        list.add(plainValue(array.getValue(i), path + "[" + i + "]"));
      }
      return list;
    }
    if (value instanceof String text) {
      return requireText(path, text);
    }
    return value;
  }

  /**
   * PostgreSQL cannot store the NUL character in text, so no request may carry one; rejecting it here
   * once covers every field of every route.
   */
  static String requireText(String field, String value) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw Problem.invalid(field.isEmpty() ? "body" : field, Fields.NO_NUL);
    }
    return value;
  }

  JsonObject parseJsonObject() {
    String text = bodyText();
    if (text.isBlank()) {
      throw Problem.malformed("The body is empty; a JSON object is expected.");
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonObject object) {
        plain(object); // rejects NUL characters anywhere in the body
        return object;
      }
    } catch (DecodeException e) {
      throw Problem.malformed("The body is not valid JSON.");
    }
    throw Problem.malformed("The body must be a JSON object.");
  }

  /** The body as form fields ({@code application/x-www-form-urlencoded}); a repeated key keeps its last value. */
  public Map<String, String> formBody() {
    Map<String, String> fields = new LinkedHashMap<>();
    String text = bodyText();
    if (text.isBlank()) {
      return fields;
    }
    String start = text.stripLeading();
    if (start.startsWith("{") || start.startsWith("[")) {
      // curl's -d sends form encoding unless told otherwise; users trip on it.
      throw Problem.unsupportedMediaType("The body looks like JSON but is sent as application/x-www-form-urlencoded "
          + "(curl -d does that): send Content-Type: application/json.");
    }
    try {
      for (String pair : text.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        fields.put(requireText(key, key), requireText(key, value));
      }
    } catch (IllegalArgumentException e) {
      throw Problem.malformed("The form-encoded body has a malformed escape sequence.");
    }
    return fields;
  }

  /** The media type for messages: "application/xml", or "no Content-Type". */
  public String describeMediaType() {
    String type = mediaType();
    return type == null ? "no Content-Type" : type;
  }
}
