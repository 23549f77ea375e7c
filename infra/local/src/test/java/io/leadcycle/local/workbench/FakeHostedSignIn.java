package io.leadcycle.local.workbench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Cognito's hosted sign-in pages on loopback, for the browser test: a real HTTP server with
 * the OAuth 2.0 authorization endpoint ({@code GET /oauth2/authorize}: checks the client, the redirect URI
 * and that a S256 code challenge came, then "signs the user in" at once and sends the browser back with a
 * code and the state), the token endpoint ({@code POST /oauth2/token}: the code once, its redirect URI, and
 * that SHA-256 of the code verifier, base64url, is the challenge; answers the access token it was given) and
 * the logout endpoint. What it refused, and why, is kept for the test to assert on.
 */
final class FakeHostedSignIn implements AutoCloseable {

  static final String CLIENT_ID = "4workbench5test6client";

  private record Issued(String challenge, String redirectUri) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final String accessToken;
  private final Map<String, Issued> codes = new ConcurrentHashMap<>();
  private final AtomicBoolean forgeState = new AtomicBoolean();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger logouts = new AtomicInteger();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private volatile String pageUrl;

  private FakeHostedSignIn(String accessToken) {
    this.accessToken = accessToken;
    this.vertx = Vertx.vertx();
    this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
  }

  /**
   * Started on a free loopback port; it hands out {@code accessToken} as the ID token, the one the page
   * sends (it names the user and their groups), beside an access token the API would not take.
   */
  static FakeHostedSignIn start(String accessToken) {
    return new FakeHostedSignIn(accessToken);
  }

  /** Its origin: what the workbench's {@code SIGN_IN_BASE_URL} names. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The workbench's address, the one redirect and logout URI this client has registered. */
  void registerPage(String url) {
    this.pageUrl = url;
  }

  /** From now on, send the browser back with a state other than the one it brought. */
  void forgeState(boolean forge) {
    forgeState.set(forge);
  }

  int tokensIssued() {
    return tokensIssued.get();
  }

  int logouts() {
    return logouts.get();
  }

  List<String> refusals() {
    return List.copyOf(refusals);
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/oauth2/authorize") && request.method() == HttpMethod.GET) {
      authorize(request);
    } else if (path.equals("/oauth2/token") && request.method() == HttpMethod.POST) {
      request.body().onSuccess(body -> token(request, body));
    } else if (path.equals("/oauth2/token") && request.method() == HttpMethod.OPTIONS) {
      cors(request).putHeader("access-control-allow-methods", "POST")
          .putHeader("access-control-allow-headers", "content-type").setStatusCode(204).end();
    } else if (path.equals("/logout") && request.method() == HttpMethod.GET) {
      logout(request);
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private void authorize(HttpServerRequest request) {
    String refusal = null;
    String challenge = request.getParam("code_challenge");
    if (!"code".equals(request.getParam("response_type"))) {
      refusal = "response_type is not code";
    } else if (!CLIENT_ID.equals(request.getParam("client_id"))) {
      refusal = "unknown client_id " + request.getParam("client_id");
    } else if (pageUrl == null || !pageUrl.equals(request.getParam("redirect_uri"))) {
      refusal = "redirect_uri " + request.getParam("redirect_uri") + " is not registered";
    } else if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{43}")) {
      refusal = "no S256 code_challenge";
    } else if (!"S256".equals(request.getParam("code_challenge_method"))) {
      refusal = "code_challenge_method is not S256";
    } else if (request.getParam("scope") == null || !List.of(request.getParam("scope").split(" ")).contains("openid")) {
      refusal = "no openid scope";
    } else if (request.getParam("state") == null || request.getParam("state").isBlank()) {
      refusal = "no state";
    }
    if (refusal != null) {
      refusals.add("authorize: " + refusal);
      request.response().setStatusCode(400).putHeader("content-type", "text/plain").end(refusal);
      return;
    }
    String code = UUID.randomUUID().toString();
    codes.put(code, new Issued(challenge, pageUrl));
    String state = forgeState.get() ? "forged-state" : request.getParam("state");
    request.response().setStatusCode(302).putHeader("location", pageUrl + "?code=" + encode(code)
        + "&state=" + encode(state)).end();
  }

  private void token(HttpServerRequest request, Buffer body) {
    Map<String, String> form = form(body.toString(StandardCharsets.UTF_8));
    String contentType = String.valueOf(request.getHeader("content-type"));
    Issued issued = form.get("code") == null ? null : codes.remove(form.get("code"));
    String refusal = null;
    if (!contentType.startsWith("application/x-www-form-urlencoded")) {
      refusal = "content-type " + contentType;
    } else if (!"authorization_code".equals(form.get("grant_type"))) {
      refusal = "grant_type is not authorization_code";
    } else if (!CLIENT_ID.equals(form.get("client_id"))) {
      refusal = "unknown client_id";
    } else if (issued == null) {
      refusal = "unknown or used code";
    } else if (!issued.redirectUri().equals(form.get("redirect_uri"))) {
      refusal = "redirect_uri differs from the authorization's";
    } else if (form.get("code_verifier") == null || !issued.challenge().equals(s256(form.get("code_verifier")))) {
      refusal = "SHA-256 of code_verifier is not the code_challenge";
    }
    if (refusal != null) {
      refusals.add("token: " + refusal);
      cors(request).setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "invalid_grant").encode());
      return;
    }
    tokensIssued.incrementAndGet();
    cors(request).setStatusCode(200).putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
        .end(new JsonObject().put("access_token", "an-access-token-the-page-does-not-send").put("id_token", accessToken)
            .put("token_type", "Bearer")
            .put("expires_in", 3600).encode());
  }

  private void logout(HttpServerRequest request) {
    if (!CLIENT_ID.equals(request.getParam("client_id")) || pageUrl == null
        || !pageUrl.equals(request.getParam("logout_uri"))) {
      refusals.add("logout: client_id " + request.getParam("client_id") + ", logout_uri " + request.getParam("logout_uri"));
      request.response().setStatusCode(400).end();
      return;
    }
    logouts.incrementAndGet();
    request.response().setStatusCode(302).putHeader("location", pageUrl).end();
  }

  /** The page calls the token endpoint from its own origin, as it calls Cognito's. */
  private static io.vertx.core.http.HttpServerResponse cors(HttpServerRequest request) {
    String origin = request.getHeader("origin");
    return request.response().putHeader("access-control-allow-origin", origin == null ? "*" : origin)
        .putHeader("vary", "origin");
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      form.put(name, value);
    }
    return form;
  }

  static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close().await();
    vertx.close().await();
  }
}
