package io.leadcycle.local;

import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.Problem;
import io.leadcycle.platform.Invocation;
import io.leadcycle.runtime.JsonLog;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * What the local server answers itself when a request fails: problem details (the shared
 * {@link Problem}) with the request's {@code x-request-id}, as the functions answer.
 */
final class LocalProblems {

  private LocalProblems() {
  }

  /**
   * What a failed request is answered: a client's mistake Vert.x found (a 4xx: no Host header, a body
   * over the limit, a broken body stream) as problem details of that status; anything else is the local
   * server's own failure, logged with the request id and answered 500.
   */
  static void answerFailure(RoutingContext ctx) {
    answerFailure(ctx, LocalServer.MAX_BODY_BYTES);
  }

  /** {@link #answerFailure(RoutingContext)} where a 413 names {@code bodyLimit}: the route's own limit. */
  static void answerFailure(RoutingContext ctx, long bodyLimit) {
    int status = ctx.statusCode();
    if (status >= 400 && status < 500) {
      write(ctx, switch (status) {
        case 413 -> Problem.tooLarge("The body is over the limit of " + bodyLimit + " bytes.");
        case 417 -> Problem.expectationFailed("Only Expect: 100-continue is supported.");
        case 400 -> Problem.malformed("The request could not be read.");
        default -> problem(status, "The request cannot be served.");
      });
      return;
    }
    String requestId = LocalRequests.requestId(ctx);
    Throwable failure = ctx.failure() != null ? ctx.failure() : new IllegalStateException("status " + status);
    JsonLog.error(requestId, "local server: " + ctx.request().method() + " " + ctx.request().path() + " failed", failure,
        new JsonObject().put("method", ctx.request().method().name()).put("path", ctx.request().path()));
    write(ctx, Problem.internal());
  }

  /** Answers {@code problem}, unless an answer was sent already; half an answer is cut off instead. */
  static void write(RoutingContext ctx, Problem problem) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset(); // half an answer: the client must see that it failed
      return;
    }
    // Nothing a failed answer set before stays, but Allow on a 405.
    String allow = problem.status() == 405 ? ctx.response().headers().get("allow") : null;
    ctx.response().headers().clear();
    if (allow != null) {
      ctx.response().putHeader("allow", allow);
    }
    HttpEventConverter.writeResponse(ctx.response(), HttpFunction.problemEvent(problem, LocalRequests.requestId(ctx)));
  }

  /**
   * A request HTTP/1.1 cannot read, which Vert.x hands over before any route: a request line over
   * {@link LocalServer#MAX_REQUEST_LINE_BYTES} (414), headers over {@link LocalServer#MAX_HEADER_BYTES}
   * (431), or anything else malformed (400). Answered with problem details, and the connection is closed,
   * as the rest of the request cannot be trusted.
   */
  static void answerInvalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem = cause instanceof TooLongHttpLineException
        ? Problem.uriTooLong("The request line (method, path and query) is longer than "
            + LocalServer.MAX_REQUEST_LINE_BYTES + " bytes.")
        : cause instanceof TooLongHttpHeaderException
            ? Problem.headersTooLarge("The request's headers are larger than " + LocalServer.MAX_HEADER_BYTES + " bytes.")
            : Problem.malformed("The request is not valid HTTP/1.1.");
    request.response().putHeader("connection", "close");
    HttpEventConverter.writeResponse(request.response(), HttpFunction.problemEvent(problem, Invocation.newRequestId()))
        .onComplete(written -> request.connection().close());
  }

  /** Problem details of a 4xx that Vert.x may find and that has no factory of its own. */
  private static Problem problem(int status, String detail) {
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    String title = reason.charAt(0) + reason.substring(1).toLowerCase(Locale.ROOT);
    return new Problem(status, reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"), title, detail, List.of());
  }
}
