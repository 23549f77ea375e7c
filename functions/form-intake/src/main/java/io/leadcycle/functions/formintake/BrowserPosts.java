package io.leadcycle.functions.formintake;

import io.leadcycle.domain.Form;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.Problem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Submissions posted by visitors' browsers rather than by servers: CORS for a page's {@code fetch()}
 * (only from the form's allowed origins) and, for a plain HTML form post, a {@code 303} on to the
 * form's thank-you page instead of JSON the visitor cannot read.
 */
final class BrowserPosts {

  /** What a page may send: the body's type and the Standard Webhooks headers (a server-side proxy may sign). */
  private static final String ALLOWED_HEADERS = "content-type, webhook-id, webhook-timestamp, webhook-signature";

  private BrowserPosts() {
  }

  /** The answer to a CORS preflight ({@code OPTIONS}): 204 for an allowed origin, else 403. */
  static HttpResponse preflight(Form form, HttpRequest request) {
    String origin = request.header("origin");
    if (origin == null) {
      throw Problem.malformed("Not a CORS preflight: the request has no Origin header.");
    }
    requireAllowedOrigin(form, origin);
    return HttpResponse.empty(204).withHeaders(Map.of(
        "access-control-allow-origin", origin,
        "access-control-allow-methods", "POST",
        "access-control-allow-headers", ALLOWED_HEADERS,
        "access-control-max-age", "600",
        "vary", "Origin"));
  }

  /**
   * 403 when the request comes from a browser page whose origin the form does not allow. A form with
   * no allowed origins sets no CORS rules (plain HTML posts keep working); a request without an
   * {@code Origin} header comes from a server and is not a browser's to refuse.
   */
  static void checkOrigin(Form form, HttpRequest request) {
    String origin = request.header("origin");
    if (origin != null && !form.browser().allowedOrigins().isEmpty()) {
      requireAllowedOrigin(form, origin);
    }
  }

  private static void requireAllowedOrigin(Form form, String origin) {
    if (!form.browser().allows(origin)) {
      throw Problem.forbidden("The origin " + origin + " is not among the allowed origins of form " + form.id()
          + "; add it to the form's allowedOrigins.");
    }
  }

  /** {@code response} with the CORS headers a browser needs to let the page read it, when the origin is allowed. */
  static HttpResponse withCors(Form form, HttpRequest request, HttpResponse response) {
    String origin = request.header("origin");
    if (origin == null || !form.browser().allows(origin)) {
      return response;
    }
    return response.withHeaders(Map.of(
        "access-control-allow-origin", origin,
        "access-control-expose-headers", "x-request-id",
        "vary", "Origin"));
  }

  /**
   * Whether the answer should send the browser on to the form's thank-you page: the form has one and
   * this is a plain HTML form post from a browser (form-encoded, accepting HTML).
   */
  static boolean redirects(Form form, HttpRequest request) {
    String accept = request.header("accept");
    return form.browser().redirectUrl() != null && request.isFormUrlEncoded()
        && accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
  }

  /** 303 to the thank-you page; after a refused post with {@code ?error=<reason>} (and the first invalid field). */
  static HttpResponse redirect(Form form, Problem refused) {
    String url = form.browser().redirectUrl();
    if (refused == null) {
      return HttpResponse.seeOther(url);
    }
    int hash = url.indexOf('#');
    String base = hash < 0 ? url : url.substring(0, hash);
    StringBuilder location = new StringBuilder(base).append(base.contains("?") ? '&' : '?')
        .append("error=").append(errorCode(refused.status()));
    if (!refused.errors().isEmpty()) {
      String field = refused.errors().get(0).field();
      location.append("&field=").append(URLEncoder.encode(
          field.startsWith("fields.") ? field.substring("fields.".length()) : field, StandardCharsets.UTF_8));
    }
    return HttpResponse.seeOther(location.append(hash < 0 ? "" : url.substring(hash)).toString());
  }

  /** A short reason a thank-you page can show a message for. */
  private static String errorCode(int status) {
    return switch (status) {
      case 400 -> "invalid";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 409 -> "conflict";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      default -> "rejected";
    };
  }
}
