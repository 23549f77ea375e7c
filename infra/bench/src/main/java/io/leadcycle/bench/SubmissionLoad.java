package io.leadcycle.bench;

import io.leadcycle.http.StandardWebhooks;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: {@code concurrency} submissions in flight at all times, each one a new
 * person (unique email) with a unique webhook-id, signed the Standard Webhooks way. Everything runs on
 * one Vert.x event loop, so the counters and the histogram need no locking.
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

  private final Vertx vertx;
  private final WebClient client;
  private final int port;
  private final String formId;
  private final String signingSecret;
  private final String runId;

  SubmissionLoad(Vertx vertx, WebClient client, int port, String formId, String signingSecret, String runId) {
    this.vertx = vertx;
    this.client = client;
    this.port = port;
    this.formId = formId;
    this.signingSecret = signingSecret;
    this.runId = runId;
  }

  /** Sends {@code count} submissions numbered from {@code firstIndex}, {@code concurrency} at a time. */
  Result run(String phase, int firstIndex, int count, int concurrency) {
    Phase state = new Phase(phase, firstIndex, count);
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

  private final class Phase {
    final String name;
    final int firstIndex;
    final int count;
    final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    final List<String> samples = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    int next;
    int completed;
    int created;
    int failed;

    Phase(String name, int firstIndex, int count) {
      this.name = name;
      this.firstIndex = firstIndex;
      this.count = count;
    }

    void sendNext() {
      if (next >= count) {
        return;
      }
      int index = firstIndex + next++;
      String id = "msg_" + runId + "_" + index;
      byte[] body = new JsonObject().put("fields", new JsonObject()
              .put("email", "bench-" + runId + "-" + index + "@example.com")
              .put("firstName", "Bench"))
          .encode().getBytes(StandardCharsets.UTF_8);
      long timestamp = System.currentTimeMillis() / 1000;
      String signature = StandardWebhooks.sign(signingSecret, id, timestamp, body);
      long sent = System.nanoTime();
      client.post(port, "localhost", "/v1/forms/" + formId + "/submissions")
          .putHeader("content-type", "application/json")
          .putHeader("webhook-id", id)
          .putHeader("webhook-timestamp", Long.toString(timestamp))
          .putHeader("webhook-signature", signature)
          .timeout(30_000)
          .sendBuffer(Buffer.buffer(body))
          .onComplete(ar -> {
            long micros = Math.max(1, (System.nanoTime() - sent) / 1_000);
            histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
            if (ar.succeeded() && ar.result().statusCode() == 201) {
              created++;
            } else {
              failed++;
              if (samples.size() < 5) {
                samples.add(name + " #" + index + ": " + describe(ar.succeeded() ? ar.result() : null, ar.cause()));
              }
            }
            if (++completed == count) {
              done.complete(null);
            } else {
              sendNext();
            }
          });
    }
  }

  private static String describe(HttpResponse<Buffer> response, Throwable failure) {
    if (response == null) {
      return String.valueOf(failure);
    }
    String body = response.bodyAsString();
    return response.statusCode() + " " + (body == null ? "" : body.length() > 500 ? body.substring(0, 500) : body);
  }
}
