package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.local.SamTemplate.DeclaredRoute;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP route that template.yaml declares (read from it, so a route added later is covered too),
 * through one real local server, with hostile input: malformed and mistyped bodies (a wrong JSON type for
 * every field the route reference documents, and for a list of common names), huge numbers, deep
 * nesting, NUL characters, invalid UTF-8, broken form encoding, hostile path and query values, bad media
 * types, bad tokens and junk webhook signatures; plus what the local server answers itself (404, 405
 * with {@code Allow}, 413, 414, 431, broken requests). No answer may be a 5xx; every 4xx must be problem
 * details whose {@code status} is the HTTP status. The cases are a fixed list: the run is the same every
 * time.
 */
class RouteFuzzTest {

  private static final String TOKEN = "fuzz-token";
  private static final Path TEMPLATE = Path.of("../../template.yaml");
  private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
  /** A UUID for path parameters that no fixture names. */
  private static final String SOME_UUID = "3b241101-e2bb-4255-8caf-4136c566a962";

  private static final List<String> HOSTILE_PATH_VALUES = List.of(
      "..%2F..", "..%2f..%2f..%2fetc%2fpasswd", "..", "%2e%2e", ".", "%00", "a%00b", RawHttp.bytes("a\u0000b"),
      "%27%20OR%201%3D1", "'%20OR%20'1'%3D'1", "'", "\"", "%22%3E%3Cscript%3E", "%3Cscript%3E", "%0D%0ASet-Cookie:%20x",
      "%E2%9C%93", RawHttp.bytes("\u2713\u00e9"), "%F0%9F%92%A9", "%C3%28", "\u00c3\u0028", "\u00ff\u00fe", "%FF%FE",
      "%ZZ", "%", "%u0041", "%2", "+", "%2B", "%20", "a;b", "%3B", "%23", "%3F", "%25", "%5C..%5C", "\\",
      "{formId}", "null", "-1", "0", "1e400", "99999999999999999999999", "not-a-uuid",
      "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", SOME_UUID.toUpperCase(Locale.ROOT),
      SOME_UUID + "-", "x".repeat(3000), "%41".repeat(1000));

  private static final List<String> HOSTILE_QUERIES = List.of(
      "limit=-1", "limit=0", "limit=abc", "limit=1.5", "limit=1e400", "limit=99999999999999999999", "limit=",
      "limit", "limit=201", "limit=1&limit=2", "limit=%00", "after=garbage", "after=", "after=%ZZ", "after=a&after=b",
      "after=" + base64("x|y"), "after=" + base64("2026-01-01T00:00:00Z|not-a-uuid"),
      "after=" + base64("+999999999-12-31T23:59:59Z|" + SOME_UUID), "after=" + base64("-999999999-01-01T00:00:00Z|" + SOME_UUID),
      "after=" + base64("\u0000"), "after=" + base64("a".repeat(2000)), "after=" + "A".repeat(3000),
      "view=nope", "view=", "view=ALL", "view=%00", "stage=nope", "stage=%00", "stage=" + "s".repeat(2000),
      "email=", "email=%00", "email=a%40b.co&email=c%40d.co", "email=" + "e".repeat(3000), "email=%ZZ",
      "%ZZ=1", "a=%ZZ&b", "%", "&&&", "=", "==", "a=%E2%82", "a=" + RawHttp.bytes("\u2713"), "a=%C3%28",
      "format=xml", "entity=nope", "challengeCode=" + "c".repeat(500), "x=1&x=2&x=3");

  /** Common request field names, all set at once to each wrong value (routes the reference does not document get them one by one). */
  private static final List<String> COMMON_FIELDS = List.of(
      "id", "name", "kind", "email", "firstName", "lastName", "phone", "companyName", "jobTitle", "country",
      "accountId", "contactId", "leadId", "attributes", "topic", "context", "qualification", "action", "ownerId",
      "stage", "reason", "actor", "fields", "submissionId", "submittedAt", "consent", "entity", "requireSignature",
      "updateMode", "contactStrategyId", "leadStrategyId", "domain", "industry", "employeeCount", "annualRevenue",
      "status", "type", "url", "events", "limit", "after");

  /** Wrong values as JSON text: huge and infinite numbers, every other JSON type, NUL, a lone surrogate. */
  private static final List<String> WRONG_VALUES = List.of(
      "99999999999999999999999", "1e400", "-1", "0.5", "true", "null", "[]", "{}", "\"\"", "\"\\u0000\"",
      "\"\\ud800\"", "\"" + "x".repeat(5000) + "\"");

  private static final List<String> WHOLE_JSON_BODIES = List.of(
      "{", "[", "{\"a\":", "{\"a\" 1}", "{\"name\": \"x", "nul", "tru", "{}}", "{\"a\":1,}", "{'a':1}", "\uFEFF{}",
      "NaN", "Infinity", "-", "[]", "[1,2,3]", "[{}]", "\"a string\"", "\"\"", "42", "-0", "1e400", "-1e400",
      "99999999999999999999999", "null", "true", "false", "{}", " ", "{\"\":null}", "{\"a\":1,\"a\":2}",
      "[".repeat(10_000) + "]".repeat(10_000), "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
      "[".repeat(10_000), "{\"name\":\"a\\u0000b\"}", "{\"a\\u0000\":1}", "{\"name\":\"\\ud800\"}",
      "{\"name\":\"\\u\"}", manyKeys(5_000), "{\"name\":\"" + "x".repeat(200_000) + "\"}");

  private static final List<byte[]> RAW_JSON_BODIES = List.of(
      bytes(0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d), // {"n":"<invalid UTF-8>"}
      bytes(0xff, 0xfe, 0xfd), bytes(0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d), bytes(0x00), bytes(0x7b, 0x00, 0x7d),
      "{\"name\":\"a\u0000b\"}".getBytes(StandardCharsets.UTF_8), bytes(0xed, 0xa0, 0x80), // an encoded surrogate
      new byte[300 * 1024], // over the functions' limit (256 KiB)
      new byte[1100 * 1024]); // over the local server's limit (1 MiB)

  private static final List<String> FORM_BODIES = List.of(
      "a=%ZZ&b", "email=a%ZZ@x.com", "%", "%%", "=", "&&", "a=%E2%82", "a=%C3%28", "email=%00", "%00=1",
      "a=1&a=2", "fields=%7B%7D", "email=" + "x".repeat(100_000), "submissionId=" + "s".repeat(500),
      "submittedAt=yesterday", "submittedAt=99999-01-01T00:00:00Z", manyFormFields(400), "a" + "=".repeat(1000),
      "email=ada%40example.com&firstName=Ada", "{\"fields\":{}}");

  private static final List<String> CONTENT_TYPES = List.of(
      "application/json; charset=utf-16", "APPLICATION/JSON", "application/json;;", "application/json; charset=\"",
      "application/problem+json", "application/x-www-form-urlencoded; charset=ISO-8859-1", "text/plain", "text/csv",
      "application/xml", "application/octet-stream", "multipart/form-data", "multipart/form-data; boundary=zz", "",
      ";", "*/*", "application/" + "x".repeat(3000));

  private static final List<String> AUTHORIZATIONS = List.of(
      "", "Bearer", "Bearer ", "Bearer  " + TOKEN, "Basic " + base64("a:b"), TOKEN, "Bearer " + TOKEN + "x",
      "Bearer " + TOKEN.substring(1), "Token " + TOKEN, "Bearer " + "t".repeat(5000), RawHttp.bytes("Bearer \u2713"),
      "Bearer %00");

  /** Junk signatures: {id, timestamp, signature}; null leaves the header out; "now" is the current time. */
  private static final List<String[]> JUNK_SIGNATURES = List.of(
      new String[] {null, null, null}, new String[] {"msg_x", "now", null}, new String[] {"msg_x", null, "v1,abc"},
      new String[] {null, "now", "v1,abc"}, new String[] {"msg_x", "now", "v1,"}, new String[] {"msg_x", "now", "v1,!!!"},
      new String[] {"msg_x", "now", "v2," + base64("x")}, new String[] {"msg_x", "now", "v1," + base64("x".repeat(32))},
      new String[] {"msg_x", "now", "v1"}, new String[] {"msg_x", "now", ","}, new String[] {"msg_x", "now", "   "},
      new String[] {"msg_x", "now", "v1,a v1,b v1,c"}, new String[] {"msg_x", "now", "v1," + "A".repeat(5000)},
      new String[] {"msg_x", "abc", "v1,abc"}, new String[] {"msg_x", "-1", "v1,abc"}, new String[] {"msg_x", "1e10", "v1,abc"},
      new String[] {"msg_x", "99999999999999999999", "v1,abc"}, new String[] {"msg_x", "", "v1,abc"},
      new String[] {"msg_x", "0", "v1,abc"}, new String[] {"", "now", "v1,abc"}, new String[] {"m".repeat(5000), "now", "v1,abc"},
      new String[] {RawHttp.bytes("msg_\u2713"), "now", "v1,abc"});

  private static LocalServer server;
  private static JsonObject openApi;

  private final List<String> failures = new ArrayList<>();
  /** Unparsable requests the server closed the connection on without an answer (allowed). */
  private final List<String> unanswered = new ArrayList<>();
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final Map<String, Integer> cases = new TreeMap<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final Map<String, String> fixtures = new LinkedHashMap<>();
  private int requests;
  private int webhookIds;

  @BeforeAll
  static void start() {
    server = LocalServer.start(Map.of(
        "DATABASE_URL", TestDatabase.url()), 0, TOKEN);
    openApi = new JsonObject(OpenApiDocument.json());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * Who calls a route: with the token, with no credentials of ours (only the case's own headers: a bad
   * token, a junk signature), on an unsigned form, or on a signed form with a valid signature.
   */
  private enum Caller { MANAGEMENT, NO_TOKEN, UNSIGNED_FORM, SIGNED_FORM }

  @Test
  void noRouteAnswersHostileInputWithA5xxOrAnythingButProblemDetails() throws IOException {
    TestDatabase.reset();
    createFixtures();
    List<DeclaredRoute> routes = TemplateFunctions.read(TEMPLATE).stream()
        .flatMap(function -> function.routes().stream())
        .sorted(Comparator.comparing(DeclaredRoute::path).thenComparing(DeclaredRoute::method))
        .toList();
    assertThat(routes).isNotEmpty();
    long started = System.nanoTime();

    for (DeclaredRoute route : routes) {
      fuzz(route);
    }
    fuzzWhatTheServerAnswersItself(routes);
    fuzzTheLocalRoutes();

    RawHttp.Response health = send("GET", "/health", List.of(), null, "health at the end");
    assertThat(health.status()).as("GET /health after the fuzzing").isEqualTo(200);
    System.out.printf("RouteFuzzTest: %d routes, %d requests in %d ms; statuses %s; route cases %s; closed without an answer: %s%n",
        routes.size(), requests, (System.nanoTime() - started) / 1_000_000, statuses, cases, unanswered);
    if (!failures.isEmpty()) {
      Files.write(Path.of("target/route-fuzz-failures.txt"), failures);
    }
    assertThat(failures).as("%d of %d requests were answered wrongly, the first 40:%n%s", failures.size(), requests,
        String.join("\n", failures.subList(0, Math.min(40, failures.size())))).isEmpty();
  }

  // ---- one route --------------------------------------------------------------------------------------

  private void fuzz(DeclaredRoute route) throws IOException {
    // Without the token a management route answers 401 whatever else is wrong: a few cases suffice for it.
    List<Caller> callers = route.management() ? List.of(Caller.MANAGEMENT)
        : hasFormFixture(route) ? List.of(Caller.UNSIGNED_FORM, Caller.SIGNED_FORM) : List.of(Caller.UNSIGNED_FORM);
    Caller main = callers.get(0);
    boolean takesBody = BODY_METHODS.contains(route.method());
    byte[] emptyObject = takesBody ? utf8("{}") : null;
    List<String[]> json = headers("Content-Type", "application/json");

    // Hostile path parameter values, one parameter at a time.
    for (String parameter : parameters(route.path())) {
      for (String value : HOSTILE_PATH_VALUES) {
        for (Caller caller : callers) {
          Map<String, String> values = new LinkedHashMap<>(goodValues(route, caller));
          values.put(parameter, value);
          call(route, caller, values, null, json, emptyObject, "path " + parameter);
        }
      }
    }
    if (route.management()) {
      for (String parameter : parameters(route.path())) {
        for (String value : HOSTILE_PATH_VALUES.subList(0, 12)) {
          Map<String, String> values = new LinkedHashMap<>(goodValues(route, main));
          values.put(parameter, value);
          call(route, Caller.NO_TOKEN, values, null, json, emptyObject, "path " + parameter);
        }
      }
      for (String body : WHOLE_JSON_BODIES.subList(0, 6)) {
        call(route, Caller.NO_TOKEN, goodValues(route, main), "limit=-1", json, utf8(body), "json body");
      }
    }
    // Bad query parameters.
    // (Only GET routes read queries today; the others get a few, in case one starts to.)
    for (String query : "GET".equals(route.method()) ? HOSTILE_QUERIES : HOSTILE_QUERIES.subList(0, 12)) {
      call(route, main, goodValues(route, main), query, json, emptyObject, "query");
    }
    // Whole bodies: malformed JSON, other JSON types than an object, deep nesting, NUL, invalid UTF-8.
    List<Caller> bodyCallers = takesBody ? callers : List.of(main);
    List<String> wholeBodies = takesBody ? WHOLE_JSON_BODIES : WHOLE_JSON_BODIES.subList(0, 8);
    for (Caller caller : bodyCallers) {
      Map<String, String> values = goodValues(route, caller);
      for (String body : wholeBodies) {
        call(route, caller, values, null, json, utf8(body), "json body");
      }
      for (byte[] body : takesBody ? RAW_JSON_BODIES : RAW_JSON_BODIES.subList(0, 2)) {
        call(route, caller, values, null, json, body, "raw json body");
      }
      if (!takesBody) {
        continue;
      }
      List<String[]> form = headers("Content-Type", "application/x-www-form-urlencoded");
      for (String body : FORM_BODIES) {
        call(route, caller, values, null, form, utf8(body), "form body");
      }
      for (String type : CONTENT_TYPES) {
        List<String[]> headers = headers("Content-Type", type);
        call(route, caller, values, null, headers, utf8(type.contains("form") ? "a=%ZZ&email=x%40y.co" : "{}"),
            "content type");
      }
      call(route, caller, values, null, List.of(), utf8("{}"), "no content type");
      call(route, caller, values, null, json, null, "no body");
      call(route, caller, values, null, headers("Content-Type", "multipart/form-data; boundary=zz"),
          utf8("--zz\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na%ZZ@x.co\r\n--zz--\r\n"), "multipart");
      call(route, caller, values, null, headers("Content-Type", "multipart/form-data; boundary=zz"),
          utf8("--zz\r\nbroken"), "multipart");
    }
    // A wrong type for each documented field (one level deep), and for the common names all at once.
    if (takesBody) {
      Map<String, String> values = goodValues(route, main);
      for (List<String> field : documentedFields(route)) {
        for (String wrong : WRONG_VALUES) {
          call(route, main, values, null, json, utf8(nested(field, wrong)), "field " + String.join(".", field));
        }
      }
      for (String wrong : WRONG_VALUES) {
        JsonObject all = new JsonObject();
        COMMON_FIELDS.forEach(name -> all.put(name, new JsonArray("[" + wrong + "]").getValue(0)));
        call(route, main, values, null, json, utf8(all.encode()), "common fields");
      }
    }
    // Credentials: bad tokens on management routes, junk signatures on signed webhooks.
    if (route.management()) {
      for (String authorization : AUTHORIZATIONS) {
        call(route, Caller.NO_TOKEN, goodValues(route, Caller.MANAGEMENT), null,
            headers("Authorization", authorization, "Content-Type", "application/json"), emptyObject, "authorization");
      }
    }
    if (callers.contains(Caller.SIGNED_FORM)) {
      for (String[] junk : JUNK_SIGNATURES) {
        List<String[]> headers = new ArrayList<>(json);
        String[] names = {"webhook-id", "webhook-timestamp", "webhook-signature"};
        for (int i = 0; i < 3; i++) {
          if (junk[i] != null) {
            headers.add(new String[] {names[i], "now".equals(junk[i]) ? Long.toString(Instant.now().getEpochSecond()) : junk[i]});
          }
        }
        call(route, Caller.NO_TOKEN, goodValues(route, Caller.SIGNED_FORM), null, headers,
            utf8("{\"fields\": {\"email\": \"fuzz@example.com\"}}"), "junk signature");
      }
    }
    if ("GET".equals(route.method())) {
      call(route, main, goodValues(route, main), null, List.of(), null, "HEAD", "HEAD");
    }
  }

  // ---- the local server's own answers ------------------------------------------------------------------------

  private void fuzzWhatTheServerAnswersItself(List<DeclaredRoute> routes) throws IOException {
    // 404 for paths no route has.
    for (String path : List.of("/", "/nope", "/v1", "/v1/", "//", "/v1//forms", "/%ZZ", "/v1/forms/%ZZ",
        "/v1/forms/%ZZ/submissions", "/..", "/v1/../health", "/health/..", "/%2e%2e/health", "*", "/" + "n".repeat(3000),
        "/health%00", RawHttp.bytes("/\u2713"), "/\u00ff", "/_local", "/_local/invoke")) {
      expect(404, send("GET", path, authorized(), null, "unknown path"), "GET " + path);
    }
    // 405 with Allow: every method a path does not have.
    Map<String, Set<String>> methodsByPath = new TreeMap<>();
    routes.forEach(r -> methodsByPath.computeIfAbsent(r.path(), p -> new TreeSet<>()).add(r.method()));
    for (Map.Entry<String, Set<String>> path : methodsByPath.entrySet()) {
      String target = PARAMETER.matcher(path.getKey()).replaceAll("x");
      for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "FOO", "get")) {
        if (path.getValue().contains(method)) {
          continue;
        }
        RawHttp.Response response = send(method, target, authorized(), null, "method");
        expect(405, response, method + " " + target);
        Set<String> allowed = response.header("allow") == null ? Set.of()
            : new TreeSet<>(Arrays.stream(response.header("allow").split(",")).map(String::strip).toList());
        if (!allowed.equals(path.getValue())) {
          fail(method + " " + target + ": Allow " + response.header("allow") + ", expected " + path.getValue());
        }
      }
    }
    // 413: a Content-Length over the limit, and a chunked body that grows over it.
    String bodyRoute = routes.stream().filter(r -> BODY_METHODS.contains(r.method()) && r.management())
        .map(r -> PARAMETER.matcher(r.path()).replaceAll("x")).findFirst().orElse("/v1/contacts");
    expect(413, raw(("POST " + bodyRoute + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer "
        + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 10485761\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1),
        "announced huge body"), "announced huge body");
    StringBuilder chunked = new StringBuilder("POST " + bodyRoute + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    String chunk = "x".repeat(64 * 1024);
    for (int i = 0; i <= LocalServer.MAX_BODY_BYTES / chunk.length(); i++) {
      chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    chunked.append("0\r\n\r\n");
    expect(413, raw(chunked.toString().getBytes(StandardCharsets.ISO_8859_1), "chunked huge body"), "chunked huge body");
    // 414: a request line over the limit; 431: headers over the limit.
    expect(414, send("GET", "/v1/forms/" + "x".repeat(20_000), authorized(), null, "long path"), "long path");
    expect(414, send("GET", "/v1/leads?after=" + "x".repeat(20_000), authorized(), null, "long query"), "long query");
    expect(431, send("GET", "/health", headers("X-Big", "x".repeat(20_000)), null, "big header"),
        "big header");
    List<String[]> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(new String[] {"X-Header-" + i, "v".repeat(100)});
    }
    expect(431, send("GET", "/health", many, null, "many headers"), "many headers");
    // Requests HTTP cannot parse: answered 400 problem details (or the connection is closed).
    for (String request : List.of("GET /health\r\n\r\n",
        "\u0000\u0001\u0002\r\n\r\n", "GET /health HTTP/1.1\r\nFoo\r\n\r\n", "GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n",
        "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
        "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", "GET /health HTTP/1.1\r\n: empty\r\n\r\n",
        "GET  /health HTTP/1.1\r\nHost: x\r\n\r\n", "GET /he alth HTTP/1.1\r\nHost: x\r\n\r\n")) {
      requests++;
      RawHttp.Response response = RawHttp.send(server.port(), request.getBytes(StandardCharsets.ISO_8859_1), false, 3_000);
      statuses.merge(response.status(), 1, Integer::sum);
      if (response.status() == 0) {
        unanswered.add(request.replace("\r\n", "\\r\\n"));
      }
      check(response, false, "unparsable " + request.replace("\r\n", "\\r\\n"));
    }
    // A version that is not HTTP/1.x: Vert.x answers 501 itself (no handler of ours sees the request).
    RawHttp.Response version = RawHttp.send(server.port(), "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1), false, 3_000);
    requests++;
    if (version.status() != 501) {
      fail("HTTP/9.9: expected Vert.x's own 501, got " + version.status());
    }
    // No Host (HTTP/1.1 requires it), and expectations other than 100-continue.
    expect(400, raw("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
        "no host"), "no Host");
    expect(417, send("POST", bodyRoute, headers("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json",
        "Expect", "something-else"), utf8("{}"), "expect"), "Expect: something-else");
    check(send("POST", bodyRoute, headers("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json",
        "Expect", "100-continue"), utf8("{}"), "expect"), true, "Expect: 100-continue");
    // Absolute-form and the other spellings of a route that exist.
    expect(200, send("GET", "http://localhost/health", List.of(), null, "absolute form"), "absolute form");
  }

  /** The local server's own routes: invoking functions by hand, queues, the route reference. */
  private void fuzzTheLocalRoutes() throws IOException {
    List<String[]> json = headers("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
    for (String function : List.of("lead-management", "form-intake", "nope", "..%2F..", "%00", "x".repeat(3000))) {
      for (String body : List.of("{}", "[]", "{", "null", "\"x\"", "{\"rawPath\": 1}", "{\"body\": {}}",
          "{\"requestContext\": \"x\"}", "{\"headers\": []}", "{\"isBase64Encoded\": true, \"body\": \"%%%\"}",
          "[".repeat(10_000))) {
        check(send("POST", "/_local/invoke/" + function, json, utf8(body), "invoke"), true, "invoke " + function + " " + body);
        check(send("POST", "/_local/invoke/" + function, List.of(), utf8(body), "invoke"), true, "invoke no token");
      }
      check(send("GET", "/_local/queues/" + function, json, null, "queue"), true, "queue " + function);
      for (String body : List.of("{}", "[]", "{\"messages\": {}}", "{\"messages\": [1]}", "{\"messages\": [{}]}", "{")) {
        check(send("POST", "/_local/queues/" + function + "/messages", json, utf8(body), "queue"), true, "queue send");
      }
    }
    expect(200, send("GET", "/openapi.json", List.of(), null, "openapi"), "GET /openapi.json");
  }

  // ---- sending and checking -------------------------------------------------------------------------------

  private void call(DeclaredRoute route, Caller caller, Map<String, String> values, String query, List<String[]> headers,
      byte[] body, String what) throws IOException {
    call(route, caller, values, query, headers, body, what, route.method());
  }

  private void call(DeclaredRoute route, Caller caller, Map<String, String> values, String query, List<String[]> headers,
      byte[] body, String what, String method) throws IOException {
    Matcher m = PARAMETER.matcher(route.path());
    StringBuilder target = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(target, Matcher.quoteReplacement(values.getOrDefault(m.group(1), SOME_UUID)));
    }
    m.appendTail(target);
    if (query != null) {
      target.append('?').append(query);
    }
    List<String[]> all = new ArrayList<>(headers);
    if (caller == Caller.MANAGEMENT) {
      all.add(new String[] {"Authorization", "Bearer " + TOKEN});
    } else if (caller == Caller.SIGNED_FORM) {
      String secret = values.values().stream().map(secrets::get).filter(s -> s != null).findFirst()
          .orElse(secrets.get("fuzz-page")); // a hostile form id names no form: any secret
      String id = "msg_fuzz_" + (++webhookIds);
      long now = Instant.now().getEpochSecond();
      all.add(new String[] {"webhook-id", id});
      all.add(new String[] {"webhook-timestamp", Long.toString(now)});
      all.add(new String[] {"webhook-signature", StandardWebhooks.sign(secret, id, now, body == null ? new byte[0] : body)});
    }
    String description = route.method() + " " + route.path() + " [" + what + ", " + caller + "]";
    cases.merge(what.startsWith("field ") ? "field" : what.startsWith("path ") ? "path" : what, 1, Integer::sum);
    RawHttp.Response response = send(method, target.toString(), all, body, description);
    check(response, true, description + " " + abbreviate(method + " " + target + " " + (body == null ? ""
        : new String(body, StandardCharsets.ISO_8859_1))));
  }

  private RawHttp.Response send(String method, String target, List<String[]> headers, byte[] body, String description)
      throws IOException {
    return raw(RawHttp.request(method, target, headers, body), description, "HEAD".equals(method));
  }

  private RawHttp.Response raw(byte[] request, String description) throws IOException {
    return raw(request, description, false);
  }

  private RawHttp.Response raw(byte[] request, String description, boolean head) throws IOException {
    requests++;
    try {
      RawHttp.Response response = RawHttp.send(server.port(), request, head);
      statuses.merge(response.status(), 1, Integer::sum);
      return response;
    } catch (IOException e) {
      throw new IOException(description + ": " + e.getMessage(), e);
    }
  }

  /** Records what is wrong with an answer: no answer, a 5xx, or a 4xx that is not problem details. */
  private void check(RawHttp.Response response, boolean mustAnswer, String description) {
    int status = response.status();
    if (status == 0) {
      if (mustAnswer) {
        fail(description + ": no answer");
      }
      return;
    }
    if (status >= 500) {
      fail(description + ": " + status + " " + abbreviate(response.text()));
      return;
    }
    if (response.header("x-request-id") == null) {
      fail(description + ": " + status + " without x-request-id");
    }
    if (status < 400) {
      return;
    }
    if (!"application/problem+json".equals(response.header("content-type"))) {
      fail(description + ": " + status + " with content-type " + response.header("content-type") + ": "
          + abbreviate(response.text()));
      return;
    }
    if (status == 405 && response.header("allow") == null) {
      fail(description + ": 405 without Allow");
    }
    if (description.contains("[HEAD")) {
      return; // the head of problem details, without the body
    }
    try {
      JsonObject problem = new JsonObject(response.text());
      if (!(problem.getValue("status") instanceof Integer value) || value != status
          || !(problem.getValue("type") instanceof String type) || !problemTypes().contains(type)
          || !(problem.getValue("title") instanceof String) || !(problem.getValue("detail") instanceof String)
          || !(problem.getValue("errors") instanceof JsonArray)) {
        fail(description + ": " + status + " with a body that is not its problem details (of a type the route "
            + "reference lists): " + abbreviate(response.text()));
      }
    } catch (RuntimeException e) {
      fail(description + ": " + status + " with a body that is not JSON: " + abbreviate(response.text()));
    }
  }

  private void expect(int status, RawHttp.Response response, String description) {
    check(response, true, description);
    if (response.status() != status) {
      fail(description + ": expected " + status + ", got " + response.status() + " " + abbreviate(response.text()));
    }
  }

  private void fail(String failure) {
    failures.add(failure);
  }

  /** The problem types the route reference lists (the Problem schema's enum). */
  private static Set<String> problemTypes() {
    JsonObject type = object(object(object(object(object(openApi, "components"), "schemas"), "Problem"), "properties"),
        "type");
    Set<String> types = new TreeSet<>();
    type.getJsonArray("enum", new JsonArray()).forEach(t -> types.add((String) t));
    return types;
  }

  // ---- fixtures: records for the path parameters, forms to submit to --------------------------------------

  private void createFixtures() throws IOException {
    secrets.put("fuzz-page", createForm("fuzz-page", "{\"name\": \"Fuzz page\", \"kind\": \"marketing_page\"}"));
    secrets.put("fuzz-event", createForm("fuzz-event", "{\"name\": \"Fuzz event\", \"kind\": \"event\"}"));
    createForm("fuzz-open", "{\"name\": \"Open page\", \"kind\": \"marketing_page\", \"requireSignature\": false}");
    createForm("fuzz-open-event", "{\"name\": \"Open event\", \"kind\": \"event\", \"requireSignature\": false}");
    createForm("fuzz-managed", "{\"name\": \"Managed\", \"kind\": \"marketing_page\"}");
    String contact = created("/v1/contacts", "{\"email\": \"fuzz@example.com\", \"firstName\": \"Fuzz\"}");
    String account = created("/v1/accounts", "{\"name\": \"Fuzz Ltd\"}");
    String lead = created("/v1/leads", "{\"topic\": \"Fuzz\", \"contactId\": \"" + contact
        + "\", \"context\": {\"kind\": \"manual\", \"id\": \"fuzz\", \"name\": \"Fuzz\"}}");
    fixtures.put("contactId", contact);
    fixtures.put("accountId", account);
    fixtures.put("leadId", lead);
    // A Lead Gen form URN, URL-encoded; its mapping exists, LinkedIn itself is not configured here.
    fixtures.put("formUrn", "urn%3Ali%3AleadGenForm%3A7234246");
    RawHttp.Response mapping = send("PUT", "/v1/linkedin/forms/urn%3Ali%3AleadGenForm%3A7234246", authorized(),
        utf8("{\"name\": \"Fuzz form\", \"fields\": {\"EMAIL\": \"email\"}}"), "fixture");
    assertThat(mapping.status()).as("PUT a LinkedIn form mapping: %s", mapping.text()).isEqualTo(201);
  }

  private String createForm(String id, String body) throws IOException {
    RawHttp.Response response = send("PUT", "/v1/forms/" + id, authorized(), utf8(body), "fixture");
    assertThat(response.status()).as("PUT /v1/forms/%s: %s", id, response.text()).isEqualTo(201);
    return new JsonObject(response.text()).getString("signingSecret");
  }

  private String created(String path, String body) throws IOException {
    RawHttp.Response response = send("POST", path, authorized(), utf8(body), "fixture");
    assertThat(response.status()).as("POST %s: %s", path, response.text()).isEqualTo(201);
    return new JsonObject(response.text()).getString("id");
  }

  /** Headers from name, value pairs. */
  private static List<String[]> headers(String... namesAndValues) {
    List<String[]> headers = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
    }
    return headers;
  }

  private static List<String[]> authorized() {
    return headers("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
  }

  /** Whether this public route's parameter names a form, so that it can be signed with the form's secret. */
  private static boolean hasFormFixture(DeclaredRoute route) {
    List<String> names = parameters(route.path());
    return names.contains("formId") || names.contains("eventId");
  }

  /** Path values that name existing records, for the caller (unsigned forms for the unsigned caller...). */
  private Map<String, String> goodValues(DeclaredRoute route, Caller caller) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : parameters(route.path())) {
      String value = switch (name) {
        case "formId" -> caller == Caller.SIGNED_FORM ? "fuzz-page" : route.management() ? "fuzz-managed" : "fuzz-open";
        case "eventId" -> caller == Caller.SIGNED_FORM ? "fuzz-event" : "fuzz-open-event";
        default -> fixtures.getOrDefault(name, SOME_UUID);
      };
      values.put(name, value);
    }
    return values;
  }

  private static List<String> parameters(String path) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(path);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  // ---- the fields the route reference documents ---------------------------------------------------------------

  /** The body fields of the route's request schemas in docs/openapi.yaml, and their fields one level down. */
  private static Set<List<String>> documentedFields(DeclaredRoute route) {
    Set<List<String>> fields = new LinkedHashSet<>();
    JsonObject operation = object(object(object(openApi, "paths"), route.path()), route.method().toLowerCase(Locale.ROOT));
    Object body = resolve(operation.getValue("requestBody"));
    if (body instanceof JsonObject requestBody) {
      JsonObject content = object(requestBody, "content");
      for (String mediaType : content.fieldNames()) {
        collect(object(content, mediaType).getValue("schema"), List.of(), fields, 2);
      }
    }
    if (fields.isEmpty()) {
      COMMON_FIELDS.forEach(name -> fields.add(List.of(name)));
    }
    return fields;
  }

  private static void collect(Object schema, List<String> prefix, Set<List<String>> fields, int depth) {
    if (!(resolve(schema) instanceof JsonObject object)) {
      return;
    }
    for (String combination : List.of("allOf", "oneOf", "anyOf")) {
      if (object.getValue(combination) instanceof JsonArray parts) {
        parts.forEach(part -> collect(part, prefix, fields, depth));
      }
    }
    JsonObject properties = object(object, "properties");
    for (String name : properties.fieldNames()) {
      List<String> field = new ArrayList<>(prefix);
      field.add(name);
      fields.add(field);
      if (depth > 1) {
        collect(properties.getValue(name), field, fields, depth - 1);
      }
    }
  }

  private static Object resolve(Object value) {
    while (value instanceof JsonObject object && object.getValue("$ref") instanceof String ref && ref.startsWith("#/")) {
      Object target = openApi;
      for (String part : ref.substring(2).split("/")) {
        target = target instanceof JsonObject o ? o.getValue(part) : null;
      }
      value = target;
    }
    return value;
  }

  private static JsonObject object(JsonObject parent, String name) {
    return parent.getValue(name) instanceof JsonObject child ? child : new JsonObject();
  }

  // ---- small helpers ---------------------------------------------------------------------------------------

  /** {@code {"a": {"b": <value>}}} for the field a.b. */
  private static String nested(List<String> field, String value) {
    String json = value;
    for (int i = field.size() - 1; i >= 0; i--) {
      json = "{" + new JsonArray().add(field.get(i)).encode().replaceAll("^\\[|]$", "") + ":" + json + "}";
    }
    return json;
  }

  private static String manyKeys(int n) {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    return json.append('}').toString();
  }

  private static String manyFormFields(int n) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i < n; i++) {
      form.append(i == 0 ? "" : "&").append("f").append(i).append('=').append(i);
    }
    return form.toString();
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() <= 240 ? oneLine : oneLine.substring(0, 240) + "...(" + oneLine.length() + " chars)";
  }
}
