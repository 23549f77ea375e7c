package io.leadcycle.functions.workbench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workbench's files: a fixed manifest, read once from the class path when the function starts. The
 * page ({@code index.html}) names every other file under {@code /workbench/assets/<version>/}, where the
 * version is a hash of all files: a deploy that changes any file changes every asset URL, so assets can be
 * cached for a year and the page ({@code no-cache}, revalidated by its entity tag) never meets a stale one.
 * Nothing outside the manifest can be served, whatever the path says. Besides these files there is one
 * generated file, {@link #CONFIG}: what the page is told about the environment (its sign-in), made from
 * the function's settings, not cached.
 */
public final class WorkbenchFiles {

  /**
   * Every file the page consists of, besides {@code index.html} (and the generated {@link #CONFIG}); nothing
   * else is ever served.
   */
  public static final List<String> MANIFEST = List.of(
      "workbench.css", "icon.svg", "app.js", "api.js", "dom.js", "format.js", "queues.js", "detail.js", "config.js",
      "signin.js", "rules.js", "shift.js", "keys.js", "people.js", "segments.js", "models.js",
      "designer.js", "scoring-lists.js", "editing.js", "forms.js", "subscribers.js", "imports.js", "linkedin.js");

  /**
   * The one generated file, at {@code /workbench/config.json} (unversioned, {@code no-cache}): the sign-in
   * the page offers ({@link SignIn#configJson}).
   */
  public static final String CONFIG = "config.json";

  /** What the page's {@code {{VERSION}}} placeholders become. */
  static final String VERSION_PLACEHOLDER = "{{VERSION}}";

  /** Assets are immutable under their versioned URL. */
  static final String CACHE_ASSET = "public, max-age=31536000, immutable";
  /** The page is revalidated on every load (cheaply: 304 by its entity tag). */
  static final String CACHE_PAGE = "no-cache";

  /**
   * The page runs only its own scripts and styles, talks only to its own origin (the API is served from the
   * same one), may not be framed, and may not be told another base URL or post forms elsewhere. With a
   * sign-in, see {@link #contentSecurityPolicy(SignIn)}.
   */
  public static final String CONTENT_SECURITY_POLICY = contentSecurityPolicy(null);

  /**
   * The policy with {@code signIn}: the page may also call the sign-in's token endpoint (its origin: the
   * code is exchanged there), and nothing else. Signing in and out are navigations, which it does not govern.
   */
  public static String contentSecurityPolicy(SignIn signIn) {
    String connect = signIn == null ? "'self'" : "'self' " + signIn.baseUrl();
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src " + connect
        + "; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  }

  /** One file: its text, content type, entity tag and how long it may be cached. */
  public record Asset(String name, String text, String contentType, String etag, String cacheControl) {
  }

  private final String version;
  private final Asset page;
  private final Map<String, Asset> assets;

  private WorkbenchFiles(String version, Asset page, Map<String, Asset> assets) {
    this.version = version;
    this.page = page;
    this.assets = assets;
  }

  /** The files packed into this jar under {@code workbench/}. */
  public static WorkbenchFiles bundled() {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("index.html", read("workbench/index.html"));
    for (String name : MANIFEST) {
      texts.put(name, read("workbench/" + name));
    }
    return of(texts);
  }

  /** The workbench of these files ({@code index.html} and every file of the manifest, by name). */
  static WorkbenchFiles of(Map<String, String> texts) {
    MessageDigest all = sha256();
    for (String name : MANIFEST) {
      all.update(name.getBytes(StandardCharsets.UTF_8));
      all.update((byte) 0);
      all.update(texts.get(name).getBytes(StandardCharsets.UTF_8));
      all.update((byte) 0);
    }
    all.update(texts.get("index.html").getBytes(StandardCharsets.UTF_8));
    String version = HexFormat.of().formatHex(all.digest()).substring(0, 16);
    Map<String, Asset> assets = new LinkedHashMap<>();
    for (String name : MANIFEST) {
      assets.put(name, asset(name, texts.get(name), CACHE_ASSET));
    }
    String pageText = texts.get("index.html").replace(VERSION_PLACEHOLDER, version);
    return new WorkbenchFiles(version, asset("index.html", pageText, CACHE_PAGE), Map.copyOf(assets));
  }

  public String version() {
    return version;
  }

  public Asset page() {
    return page;
  }

  /**
   * The asset at {@code path} ({@code assets/<version>/<name>}), else null. An asset asked for under another
   * version (a page loaded before a deploy) is served as it is now, but not cached for long.
   */
  public Asset asset(String path) {
    String[] parts = path.split("/", -1);
    if (parts.length != 3 || !parts[0].equals("assets") || !parts[1].matches("[0-9a-f]{1,64}")) {
      return null;
    }
    Asset asset = assets.get(parts[2]);
    if (asset == null || parts[1].equals(version)) {
      return asset;
    }
    return new Asset(asset.name(), asset.text(), asset.contentType(), asset.etag(), CACHE_PAGE);
  }

  /** {@link #CONFIG} for {@code signIn} (null: none), revalidated on every load like the page. */
  static Asset config(SignIn signIn) {
    return asset(CONFIG, SignIn.configJson(signIn), CACHE_PAGE);
  }

  /** The headers of an answer with {@code asset} (or a 304 for it), under the page's policy {@code csp}. */
  static Map<String, String> headers(Asset asset, String csp) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", asset.contentType());
    headers.put("cache-control", asset.cacheControl());
    headers.put("etag", asset.etag());
    headers.put("content-security-policy", csp);
    headers.put("x-content-type-options", "nosniff");
    headers.put("referrer-policy", "no-referrer");
    headers.put("x-frame-options", "DENY");
    headers.put("cross-origin-opener-policy", "same-origin");
    headers.put("permissions-policy", "camera=(), microphone=(), geolocation=()");
    return Map.copyOf(headers);
  }

  /** Whether an {@code If-None-Match} header names {@code etag} (or is {@code *}); weak tags compare weakly. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.strip();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** A path for a message: at most 100 characters. */
  static String shorten(String path) {
    return path.length() <= 100 ? path : path.substring(0, 100) + "...";
  }

  private static Asset asset(String name, String text, String cacheControl) {
    String etag = "\"" + HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 32) + "\"";
    return new Asset(name, text, contentType(name), etag, cacheControl);
  }

  static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "svg" -> "image/svg+xml; charset=utf-8";
      case "json" -> "application/json; charset=utf-8";
      default -> throw new IllegalArgumentException("no content type for " + name + ": add it before adding the file");
    };
  }

  private static String read(String resource) {
    try (InputStream in = WorkbenchFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not packed into the workbench jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
