package io.leadcycle.local;

import io.leadcycle.http.Access;
import io.leadcycle.http.Caller;
import io.leadcycle.http.Permissions;
import io.leadcycle.http.Route;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.Problem;
import io.leadcycle.http.RouteTable;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP side: the local server's own routes ({@link LocalApi}) and the functions' routes, each through
 * a route table (the functions' is the one they use themselves), so that both route, decode path
 * parameters and answer 404 and 405 alike. A function's request becomes the API Gateway HTTP API event of
 * its route. Vert.x Web only carries requests: it matches no paths itself.
 */
final class LocalRouter {

  private final RouteTable<HttpFunction> functionRoutes;
  private final RouteTable<LocalApi.LocalRoute> localRoutes;
  private final ManagementAccess access;
  private final LocalUploads uploads;
  private final HandlerThreads threads;

  /** {@code uploads}: null when no function takes files. */
  LocalRouter(List<HttpFunction> functions, LocalApi api, ManagementAccess access, LocalUploads uploads,
      HandlerThreads threads) {
    this.functionRoutes = new RouteTable<>(functions.stream()
        .flatMap(f -> f.routes().stream().map(r -> new RouteTable.Entry<>(f, r))).toList());
    this.localRoutes = api.routes();
    this.access = access;
    this.uploads = uploads;
    this.threads = threads;
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(LocalRequests::identify);
    if (uploads != null) {
      router.route().handler(uploads::handle); // streamed to disk: before the raw body is read into memory
    }
    // The raw body goes to the functions, which parse forms themselves (as in Lambda): Vert.x's
    // BodyHandler would decode form bodies itself and fail on what only the function may judge.
    router.route().handler(LocalRequests::readRawBody);
    router.route().handler(this::dispatch);
    router.route().failureHandler(ctx -> LocalProblems.answerFailure(ctx, bodyLimit(ctx)));
    // What no failure handler answered (a failure handler that failed itself).
    router.errorHandler(500, LocalProblems::answerFailure);
    return router;
  }

  /** Every request: the local server's route for it, else its function's route and the event AWS would send. */
  private void dispatch(RoutingContext ctx) {
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    RouteTable.Match<LocalApi.LocalRoute> own = find(localRoutes, method, path);
    if (own != null) {
      // No function behind it to decide its roles: the router asks the same table.
      whenSignedIn(ctx, own.route(), claims -> {
        if (claims != null) {
          Permissions.requireRoute(own.route().routeKey(), Caller.fromClaims(claims));
        }
        own.owner().handler().accept(ctx, own.pathParameters());
      });
      return;
    }
    RouteTable.Match<HttpFunction> match = find(functionRoutes, method, path);
    if (match == null) {
      answerNoRoute(ctx, method, path);
      return;
    }
    // The function decides the caller's roles itself (HttpFunction), from the claims, as in AWS.
    whenSignedIn(ctx, match.route(), claims -> {
      var event = HttpEventConverter.toEvent(ctx, match.route(), match.pathParameters(), LocalRequests.requestId(ctx),
          LocalRequests.rawBody(ctx), claims);
      HttpFunction function = match.owner();
      threads.answer(ctx, () -> function.handleRequest(event, null),
          response -> HttpEventConverter.writeResponse(ctx.response(), response));
    });
  }

  /**
   * Goes on with the request: a public route at once (no claims); a management route once its token is a
   * user's, with that user's claims, else it is answered 401. A refusal {@code go} throws is answered as it says.
   */
  private void whenSignedIn(RoutingContext ctx, Route route, Consumer<Map<String, String>> go) {
    if (route.access() != Access.MANAGEMENT) {
      go.accept(null);
      return;
    }
    access.authenticate(ctx).onComplete(signedIn -> {
      if (signedIn.failed()) {
        ctx.fail(signedIn.cause());
        return;
      }
      if (signedIn.result() == null) {
        LocalProblems.write(ctx, access.unauthorized());
        return;
      }
      Map<String, String> claims = new LinkedHashMap<>();
      ManagementAccess.claims(signedIn.result()).forEach(claim -> claims.put(claim.getKey(), (String) claim.getValue()));
      try {
        go.accept(claims);
      } catch (Problem refused) {
        LocalProblems.write(ctx, refused);
      } catch (RuntimeException failure) {
        // Off the routing call now: what the request's own handler would have thrown goes to the failure handler.
        ctx.fail(failure);
      }
    });
  }

  /**
   * The body limit a 413 names: the function route's own ({@link HttpFunction#bodyLimit}, e.g. 10 MiB
   * for {@code POST /v1/imports}) when it is below the local server's, else the local server's.
   */
  private long bodyLimit(RoutingContext ctx) {
    RouteTable.Match<HttpFunction> match = find(functionRoutes, ctx.request().method().name(), ctx.request().path());
    return match == null ? LocalServer.MAX_BODY_BYTES
        : Math.min(match.owner().bodyLimit(match.route()), LocalServer.MAX_BODY_BYTES);
  }

  /** 405 with {@code Allow} when another method has a route on the path (the local server's or a function's), else 404. */
  private void answerNoRoute(RoutingContext ctx, String method, String path) {
    Set<String> allowed = new TreeSet<>(functionRoutes.methods(path));
    allowed.addAll(localRoutes.methods(path));
    if (allowed.isEmpty()) {
      LocalProblems.write(ctx, Problem.notFound("No route for " + method + " " + path));
    } else {
      ctx.response().putHeader("allow", String.join(", ", allowed));
      LocalProblems.write(ctx, Problem.methodNotAllowed(method + " is not allowed on " + path + "; allowed: "
          + String.join(", ", allowed) + "."));
    }
  }

  /** The route for this method and path, else null. */
  private static <T> RouteTable.Match<T> find(RouteTable<T> routes, String method, String path) {
    try {
      return routes.find(null, method, path);
    } catch (Problem noRoute) {
      return null;
    }
  }
}
