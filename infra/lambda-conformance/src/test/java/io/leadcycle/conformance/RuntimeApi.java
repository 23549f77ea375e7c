package io.leadcycle.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API of one execution environment, served on loopback as Lambda serves it to a
 * runtime (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): {@code GET .../invocation/next}
 * is held open until there is an event and answers it with the {@code Lambda-Runtime-*} headers;
 * the runtime answers with {@code POST .../invocation/{id}/response} or {@code .../error}; init and
 * restore failures go to {@code .../init/error} and {@code .../restore/error}; a SnapStart runtime asks
 * {@code GET .../restore/next} after its before-checkpoint hooks. HTTP/1.1 with keep-alive (the JDK server
 * keeps connections open, as the runtime's curl client expects).
 *
 * <p>Anything else the runtime asks is recorded as a protocol violation, and fails the suite.
 */
final class RuntimeApi implements AutoCloseable {

  private static final String BASE = "/2018-06-01/runtime";

  /** The answer of one invocation: the runtime's response body, or the error it reported. */
  record Answer(String requestId, boolean error, String body, String errorType, long answeredAtNanos) {
  }

  private record Pending(String requestId, byte[] event, Duration deadline, CompletableFuture<Answer> answer) {
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "runtime-api");
    thread.setDaemon(true);
    return thread;
  });
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
  private final String functionArn;

  private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
  private final CompletableFuture<Long> restoreNext = new CompletableFuture<>();
  private final CompletableFuture<String> initError = new CompletableFuture<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private volatile Runnable atCheckpoint = () -> { };

  RuntimeApi(String functionArn) throws IOException {
    this.functionArn = functionArn;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    server.start();
  }

  /** {@code host:port}, as {@code AWS_LAMBDA_RUNTIME_API} names it. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues an event; the future completes when the runtime answers it (or reports an init error). */
  CompletableFuture<Answer> invoke(String event, Duration timeout) {
    Pending pending = new Pending(UUID.randomUUID().toString(), event.getBytes(StandardCharsets.UTF_8), timeout,
        new CompletableFuture<>());
    queue.add(pending);
    return pending.answer();
  }

  /** When the runtime first asked for an event (System.nanoTime), i.e. its init was done. */
  CompletableFuture<Long> firstNext() {
    return firstNext;
  }

  /** When a SnapStart runtime asked to be restored (its before-checkpoint hooks had run). */
  CompletableFuture<Long> restoreNext() {
    return restoreNext;
  }

  /** Runs {@code check} when a SnapStart runtime asks to be restored, i.e. where Lambda takes the snapshot. */
  void atCheckpoint(Runnable check) {
    atCheckpoint = check;
  }

  /** The init or restore error the runtime reported, if any. */
  CompletableFuture<String> initError() {
    return initError;
  }

  List<String> violations() {
    return violations;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (method.equals("GET") && path.equals(BASE + "/invocation/next")) {
        firstNext.complete(System.nanoTime());
        next(exchange);
      } else if (method.equals("GET") && path.equals(BASE + "/restore/next")) {
        restoreNext.complete(System.nanoTime());
        atCheckpoint.run(); // the runtime waits here, its before-checkpoint hooks done, as for its snapshot
        send(exchange, 200, new byte[0]);
      } else if (method.equals("POST") && path.startsWith(BASE + "/invocation/")
          && (path.endsWith("/response") || path.endsWith("/error"))) {
        String rest = path.substring((BASE + "/invocation/").length());
        String requestId = rest.substring(0, rest.lastIndexOf('/'));
        Pending pending = inFlight.remove(requestId);
        if (pending == null) {
          violations.add("an answer for an unknown or already answered request " + requestId);
          send(exchange, 400, "{\"errorMessage\":\"unknown request id\"}".getBytes(StandardCharsets.UTF_8));
          return;
        }
        boolean error = path.endsWith("/error");
        pending.answer().complete(new Answer(requestId, error, new String(body, StandardCharsets.UTF_8),
            exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), System.nanoTime()));
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
      } else if (method.equals("POST") && (path.equals(BASE + "/init/error") || path.equals(BASE + "/restore/error"))) {
        String report = path.substring(BASE.length() + 1) + " " + exchange.getRequestHeaders()
            .getFirst("Lambda-Runtime-Function-Error-Type") + ": " + new String(body, StandardCharsets.UTF_8);
        initError.complete(report);
        queue.forEach(p -> p.answer().completeExceptionally(new IllegalStateException(report)));
        inFlight.values().forEach(p -> p.answer().completeExceptionally(new IllegalStateException(report)));
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
      } else {
        violations.add(method + " " + path);
        send(exchange, 404, new byte[0]);
      }
    }
  }

  /** Holds the request until an event is queued, as Lambda does between invocations. */
  private void next(HttpExchange exchange) throws IOException {
    Pending pending = null;
    while (pending == null && !closed) {
      try {
        pending = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (pending == null) {
      return; // closing: the environment is being shut down, as Lambda does with an idle one
    }
    inFlight.put(pending.requestId(), pending);
    var headers = exchange.getResponseHeaders();
    headers.add("Content-Type", "application/json");
    headers.add("Lambda-Runtime-Aws-Request-Id", pending.requestId());
    headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + pending.deadline().toMillis()));
    headers.add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
    headers.add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 24) + ";Parent=53995c3f42cd8ad8;Sampled=0");
    send(exchange, 200, pending.event());
  }

  /** Answers {@code exchange} with {@code body} (none when empty), as the loopback fakes of this suite do. */
  static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    threads.shutdownNow();
  }
}
