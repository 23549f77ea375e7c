package io.leadcycle.local;

import io.leadcycle.platform.Invocation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the local server keeps of each request before it routes it: its id (also its
 * {@code x-request-id}) and its body exactly as the client sent it.
 */
final class LocalRequests {

  private static final String REQUEST_ID = "leadcycle.requestId";
  private static final String RAW_BODY = "leadcycle.rawBody";
  private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\d{1,18}"); // once, not per request

  private LocalRequests() {
  }

  /**
   * Gives the request its id, answered as {@code x-request-id} whatever the answer (with
   * {@code x-content-type-options: nosniff}), then goes on.
   */
  static void identify(RoutingContext ctx) {
    String requestId = Invocation.newRequestId();
    ctx.put(REQUEST_ID, requestId);
    ctx.response().putHeader("x-request-id", requestId);
    ctx.response().putHeader("x-content-type-options", "nosniff"); // as the functions answer (HttpFunction)
    ctx.next();
  }

  static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    return id == null ? Invocation.newRequestId() : id;
  }

  /**
   * Reads the whole body as it came (at most {@link LocalServer#MAX_BODY_BYTES}, else 413) into the
   * context, then goes on; answers {@code Expect: 100-continue} (any other expectation is 417).
   */
  static void readRawBody(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (declaredTooLarge(request)) {
      ctx.fail(413);
      return;
    }
    if (!expectationMet(ctx)) {
      ctx.fail(417);
      return;
    }
    if (request.isEnded()) {
      ctx.put(RAW_BODY, Buffer.buffer());
      ctx.next();
      return;
    }
    readChunks(ctx);
  }

  static Buffer rawBody(RoutingContext ctx) {
    Buffer body = ctx.get(RAW_BODY);
    return body == null ? Buffer.buffer() : body;
  }

  private static boolean declaredTooLarge(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    return length != null && DIGITS.matcher(length.strip()).matches()
        && Long.parseLong(length.strip()) > LocalServer.MAX_BODY_BYTES;
  }

  /** No {@code Expect}, or {@code 100-continue}, which is answered (on HTTP/1.1) so that the client sends. */
  private static boolean expectationMet(RoutingContext ctx) {
    String expect = ctx.request().getHeader("expect");
    if (expect == null) {
      return true;
    }
    if (!expect.strip().equalsIgnoreCase("100-continue")) {
      return false;
    }
    if (ctx.request().version() == HttpVersion.HTTP_1_1) {
      ctx.response().writeContinue();
    }
    return true;
  }

  private static void readChunks(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Buffer body = Buffer.buffer();
    AtomicBoolean done = new AtomicBoolean(); // failed: nothing more to read
    request.handler(chunk -> {
      if (done.get()) {
        return;
      }
      if (body.length() + chunk.length() > LocalServer.MAX_BODY_BYTES) {
        done.set(true);
        ctx.fail(413);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(end -> {
      if (!done.get()) {
        ctx.put(RAW_BODY, body);
        ctx.next();
      }
    });
    request.exceptionHandler(failure -> {
      if (!done.get() && !ctx.response().ended()) {
        done.set(true);
        ctx.fail(400, failure);
      }
    });
    request.resume();
  }
}
