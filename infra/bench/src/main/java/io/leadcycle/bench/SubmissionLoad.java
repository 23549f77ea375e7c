package io.leadcycle.bench;

import io.leadcycle.http.StandardWebhooks;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: {@code concurrency} submissions in flight at all times, each one a new
 * person (unique email) with a unique webhook-id, signed the Standard Webhooks way. A phase's requests
 * (body, webhook-id, timestamp, signature) are prepared before it starts, so that the generator spends
 * its share of the machine's two cores on sending, not on JSON and HMAC; the timestamps stay within the
 * receiver's tolerance ({@link StandardWebhooks#TOLERANCE}, 5 minutes) for any phase shorter than that (a
 * longer one would be answered 401 and fail the run). Everything runs on one Vert.x event loop, so the
 * counters and the histogram need no locking.
 */
final class SubmissionLoad {

  /** One phase's outcome; latencies in microseconds, from just before sending to the full response. */
  record Result(int requests, int created, int failed, List<String> failureSamples, double seconds,
      Histogram latencyMicros) {

    double throughput() {
      return requests / seconds;
    }

    Result plus(Result o) {
      Histogram merged = latencyMicros.copy();
      merged.add(o.latencyMicros);
      List<String> samples = new ArrayList<>(failureSamples);
      samples.addAll(o.failureSamples);
      return new Result(requests + o.requests, created + o.created, failed + o.failed, samples, seconds + o.seconds,
          merged);
    }
  }

  /** A signed submission, ready to send. */
  record Prepared(int index, MultiMap headers, Buffer body) {
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final int port;
  private final String formId;
  private final String signingSecret;
  private final String runId;

  SubmissionLoad(Vertx vertx, HttpClient client, int port, String formId, String signingSecret, String runId) {
    this.vertx = vertx;
    this.client = client;
    this.port = port;
    this.formId = formId;
    this.signingSecret = signingSecret;
    this.runId = runId;
  }

  /** Sends {@code count} submissions numbered from {@code firstIndex}, {@code concurrency} at a time. */
  Result run(String phase, int firstIndex, int count, int concurrency) {
    return run(phase, prepare(firstIndex, count), concurrency);
  }

  /** Sends the prepared submissions, {@code concurrency} at a time. */
  Result run(String phase, List<Prepared> prepared, int concurrency) {
    int count = prepared.size();
    Phase state = new Phase(phase, prepared);
    Context context = vertx.getOrCreateContext();
    long started = System.nanoTime();
    context.runOnContext(v -> {
      for (int i = 0; i < Math.min(concurrency, count); i++) {
        state.sendNext();
      }
      if (count == 0) {
        state.done.complete(null);
      }
    });
    state.done.join();
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result(count, state.created, state.failed, state.samples, seconds, state.histogram);
  }

  /** The phase's submissions, each signed now (the timestamp is the time of preparing). */
  List<Prepared> prepare(int firstIndex, int count) {
    List<Prepared> prepared = new ArrayList<>(count);
    String uri = "/v1/forms/" + formId + "/submissions";
    long timestamp = System.currentTimeMillis() / 1000;
    String stamp = Long.toString(timestamp);
    for (int i = 0; i < count; i++) {
      int index = firstIndex + i;
      String id = "msg_" + runId + "_" + index;
      byte[] body = new JsonObject().put("fields", new JsonObject()
              .put("email", "bench-" + runId + "-" + index + "@example.com")
              .put("firstName", "Bench"))
          .encode().getBytes(StandardCharsets.UTF_8);
      MultiMap headers = HttpHeaders.headers()
          .add(HttpHeaders.CONTENT_TYPE, "application/json")
          .add("webhook-id", id)
          .add("webhook-timestamp", stamp)
          .add("webhook-signature", StandardWebhooks.sign(signingSecret, id, timestamp, body));
      prepared.add(new Prepared(index, headers, Buffer.buffer(body)));
    }
    return prepared;
  }

  private final class Phase {
    final String name;
    final List<Prepared> requests;
    final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    final List<String> samples = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final RequestOptions options;
    int next;
    int completed;
    int created;
    int failed;

    Phase(String name, List<Prepared> requests) {
      this.name = name;
      this.requests = requests;
      this.options = new RequestOptions().setMethod(HttpMethod.POST).setHost("localhost").setPort(port)
          .setURI("/v1/forms/" + formId + "/submissions").setIdleTimeout(30_000);
    }

    void sendNext() {
      if (next >= requests.size()) {
        return;
      }
      Prepared request = requests.get(next++);
      long sent = System.nanoTime();
      client.request(new RequestOptions(options).setHeaders(request.headers()))
          .compose(r -> r.send(request.body()))
          .compose(response -> response.body().map(body -> new Answer(response, body)))
          .onComplete(ar -> {
            long micros = Math.max(1, (System.nanoTime() - sent) / 1_000);
            histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
            if (ar.succeeded() && ar.result().response().statusCode() == 201) {
              created++;
            } else {
              failed++;
              if (samples.size() < 5) {
                samples.add(name + " #" + request.index() + ": "
                    + (ar.succeeded() ? ar.result().describe() : String.valueOf(ar.cause())));
              }
            }
            if (++completed == requests.size()) {
              done.complete(null);
            } else {
              sendNext();
            }
          });
    }
  }

  private record Answer(HttpClientResponse response, Buffer body) {
    String describe() {
      String text = body.toString(StandardCharsets.UTF_8);
      return response.statusCode() + " " + (text.length() > 500 ? text.substring(0, 500) : text);
    }
  }
}
