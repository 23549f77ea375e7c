package io.leadcycle.notifications;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** A real HTTP receiver on loopback that records what it is sent and answers as a test says. */
final class Receiver implements AutoCloseable {

  /** One request as received: path, headers, raw body, when (System.nanoTime()). */
  record Request(String path, MultiMap headers, String body, long nanos) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** An answer: status, headers, and how long to wait before answering. */
  record Reply(int status, Map<String, String> headers, long delayMillis) {
    static Reply of(int status) {
      return new Reply(status, Map.of(), 0);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private Receiver(Vertx vertx, int port, BiFunction<String, Integer, Reply> answers) {
    AtomicInteger counter = new AtomicInteger();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(request -> request.body().onSuccess(body -> {
          requests.add(new Request(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
              body.toString(), System.nanoTime()));
          Reply reply = answers.apply(request.path(), counter.incrementAndGet());
          Runnable answer = () -> {
            request.response().setStatusCode(reply.status());
            reply.headers().forEach(request.response()::putHeader);
            request.response().end();
          };
          if (reply.delayMillis() > 0) {
            vertx.setTimer(reply.delayMillis(), t -> answer.run());
          } else {
            answer.run();
          }
        }));
    server.listen().await();
  }

  /** A receiver on any free port answering every request by {@code answers(path, nth request)}. */
  static Receiver start(Vertx vertx, BiFunction<String, Integer, Reply> answers) {
    return new Receiver(vertx, 0, answers);
  }

  static Receiver start(Vertx vertx, int port, BiFunction<String, Integer, Reply> answers) {
    return new Receiver(vertx, port, answers);
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  List<Request> requests() {
    return requests;
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
