package io.leadcycle.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the route of a request among the routes of one function (in Lambda) or of every hosted
 * function (on the local server): the one routing rule both hosts share.
 *
 * @param <T> what owns each route (the function that serves it)
 */
public final class RouteTable<T> {

  /** A route with its owner. */
  public record Entry<T>(T owner, Route route) {
  }

  /** The route a request goes to, and its path parameters, decoded. */
  public record Match<T>(T owner, Route route, Map<String, String> pathParameters) {
  }

  private final List<Entry<T>> entries;
  // Beside each entry, for every request tries every route: its compiled path and its route key.
  private final Route.Compiled[] compiled;
  private final String[] routeKeys;

  public RouteTable(List<Entry<T>> entries) {
    this.entries = List.copyOf(entries);
    this.compiled = new Route.Compiled[this.entries.size()];
    this.routeKeys = new String[this.entries.size()];
    for (int i = 0; i < compiled.length; i++) {
      compiled[i] = this.entries.get(i).route().compiled();
      routeKeys[i] = this.entries.get(i).route().routeKey();
    }
  }

  /** The routes of one owner. */
  public static <T> RouteTable<T> of(T owner, List<Route> routes) {
    List<Entry<T>> entries = new ArrayList<>();
    routes.forEach(route -> entries.add(new Entry<>(owner, route)));
    return new RouteTable<>(entries);
  }

  public List<Entry<T>> entries() {
    return entries;
  }

  /** The methods of the routes whose path fits {@code path}, for {@code Allow}; empty when no route has it. */
  public Set<String> methods(String path) {
    Set<String> methods = new TreeSet<>();
    fitting(path).forEach(match -> methods.add(match.route().method()));
    return methods;
  }

  /**
   * The routes whose path fits {@code path} most specifically: a path written out ({@code
   * /v1/imports/preview}) is taken before one with a parameter in its place ({@code /v1/imports/{importId}}),
   * as OpenAPI says; the fewest path parameters win.
   */
  private List<Match<T>> fitting(String path) {
    List<Match<T>> fitting = new ArrayList<>();
    for (int i = 0; i < compiled.length; i++) {
      Entry<T> entry = entries.get(i);
      Map<String, String> parameters = compiled[i].match(path);
      if (parameters != null) {
        fitting.add(new Match<>(entry.owner(), entry.route(), parameters));
      }
    }
    int fewest = fitting.stream().mapToInt(m -> m.pathParameters().size()).min().orElse(0);
    fitting.removeIf(m -> m.pathParameters().size() > fewest);
    return fitting;
  }

  /**
   * The route for {@code routeKey} when API Gateway named one, else the route whose path fits
   * {@code path} and whose method is {@code method}.
   *
   * @throws Problem 404 when no route has the path, 405 when routes have it but not for this method
   */
  public Match<T> find(String routeKey, String method, String path) {
    if (routeKey != null) {
      for (int i = 0; i < routeKeys.length; i++) {
        if (routeKeys[i].equals(routeKey)) {
          Entry<T> entry = entries.get(i);
          Map<String, String> parameters = compiled[i].match(path);
          return new Match<>(entry.owner(), entry.route(), parameters == null ? Map.of() : parameters);
        }
      }
    }
    // "$default", a proxy route, or the local server: match the raw path.
    List<Match<T>> fitting = fitting(path);
    for (Match<T> match : fitting) {
      if (match.route().method().equals(method)) {
        return match;
      }
    }
    throw !fitting.isEmpty() ? Problem.methodNotAllowed(method + " is not allowed on " + path)
        : Problem.notFound("No route for " + method + " " + path);
  }
}
