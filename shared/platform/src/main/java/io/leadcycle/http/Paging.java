package io.leadcycle.http;

import io.leadcycle.domain.FormDefinition;

import io.leadcycle.domain.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * List pages the same way on every route: {@code limit} (1–200, 50 by default) and an opaque
 * {@code after} cursor that names the last item of the previous page by (creation time, id).
 */
public final class Paging {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /** A position in a list ordered by (created, id). */
  public record Cursor(Instant created, UUID id) {
  }

  /** A position in a list ordered by (time, text key), e.g. a form's submissions by (received, submission key). */
  public record KeyCursor(Instant at, String key) {
  }

  private Paging() {
  }

  /** The {@code limit} query parameter; 400 naming it unless a whole number from 1 to 200. */
  public static int limit(HttpRequest request) {
    return limit(request, DEFAULT_LIMIT, MAX_LIMIT);
  }

  /**
   * The {@code limit} query parameter of a route with other bounds (exports); 400 naming it unless a
   * whole number from 1 to {@code max}.
   */
  public static int limit(HttpRequest request, int defaultLimit, int max) {
    String raw = request.queryParameter("limit");
    if (raw == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInput("limit", "a whole number from 1 to " + max);
  }

  /** The {@code after} query parameter, or null on the first page; 400 unless a cursor we made. */
  public static Cursor after(HttpRequest request) {
    KeyCursor position = afterTimeAndKey(request);
    if (position == null) {
      return null;
    }
    try {
      return new Cursor(position.at(), UUID.fromString(position.key()));
    } catch (IllegalArgumentException e) {
      throw notOurCursor();
    }
  }

  /** The {@code after} query parameter of a list ordered by (time, text key), or null on the first page. */
  public static KeyCursor afterTimeAndKey(HttpRequest request) {
    String after = request.queryParameter("after");
    if (after == null) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split("\\|", 2);
      Instant at = Instant.parse(parts[0]);
      at.atOffset(java.time.ZoneOffset.UTC); // the database's timestamps have a narrower range than Instant's
      if (parts[1].isEmpty()) {
        throw new IllegalArgumentException("no key");
      }
      return new KeyCursor(at, parts[1]);
    } catch (RuntimeException e) {
      throw notOurCursor();
    }
  }

  /** The {@code next} of a page ordered by (time, text key) whose last item is (at, key). */
  public static String next(Instant at, String key) {
    return next(at + "|" + key);
  }

  /** A position in a list ordered by score (best first), then id. */
  public record ScoreCursor(int score, UUID id) {
  }

  /** The {@code after} query parameter of a list ordered by score, or null on the first page. */
  public static ScoreCursor afterScore(HttpRequest request) {
    String after = request.queryParameter("after");
    if (after == null) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split("\\|", 2);
      if (!parts[0].startsWith("s")) {
        throw new IllegalArgumentException("not a score cursor");
      }
      return new ScoreCursor(Integer.parseInt(parts[0].substring(1)), UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw notOurCursor();
    }
  }

  /** The {@code next} of a page ordered by score whose last item has {@code score} and {@code id}. */
  public static String next(int score, UUID id) {
    return next("s" + score + "|" + id);
  }

  /** A position in a list ordered by follow-up time (soonest first, leads without one last), then id. */
  public record DueCursor(Instant at, UUID id) {
  }

  /** The {@code after} query parameter of a list ordered by follow-up time, or null on the first page. */
  public static DueCursor afterDue(HttpRequest request) {
    String after = request.queryParameter("after");
    if (after == null) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split("\\|", 2);
      if (!parts[0].startsWith("d")) {
        throw new IllegalArgumentException("not a follow-up cursor");
      }
      String at = parts[0].substring(1);
      Instant time = at.isEmpty() ? null : Instant.parse(at);
      if (time != null) {
        time.atOffset(java.time.ZoneOffset.UTC); // the database's timestamps have a narrower range than Instant's
      }
      return new DueCursor(time, UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw notOurCursor();
    }
  }

  /** The {@code next} of a page ordered by follow-up time whose last item has {@code at} (null: none) and {@code id}. */
  public static String nextDue(Instant at, UUID id) {
    return next("d" + (at == null ? "" : at.toString()) + "|" + id);
  }

  private static InvalidInput notOurCursor() {
    return new InvalidInput("after", "not a cursor from a previous page's \"next\"");
  }

  /** The {@code after} query parameter of a list ordered by an id (form ids), or null on the first page. */
  public static String afterKey(HttpRequest request) {
    String after = request.queryParameter("after");
    if (after == null) {
      return null;
    }
    try {
      String key = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
      if (!io.leadcycle.domain.FormDefinition.isValidId(key)) {
        throw new IllegalArgumentException("not an id");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw notOurCursor();
    }
  }

  /** The {@code next} of a page ordered by a text key whose last item has {@code key}. */
  public static String next(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code next} of a page whose last item is (created, id). */
  public static String next(Instant created, UUID id) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((created + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code response} naming the next page, if there is one, in {@code x-next-cursor} and as a
   * {@code Link: <...>; rel="next"} (RFC 8288) that repeats the request's {@code kept} query parameters.
   */
  public static HttpResponse withNext(HttpResponse response, HttpRequest request, String next, List<String> kept) {
    if (next == null) {
      return response;
    }
    java.util.StringJoiner query = new java.util.StringJoiner("&");
    for (String name : kept) {
      String value = request.queryParameter(name);
      if (value != null) {
        query.add(name + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    query.add("after=" + next);
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("x-next-cursor", next);
    headers.put("link", "<" + request.path() + "?" + query + ">; rel=\"next\"");
    return response.withHeaders(headers);
  }
}
