package io.leadcycle.http;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.runtime.Metrics;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
    Caller caller,
    Metrics metrics) {

  /** The longest actor a request may name (timelines show it). */
  static final int MAX_ACTOR_LENGTH = 200;

  public HttpRequest {
    caller = caller == null ? Caller.NOBODY : caller;
  }

  /** A request with no verified caller (webhooks). */
  public HttpRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> query,
      Map<String, String> headers, byte[] body, String requestId) {
    this(method, path, pathParameters, query, headers, body, requestId, Caller.NOBODY);
  }

  /** A request outside any invocation (tests): what it counts goes nowhere. */
  public HttpRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> query,
      Map<String, String> headers, byte[] body, String requestId, Caller caller) {
    this(method, path, pathParameters, query, headers, body, requestId, caller, new Metrics());
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
   * Who acted, for timelines: the signed-in caller's name (the user's, from the token). Only a caller whose
   * token names nobody (a JWT with no name, email or user name) may still name one in the body's optional
   * {@code actor} (at most 200 characters), as before users existed; else "api". A sent {@code actor} is
   * checked either way, so bad input stays a 400 whoever sends it.
   */
  public String actor(Map<String, Object> body) {
    String named = null;
    // Sent, it must be a name (not null, not blank), as the document says.
    if (body.containsKey("actor")) {
      List<FieldError> errors = new ArrayList<>();
      named = Fields.text("actor", body.get("actor"), MAX_ACTOR_LENGTH, errors);
      if (named == null) {
        throw new InvalidInput(errors);
      }
    }
    if (caller.name() != null) {
      return caller.name().length() > MAX_ACTOR_LENGTH ? caller.name().substring(0, MAX_ACTOR_LENGTH) : caller.name();
    }
    return named != null ? named : "api";
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

  /**
   * The body as text, decoded strictly: a body that is not UTF-8 is refused (400, naming the offset of
   * the first bad byte), never patched with replacement characters that would then be stored.
   */
  public String bodyText() {
    try {
      return utf8(body);
    } catch (NotUtf8 e) {
      throw Problem.malformed("The body is not valid UTF-8: the byte at offset " + e.offset + " (0x"
          + String.format("%02X", body[e.offset] & 0xff) + ", counting from 0) is not. Send UTF-8 text.")
          .with("byteOffset", e.offset);
    }
  }

  /** The body as a JSON object; 415 unless it is JSON, 400 unless it parses to an object. */
  public JsonObject jsonBody() {
    if (!isJson()) {
      throw Problem.unsupportedMediaType("Send application/json (got " + describeMediaType() + ").");
    }
    JsonObject object = parseJsonObject();
    requireStorableText(plain(object), null);
    return object;
  }

  /**
   * The JSON body as plain maps and lists (no Vert.x JSON types), which is what the domain's parsers
   * read; 415 unless it is JSON, 400 unless it is an object.
   */
  public Map<String, Object> jsonMap() {
    return jsonMap(null);
  }

  /**
   * {@link #jsonMap()} for a batch whose items are judged one by one: the strings inside each item of
   * the list {@code itemsMember} are left to the batch's parser, which refuses a bad item alone
   * ({@link Fields#checkStrings} on each); everything else of the body is checked here as always.
   */
  public Map<String, Object> jsonBatch(String itemsMember) {
    return jsonMap(itemsMember);
  }

  private Map<String, Object> jsonMap(String batchMember) {
    if (!isJson()) {
      throw Problem.unsupportedMediaType("Send application/json (got " + describeMediaType() + ").");
    }
    Map<String, Object> body = plain(parseJsonObject());
    requireStorableText(body, batchMember);
    return body;
  }

  /** A JSON object as plain nested {@code Map}s and {@code List}s. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plain(JsonObject object) {
    return (Map<String, Object>) plainValue(object);
  }

  private static Object plainValue(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), plainValue(e.getValue())));
      return map;
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        list.add(plainValue(array.getValue(i)));
      }
      return list;
    }
    return value;
  }

  /**
   * PostgreSQL cannot store the NUL character, and a lone surrogate is no character at all, so no
   * request may carry either ({@link Fields#textFault}); checking every string here, once, covers every
   * field of every route. 400 naming each bad field's path. The items of {@code batchMember} (a list),
   * if given, are left to the batch.
   */
  private static void requireStorableText(Map<String, Object> body, String batchMember) {
    Map<String, Object> checked = body;
    if (batchMember != null && body.get(batchMember) instanceof List) {
      checked = new LinkedHashMap<>(body);
      checked.remove(batchMember); // its name is plain text; each item is the batch's to judge
    }
    List<FieldError> errors = new ArrayList<>();
    if (!Fields.checkStrings("", checked, errors)) {
      throw Problem.invalid(errors);
    }
  }

  /** A path parameter's or query parameter's value, refused (400) as {@link Fields#textFault} says. */
  static String requireText(String field, String value) {
    String fault = value == null ? null : Fields.textFault(value);
    if (fault != null) {
      throw Problem.invalid(field.isEmpty() ? "body" : field, fault);
    }
    return value;
  }

  /**
   * Standard JSON only (RFC 8259): Vert.x's own reader also takes comments, so request bodies are read
   * with Jackson's defaults (no comments, single quotes, unquoted names, trailing commas, NaN, leading
   * zeros) and a member named twice is refused rather than silently the last one.
   */
  private static final JsonFactory STRICT_JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  JsonObject parseJsonObject() {
    String text = bodyText();
    if (text.isBlank()) {
      throw Problem.malformed("The body is empty; a JSON object is expected.");
    }
    Object parsed;
    try {
      parsed = JacksonCodec.fromParser(STRICT_JSON.createParser(text), Object.class);
    } catch (DecodeException | IOException e) {
      throw Problem.malformed("The body is not valid JSON" + where(e) + ". Send standard JSON: no comments, "
          + "single quotes, trailing commas, NaN or member named twice.");
    }
    if (parsed instanceof JsonObject object) {
      return object;
    }
    throw Problem.malformed("The body must be a JSON object.");
  }

  /** " (line 1, column 7)" where the parser stopped, when it says. */
  private static String where(Exception e) {
    Throwable cause = e instanceof DecodeException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof JsonProcessingException json && json.getLocation() != null
        && json.getLocation().getLineNr() > 0) {
      return " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
    }
    return "";
  }

  /**
   * The body as form fields ({@code application/x-www-form-urlencoded}); a repeated key keeps its last
   * value. What the percent escapes encode must be UTF-8 text too.
   */
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
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawKey = eq < 0 ? pair : pair.substring(0, eq);
      String key = formDecode(rawKey, rawKey);
      String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1), key);
      fields.put(key, value);
    }
    List<FieldError> errors = new ArrayList<>();
    if (!Fields.checkStrings("", fields, errors)) {
      throw Problem.invalid(errors);
    }
    return fields;
  }

  /** One form-encoded key or value: {@code +} is a space, {@code %XX} a byte; the bytes must be UTF-8. */
  private static String formDecode(String encoded, String field) {
    if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
      return encoded;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    int i = 0;
    while (i < encoded.length()) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
        if (low < 0) {
          throw Problem.malformed("The form-encoded body has a malformed escape sequence.");
        }
        bytes.write(high * 16 + low);
        i += 3;
      } else if (c == '+') {
        bytes.write(' ');
        i++;
      } else {
        int end = i;
        while (end < encoded.length() && encoded.charAt(end) != '%' && encoded.charAt(end) != '+') {
          end++;
        }
        bytes.writeBytes(encoded.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    try {
      return utf8(bytes.toByteArray());
    } catch (NotUtf8 e) {
      throw Problem.invalid(field, "is not UTF-8 text once percent-decoded: its byte at offset " + e.offset
          + " (counting from 0) is not valid");
    }
  }

  /** Bytes that must be UTF-8, decoded without replacing anything; else {@link NotUtf8} with the offset. */
  private static String utf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never has more characters than bytes
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new NotUtf8(in.position());
    }
    return out.flip().toString();
  }

  /** Bytes that are not UTF-8: where the first bad one is. */
  private static final class NotUtf8 extends RuntimeException {
    final int offset;

    NotUtf8(int offset) {
      super(null, null, false, false);
      this.offset = offset;
    }
  }

  /** The media type for messages: "application/xml", or "no Content-Type". */
  public String describeMediaType() {
    String type = mediaType();
    return type == null ? "no Content-Type" : type;
  }
}
