package io.leadcycle.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** Path parameters when {@code rawPath} fits this route's path, else null. */
  public Map<String, String> match(String rawPath) {
    StringBuilder regex = new StringBuilder("^");
    Matcher m = PARAMETER.matcher(path);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(path.substring(last, m.start()))).append(m.group(2).isEmpty() ? "([^/]+)" : "(.+?)");
      last = m.end();
    }
    regex.append(Pattern.quote(path.substring(last))).append("/?$");
    Matcher values = Pattern.compile(regex.toString()).matcher(rawPath);
    if (!values.matches()) {
      return null;
    }
    Map<String, String> parameters = new HashMap<>();
    List<String> names = parameterNames();
    for (int i = 0; i < names.size(); i++) {
      try {
        parameters.put(names.get(i), java.net.URLDecoder.decode(values.group(i + 1).replace("+", "%2B"),
            java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException badEscape) {
        return null; // "%zz" names nothing we have: the caller answers 404
      }
    }
    return parameters;
  }
}
