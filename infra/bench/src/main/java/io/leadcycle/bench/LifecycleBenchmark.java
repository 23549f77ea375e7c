package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.freePort;
import static io.leadcycle.bench.BenchSupport.header;
import static io.leadcycle.bench.BenchSupport.line;
import static io.leadcycle.bench.BenchSupport.loadAverage;
import static io.leadcycle.bench.BenchSupport.localServer;
import static io.leadcycle.bench.BenchSupport.newToken;
import static io.leadcycle.bench.BenchSupport.oneOf;
import static io.leadcycle.bench.BenchSupport.positive;
import static io.leadcycle.bench.BenchSupport.progress;
import static io.leadcycle.bench.BenchSupport.tail;
import static io.leadcycle.bench.BenchSupport.waitForHealth;

import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.leadcycle.http.StandardWebhooks;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lead's whole life in one number (issue 23, point 2): submission → score → sales-ready → signed
 * webhook, through the local server as AWS runs it, in one command:
 *
 * <ol>
 *   <li>a fresh embedded PostgreSQL (fsync and synchronous_commit on), migrated;</li>
 *   <li>the local server as a child process, with the timers of score recalculation and threshold
 *       notification slowed to once a minute (their first run a minute after the start; AWS's schedule),
 *       so that what is measured is the nudge path: intake nudges score recalculation through its queue,
 *       score recalculation nudges threshold notification through its queue;</li>
 *   <li>through the API: a loopback receiver subscribed to {@code lead.sales_ready}, a scoring model whose
 *       one rule gives a submission of the form its threshold's points (so every person is sales-ready at
 *       once), published, and a form that requires signed submissions;</li>
 *   <li>N people submit, one every 1/R s (open loop), each a signed submission; the receiver verifies each
 *       webhook's signature and records when it arrived;</li>
 *   <li>a report: p50/p99/max from sending the submission to the signed webhook's arrival, missing,
 *       duplicates, bad signatures, and the target (p50 &lt; 1.5 s, max &lt; 3 s).</li>
 * </ol>
 *
 * <p>Run it with {@code infra/bench/run-lifecycle.sh [options]}; {@code --help} lists the options.
 */
public final class LifecycleBenchmark {

  static final double TARGET_P50_SECONDS = 1.5;
  static final double TARGET_MAX_SECONDS = 3.0;

  private static final String USAGE = """
      Usage: infra/bench/run-lifecycle.sh [options]
        --people N              people who submit, each once (default 300)
        --rate R                submissions started per second, open loop (default 10); 0 sends them all at once
        --scoring-timer S       the local timer of score recalculation, seconds (default 60, AWS's schedule:
                                the nudge is what scores); 1 is the local server's default, 0 none at all
        --notification-timer S  the local timer of threshold notification, seconds (default 60, as in AWS)
        --timeout S             seconds to wait for the last webhook after the last submission (default 60)
        --fsync X               on (default, as in production) or off
        --local-jar PATH        the local server jar (default infra/local/target/leadcycle-local.jar)
        --server-jvm-arg ARG    extra JVM argument for the local server (repeatable)
        --keep-files            keep the work directory (server log)
      """;

  record Options(int people, int rate, int scoringTimer, int notificationTimer, int timeoutSeconds, boolean fsync,
      Path localJar, List<String> serverJvmArgs, boolean keepFiles) {

    static Options parse(String[] args) {
      int people = 300;
      int rate = 10;
      int scoringTimer = 60;
      int notificationTimer = 60;
      int timeout = 60;
      boolean fsync = true;
      Path localJar = Path.of("infra/local/target/leadcycle-local.jar");
      List<String> jvmArgs = new ArrayList<>();
      boolean keep = false;
      for (BenchSupport.Argument argument : BenchSupport.arguments(args, USAGE, Set.of("--keep-files"))) {
        String name = argument.name();
        String value = argument.value();
        switch (name) {
          case "--keep-files" -> keep = true;
          case "--people" -> people = positive(name, value, 1);
          case "--rate" -> rate = positive(name, value, 0);
          case "--scoring-timer" -> scoringTimer = positive(name, value, 0);
          case "--notification-timer" -> notificationTimer = positive(name, value, 0);
          case "--timeout" -> timeout = positive(name, value, 1);
          case "--fsync" -> fsync = oneOf(name, value, "on", "off").equals("on");
          case "--local-jar" -> localJar = Path.of(value);
          case "--server-jvm-arg" -> jvmArgs.add(value);
          default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
      }
      return new Options(people, rate, scoringTimer, notificationTimer, timeout, fsync, localJar, List.copyOf(jvmArgs),
          keep);
    }
  }

  /** Everything started by a run, stopped in reverse order on success, failure and Ctrl-C alike. */
  private static final class Resources extends BenchSupport.Resources {
    volatile BenchDatabase database;
    volatile Process server;
    volatile Vertx vertx;
    private boolean closed;

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      BenchSupport.stop(server);
      if (vertx != null) {
        try {
          vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.err.println("bench: closing Vert.x: " + e);
        }
      }
      closeDatabaseAndFiles(database);
    }
  }

  /** What the receiver saw: arrival (System.nanoTime) per lead, and what was wrong. */
  private static final class Receipts {
    final ConcurrentHashMap<String, Long> arrivedByLead = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicInteger otherEvents = new AtomicInteger();
    volatile String secret;
  }

  private LifecycleBenchmark() {
  }

  public static void main(String[] args) {
    Options options = BenchSupport.optionsOrExit(() -> Options.parse(args));
    if (!Files.isRegularFile(options.localJar())) {
      System.err.println("bench: " + options.localJar().toAbsolutePath() + " does not exist. Run "
          + "infra/bench/run-lifecycle.sh (it builds it).");
      System.exit(2);
    }
    Resources resources = new Resources();
    BenchSupport.runAndExit(resources, "(server.log)", () -> run(options, args, resources));
  }

  private static void run(Options o, String[] args, Resources resources) throws Exception {
    String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    resources.keepFiles = o.keepFiles();
    Path work = Files.createTempDirectory("leadcycle-lifecycle-bench-");
    resources.workDirectory = work;
    String loadBefore = loadAverage();

    progress("starting a fresh embedded PostgreSQL and migrating it");
    BenchDatabase database = BenchDatabase.startMigrated(o.fsync());
    resources.database = database;
    BenchSupport.DatabaseInfo dbInfo = BenchSupport.prepareDatabase(database, "on");

    Vertx vertx = Vertx.vertx();
    resources.vertx = vertx;
    Receipts receipts = new Receipts();
    HttpServer receiver = startReceiver(vertx, receipts);

    int port = freePort();
    String token = newToken();
    Path serverLog = work.resolve("server.log");
    progress("starting the local server on port " + port + ", score recalculation's timer " + timer(o.scoringTimer())
        + ", threshold notification's " + timer(o.notificationTimer()) + " (log: " + serverLog + ")");
    ProcessBuilder builder = localServer(o.localJar(), o.serverJvmArgs(), database, port, token, serverLog);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("LEADCYCLE_SCHEDULE_SECONDS"));
    env.put("LEADCYCLE_DATA_DIR", work.resolve("local-data").toString());
    env.put("LEADCYCLE_SCHEDULE_SECONDS_SCORE_RECALCULATION", Integer.toString(o.scoringTimer()));
    env.put("LEADCYCLE_SCHEDULE_SECONDS_THRESHOLD_NOTIFICATION", Integer.toString(o.notificationTimer()));
    Process server = builder.start();
    resources.server = server;
    waitForHealth(server, port, serverLog);
    long serverUp = System.nanoTime();

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Api api = new Api(http, port, token, serverLog);
    receipts.secret = new JsonObject(api.send("POST", "/v1/subscribers", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooks/sales")
        .put("events", List.of("lead.sales_ready")).put("description", "lifecycle benchmark").encode(), 201))
        .getString("secret");
    String model = new JsonObject(api.send("POST", "/v1/scoring-models", """
        {"name": "Demo requests", "target": "contact", "salesReadyThreshold": 10,
         "grades": [{"name": "cold", "min": -100, "max": 9}, {"name": "hot", "min": 10, "max": 100}],
         "rules": [{"id": "demo-request", "kind": "behavioral", "interaction": "form_submitted",
                    "frequency": "at_least_once", "contextId": "demo", "points": 10}]}""", 201)).getString("id");
    api.send("POST", "/v1/scoring-models/" + model + "/publish", null, 200);
    String formSecret = new JsonObject(api.send("PUT", "/v1/forms/demo",
        "{\"name\": \"Book a demo\", \"kind\": \"marketing_page\", \"requireSignature\": true}", 201))
        .getString("signingSecret");
    Thread.sleep(2000); // the model's (empty) full rescoring and the first nudged runs, as on a server up a while

    progress(o.people() + " people submit " + (o.rate() == 0 ? "all at once" : "at " + o.rate() + "/s")
        + "; each becomes sales-ready at once");
    String runId = Long.toHexString(System.nanoTime());
    ConcurrentHashMap<String, Long> sentByLead = new ConcurrentHashMap<>();
    AtomicInteger failed = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    long firstSend = System.nanoTime();
    for (int i = 0; i < o.people(); i++) {
      if (o.rate() > 0) {
        long due = firstSend + TimeUnit.SECONDS.toNanos(i) / o.rate();
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      String id = "msg_" + runId + "_" + i;
      byte[] body = new JsonObject().put("fields", new JsonObject()
          .put("email", "person-" + runId + "-" + i + "@example.com").put("firstName", "Person"))
          .encode().getBytes(StandardCharsets.UTF_8);
      long timestamp = System.currentTimeMillis() / 1000;
      long sent = System.nanoTime();
      inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/forms/demo/submissions"))
              .timeout(Duration.ofSeconds(30))
              .header("content-type", "application/json")
              .header("webhook-id", id)
              .header("webhook-timestamp", Long.toString(timestamp))
              .header("webhook-signature", StandardWebhooks.sign(formSecret, id, timestamp, body))
              .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString())
          .handle((response, error) -> {
            if (error == null && response.statusCode() == 201) {
              sentByLead.put(new JsonObject(response.body()).getJsonObject("lead").getString("id"), sent);
            } else {
              failed.incrementAndGet();
              synchronized (failures) {
                if (failures.size() < 5) {
                  failures.add(error != null ? error.toString() : response.statusCode() + " " + response.body());
                }
              }
            }
            return null;
          }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    long lastSend = System.nanoTime();
    progress("submitted in " + String.format("%.1f s", (lastSend - firstSend) / 1e9) + "; waiting for "
        + sentByLead.size() + " webhooks");
    long deadline = lastSend + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
    while (!receipts.arrivedByLead.keySet().containsAll(sentByLead.keySet()) && System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new BenchmarkFailure("the local server exited with " + server.exitValue() + ":\n" + tail(serverLog));
      }
      Thread.sleep(20);
    }
    Thread.sleep(1000); // late duplicates, if any
    long timerFirstRun = serverUp + TimeUnit.SECONDS.toNanos(Math.min(
        o.scoringTimer() == 0 ? Integer.MAX_VALUE : o.scoringTimer(),
        o.notificationTimer() == 0 ? Integer.MAX_VALUE : o.notificationTimer()));

    List<Double> seconds = new ArrayList<>();
    int missing = 0;
    for (Map.Entry<String, Long> submitted : sentByLead.entrySet()) {
      Long arrived = receipts.arrivedByLead.get(submitted.getKey());
      if (arrived == null) {
        missing++;
      } else {
        seconds.add((arrived - submitted.getValue()) / 1e9);
      }
    }
    List<Double> sorted = seconds.stream().sorted().toList();
    String command = System.getenv().getOrDefault("LEADCYCLE_BENCH_COMMAND",
        ("java -cp infra/bench/target/leadcycle-bench.jar " + LifecycleBenchmark.class.getName() + " "
            + String.join(" ", args)).strip());
    StringBuilder r = new StringBuilder();
    header(r, "lifecycle", command, startedAt, loadBefore + " before, " + loadAverage() + " after", "the latencies");
    line(r, "database", "PostgreSQL " + dbInfo.version() + ", fsync " + dbInfo.fsync() + ", synchronous_commit "
        + dbInfo.synchronousCommit() + ", shared_buffers " + dbInfo.sharedBuffers());
    line(r, "server", "local server, timers: score recalculation " + timer(o.scoringTimer())
        + ", threshold notification " + timer(o.notificationTimer()) + "; writers nudge both through in-process queues");
    line(r, "load", o.people() + " people, one signed submission each, " + (o.rate() == 0 ? "all at once"
        : o.rate() + "/s open loop") + "; each sales-ready at once (threshold 10, the form's rule 10 points)");
    line(r, "submitted", (o.people() - failed.get()) + " accepted (201), " + failed.get() + " failed"
        + (failures.isEmpty() ? "" : " e.g. " + failures.get(0)));
    line(r, "webhooks", sorted.size() + " signed lead.sales_ready received, " + missing + " missing, "
        + receipts.duplicates.get() + " duplicates, " + receipts.badSignatures.get() + " bad signatures, "
        + receipts.otherEvents.get() + " other events");
    if (!sorted.isEmpty()) {
      double p50 = rank(sorted, 0.5);
      double p99 = rank(sorted, 0.99);
      double max = sorted.get(sorted.size() - 1);
      line(r, "latency", String.format("submission sent → signed webhook received: p50 %.2f s, p90 %.2f s, p99 %.2f s, "
          + "max %.2f s", p50, rank(sorted, 0.9), p99, max));
      line(r, "target", String.format("p50 < %.1f s, max < %.1f s: %s", TARGET_P50_SECONDS, TARGET_MAX_SECONDS,
          p50 < TARGET_P50_SECONDS && max < TARGET_MAX_SECONDS ? "met" : "NOT met"));
    }
    line(r, "timers", System.nanoTime() < timerFirstRun || o.scoringTimer() <= 1
        ? (o.scoringTimer() <= 1 ? "score recalculation's timer ran too (--scoring-timer " + o.scoringTimer() + ")"
            : "neither slowed timer had run yet: every webhook came through the nudges")
        : "the run outlasted a slowed timer's first run: a few leads may have been picked up by it");
    System.out.print(r);
    if (missing > 0 || failed.get() > 0 || receipts.badSignatures.get() > 0) {
      throw new BenchmarkFailure(missing + " webhooks missing, " + failed.get() + " submissions failed, "
          + receipts.badSignatures.get() + " bad signatures");
    }
  }

  private static String timer(int seconds) {
    return seconds == 0 ? "off" : "every " + seconds + " s";
  }

  /** Nearest rank. */
  private static double rank(List<Double> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** The sales tool's receiver: verifies each signature as a receiver would, and records the arrival per lead. */
  private static HttpServer startReceiver(Vertx vertx, Receipts receipts) {
    return vertx.createHttpServer().requestHandler(request -> request.body().onComplete(done -> {
      long at = System.nanoTime();
      if (done.failed()) {
        request.response().setStatusCode(400).end();
        return;
      }
      byte[] body = done.result().getBytes();
      String id = request.getHeader("webhook-id");
      String timestamp = request.getHeader("webhook-timestamp");
      String signature = request.getHeader("webhook-signature");
      boolean signed = id != null && timestamp != null && signature != null && List.of(signature.split(" "))
          .contains(StandardWebhooks.sign(receipts.secret, id, Long.parseLong(timestamp), body));
      if (!signed) {
        receipts.badSignatures.incrementAndGet();
      } else {
        JsonObject event = new JsonObject(new String(body, StandardCharsets.UTF_8));
        if (!"lead.sales_ready".equals(event.getString("type"))) {
          receipts.otherEvents.incrementAndGet();
        } else if (receipts.arrivedByLead.putIfAbsent(
            event.getJsonObject("data").getJsonObject("lead").getString("id"), at) != null) {
          receipts.duplicates.incrementAndGet();
        }
      }
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
  }

  /** The management API, with the token; a status other than the expected one fails the run. */
  private record Api(HttpClient http, int port, String token, Path log) {

    String send(String method, String path, String json, int expected) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
      if (json != null) {
        request.header("Content-Type", "application/json");
      }
      HttpResponse<String> response = http.send(request.method(method,
          json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new BenchmarkFailure(method + " " + path + " answered " + response.statusCode() + " (expected " + expected
            + "): " + response.body() + "\n" + tail(log));
      }
      return response.body();
    }
  }
}
