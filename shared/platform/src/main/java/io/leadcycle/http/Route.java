package io.leadcycle.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP route of a function, written as in the SAM template ({@code POST /v1/forms/{formId}/submissions}).
 * The local server registers the same routes, and a test checks that template.yaml lists them. A path
 * parameter takes one path segment; a greedy one, written {@code {proxy+}} as API Gateway writes it, takes
 * the rest of the path (one or more segments) and may only end the path. Its name is {@code proxy}, as
 * API Gateway names it in the event's path parameters.
 */
public record Route(String method, String path, Access access, Endpoint endpoint) {

  /** The code behind a route. */
  @FunctionalInterface
  public interface Endpoint {
    HttpResponse handle(HttpRequest request);
  }

  private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)(\\+?)}");

  public Route {
    Matcher greedy = PARAMETER.matcher(path);
    while (greedy.find()) {
      if (!greedy.group(2).isEmpty() && greedy.end() != path.length()) {
        throw new IllegalArgumentException("a greedy path parameter must end the path: " + path);
      }
    }
  }

  /** The API Gateway route key: {@code "METHOD /path/{param}"}. */
  public String routeKey() {
    return method + " " + path;
  }

  /** The path parameter names, in order. */
  public List<String> parameterNames() {
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(path);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * A path compiled once: its pattern, parameter names and the literal text before its first parameter.
   * Kept beside the record (which holds no derived fields), by path, as routes are defined once per function.
   */
  record Compiled(Pattern pattern, List<String> names, String literalPrefix) {

    /** Path parameters when {@code rawPath} fits, else null. */
    Map<String, String> match(String rawPath) {
      // Most routes are refused by their literal start without running the pattern.
      if (!rawPath.startsWith(literalPrefix)) {
        return null;
      }
      Matcher values = pattern.matcher(rawPath);
      if (!values.matches()) {
        return null;
      }
      Map<String, String> parameters = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        String value = values.group(i + 1);
        try {
          parameters.put(names.get(i), value.indexOf('%') < 0 && value.indexOf('+') < 0 ? value
              : java.net.URLDecoder.decode(value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException badEscape) {
          return null; // "%zz" names nothing we have: the caller answers 404
        }
      }
      return parameters;
    }
  }

  private static final Map<String, Compiled> COMPILED = new ConcurrentHashMap<>();

  private static Compiled compile(String path) {
    StringBuilder regex = new StringBuilder("^");
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(path);
    int last = 0;
    String prefix = null;
    while (m.find()) {
      if (prefix == null) {
        prefix = path.substring(0, m.start());
      }
      regex.append(Pattern.quote(path.substring(last, m.start()))).append(m.group(2).isEmpty() ? "([^/]+)" : "(.+?)");
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(path.substring(last))).append("/?$");
    return new Compiled(Pattern.compile(regex.toString()), List.copyOf(names), prefix == null ? path : prefix);
  }

  /** This route's path, compiled once per path ({@link RouteTable} keeps it beside each of its routes). */
  Compiled compiled() {
    // No method reference: it would cost a class spun at the first cold start.
    Compiled compiled = COMPILED.get(path);
    if (compiled == null) {
      compiled = compile(path);
      Compiled earlier = COMPILED.putIfAbsent(path, compiled);
      return earlier != null ? earlier : compiled;
    }
    return compiled;
  }

  /** Path parameters when {@code rawPath} fits this route's path, else null. */
  public Map<String, String> match(String rawPath) {
    return compiled().match(rawPath);
  }
}
