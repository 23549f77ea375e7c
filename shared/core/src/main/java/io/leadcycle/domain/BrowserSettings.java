package io.leadcycle.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a form needs when visitors' browsers post to it directly: the page origins allowed to call it
 * (CORS), the thank-you page a browser form post is sent on to, and the honeypot field that only
 * bots fill in.
 *
 * @param allowedOrigins exact origins ({@code https://www.example.com}), normalized; empty: no CORS
 * @param redirectUrl an absolute http(s) URL, or null
 * @param honeypotField the name of a field that people leave empty, or null
 * @param unsignedUpdates what an unsigned submission may change on a contact it matches
 */
public record BrowserSettings(List<String> allowedOrigins, String redirectUrl, String honeypotField,
    UnsignedUpdates unsignedUpdates) {

  public static final BrowserSettings NONE = new BrowserSettings(List.of(), null, null);
  static final int MAX_ORIGINS = 20;
  static final int MAX_URL_LENGTH = 2000;

  public BrowserSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
    unsignedUpdates = unsignedUpdates == null ? UnsignedUpdates.FILL_EMPTY : unsignedUpdates;
  }

  /** With the default for unsigned submissions: fill empty fields only. */
  public BrowserSettings(List<String> allowedOrigins, String redirectUrl, String honeypotField) {
    this(allowedOrigins, redirectUrl, honeypotField, UnsignedUpdates.FILL_EMPTY);
  }

  /** Whether a request from {@code origin} (the {@code Origin} header) may call the form. */
  public boolean allows(String origin) {
    String normalized = origin == null ? null : normalizeOrigin(origin);
    return normalized != null && allowedOrigins.contains(normalized);
  }

  /** Whether the submitted fields fill the honeypot, which only a bot does. */
  public boolean honeypotFilled(Map<String, ?> fields) {
    if (honeypotField == null || fields == null) {
      return false;
    }
    Object value = fields.get(honeypotField);
    return value != null && !value.toString().isBlank();
  }

  static BrowserSettings parse(Map<String, ?> body, List<FieldError> errors) {
    List<String> origins = new ArrayList<>();
    Object rawOrigins = body.get("allowedOrigins");
    if (rawOrigins instanceof List<?> list) {
      if (list.size() > MAX_ORIGINS) {
        errors.add(new FieldError("allowedOrigins", "at most " + MAX_ORIGINS + " origins"));
      }
      for (int i = 0; i < list.size() && i < MAX_ORIGINS; i++) {
        String origin = list.get(i) instanceof String text ? normalizeOrigin(text) : null;
        if (origin == null) {
          errors.add(new FieldError("allowedOrigins[" + i + "]",
              "must be an origin: scheme and host, optionally a port, no path (e.g. https://www.example.com)"));
        } else if (!origins.contains(origin)) {
          origins.add(origin);
        }
      }
    } else if (rawOrigins != null) {
      errors.add(new FieldError("allowedOrigins", "must be a list of origins, e.g. [\"https://www.example.com\"]"));
    }
    String redirectUrl = Fields.optionalText(body, "redirectUrl", MAX_URL_LENGTH, errors);
    if (redirectUrl != null && !isWebUrl(redirectUrl)) {
      errors.add(new FieldError("redirectUrl", "must be an absolute http or https URL"));
    }
    String honeypot = Fields.optionalText(body, "honeypotField", 100, errors);
    if (honeypot != null && (ContactDetails.STANDARD_FIELDS.contains(honeypot) || !ContactFields.isAttributeName(honeypot)
        || List.of("submissionId", "submittedAt").contains(honeypot))) {
      errors.add(new FieldError("honeypotField", "must be a custom field name (not a standard field): "
          + ContactFields.ATTRIBUTE_NAME_RULE));
    }
    UnsignedUpdates unsignedUpdates = body.get("unsignedUpdates") == null ? UnsignedUpdates.FILL_EMPTY
        : Fields.requiredEnum(body, "unsignedUpdates", UnsignedUpdates::fromWireName, UnsignedUpdates.WIRE_NAMES, errors);
    return new BrowserSettings(origins, redirectUrl, honeypot, unsignedUpdates);
  }

  /**
   * An origin as browsers send it in the {@code Origin} header: lower-case scheme and host, the port
   * only when it is not the scheme's default. Null when {@code text} is not an http(s) origin (a port
   * must be 1 to 65535).
   */
  static String normalizeOrigin(String text) {
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
          && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
      if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || !bare) {
        return null;
      }
      int port = uri.getPort();
      if (port == 0 || port > 65535 || uri.getRawAuthority().endsWith(":")) {
        return null; // no such port (URI takes any number), or a colon without one
      }
      boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean isWebUrl(String text) {
    try {
      URI uri = new URI(text);
      return uri.isAbsolute() && uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
