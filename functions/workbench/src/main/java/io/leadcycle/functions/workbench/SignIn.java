package io.leadcycle.functions.workbench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the page signs users in: the hosted pages of an OAuth 2.0 authorization server (the created Cognito
 * user pool's domain, {@code https://<prefix>.auth.<region>.amazoncognito.com}) and the public app client
 * the page signs in as (authorization code with PKCE; the client has no secret). template.yaml sets both
 * variables when the stack offers the sign-in, else both empty: then there is no sign-in and the page asks
 * for a pasted token. Both values are public: the page receives them in {@code config.json}.
 *
 * @param baseUrl the authorization server's origin, without a trailing slash; its endpoints are Cognito's
 *     paths below it
 * @param clientId the app client's id
 */
public record SignIn(String baseUrl, String clientId) {

  /** The authorization server's origin (https; http only on loopback, for local tests). */
  public static final String BASE_URL_VARIABLE = "SIGN_IN_BASE_URL";
  /** The app client's id. */
  public static final String CLIENT_ID_VARIABLE = "SIGN_IN_CLIENT_ID";

  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  /**
   * The sign-in the environment names, or null when both variables are empty. Anything half-set or not an
   * origin is refused when the function starts, in words, rather than handed to the page.
   */
  public static SignIn fromEnvironment(Map<String, String> env) {
    String base = env.getOrDefault(BASE_URL_VARIABLE, "").strip();
    String client = env.getOrDefault(CLIENT_ID_VARIABLE, "").strip();
    if (base.isEmpty() && client.isEmpty()) {
      return null;
    }
    if (base.isEmpty() || client.isEmpty()) {
      throw new IllegalStateException("The workbench's sign-in needs both " + BASE_URL_VARIABLE + " and "
          + CLIENT_ID_VARIABLE + " (or neither, for no sign-in); only one is set.");
    }
    if (!client.matches("[\\w+]{1,128}")) {
      throw new IllegalStateException(CLIENT_ID_VARIABLE + " is not an app client id (letters, digits, _ and +).");
    }
    return new SignIn(origin(base), client);
  }

  /** {@code base} as an origin ({@code scheme://host[:port]}), or an exception saying what is wrong with it. */
  private static String origin(String base) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(BASE_URL_VARIABLE + " is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("https") || (scheme.equals("http") && host != null && LOOPBACK.contains(host));
    if (!secure || host == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalStateException(BASE_URL_VARIABLE + " must be the sign-in domain's origin, https://host[:port]"
          + " (http only on localhost), without a path: " + (trimmed.length() <= 100 ? trimmed : trimmed.substring(0, 100)));
    }
    return scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /** Where the page sends the browser to sign in (OAuth 2.0 authorization endpoint). */
  public String authorizeUrl() {
    return baseUrl + "/oauth2/authorize";
  }

  /** Where the page exchanges the code for tokens (token endpoint): the one other origin it may call. */
  public String tokenUrl() {
    return baseUrl + "/oauth2/token";
  }

  /** Where the page sends the browser to end the hosted pages' session (Cognito's logout endpoint). */
  public String logoutUrl() {
    return baseUrl + "/logout";
  }

  /** What {@code config.json} says: {@code {"signIn": {...}}}, or {@code {"signIn": null}} without a sign-in. */
  static String configJson(SignIn signIn) {
    if (signIn == null) {
      return new JsonObject().putNull("signIn").encode();
    }
    return new JsonObject().put("signIn", new JsonObject()
        .put("authorizeUrl", signIn.authorizeUrl())
        .put("tokenUrl", signIn.tokenUrl())
        .put("clientId", signIn.clientId())
        .put("logoutUrl", signIn.logoutUrl())).encode();
  }
}
