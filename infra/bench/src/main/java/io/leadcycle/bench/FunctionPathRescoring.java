package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.freePort;
import static io.leadcycle.bench.BenchSupport.progress;
import static io.leadcycle.bench.BenchSupport.tail;
import static io.leadcycle.bench.BenchSupport.waitForHealth;

import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.leadcycle.postgres.Database;
import io.leadcycle.rescoring.RecalculationService.RunSummary;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Phase (a) through the function path, as users get a full rescoring: the local server started as a
 * child process (a cold JVM: nothing of the scoring loaded or compiled yet), the draft model published
 * through {@code POST /v1/scoring-models/{id}/publish}, then the server's own score-recalculation runs
 * (template.yaml's 1 s timer and run budget, and the runs the publish nudges in each of the
 * {@code RESCORING_PARALLELISM} rescoring groups, continuing themselves) until the model's rescoring is
 * idle and no lead is left in inquiry. The timers that do other work (threshold notification,
 * maintenance) are off: the baseline does not deliver events either.
 */
final class FunctionPathRescoring {

  /** How often the database is asked whether the rescoring is done (a primary-key read). */
  static final int POLL_MILLIS = 100;
  private static final Duration GIVE_UP = Duration.ofMinutes(30);

  private FunctionPathRescoring() {
  }

  static ScoringBenchmark.FullProduct measure(Path localJar, BenchDatabase database, Path work, int round,
      Database product, UUID modelId, CpuMeter cpu, Consumer<Process> started, int rescoringParallelism)
      throws Exception {
    int port = freePort();
    String token = BenchSupport.newToken();
    Path log = work.resolve("server-rescoring-" + round + ".log");
    ProcessBuilder builder = BenchSupport.localServer(localJar, List.of(), database, port, token, log);
    Map<String, String> env = builder.environment();
    env.put("LEADCYCLE_DATA_DIR", work.resolve("local-data-rescoring-" + round).toString());
    env.keySet().removeIf(name -> name.startsWith("LEADCYCLE_SCHEDULE_SECONDS") || name.startsWith("RESCORING_"));
    if (rescoringParallelism > 0) {
      env.put("RESCORING_PARALLELISM", Integer.toString(rescoringParallelism));
    }
    for (String timer : List.of("THRESHOLD_NOTIFICATION", "MAINTENANCE")) {
      env.put("LEADCYCLE_SCHEDULE_SECONDS_" + timer, "0");
    }
    long spawned = System.nanoTime();
    Process server = builder.start();
    started.accept(server);
    waitForHealth(server, port, log);
    double startup = (System.nanoTime() - spawned) / 1e9;
    progress(String.format(Locale.ROOT, "    local server up in %.2f s (port %d, log %s); publishing", startup, port, log));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    CpuMeter.Snapshot before = cpu.snapshot(server.toHandle());
    long start = System.nanoTime();
    HttpResponse<String> published = http.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + port + "/v1/scoring-models/" + modelId + "/publish"))
        .header("authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    double publishSeconds = (System.nanoTime() - start) / 1e9;
    if (published.statusCode() != 200) {
      throw new BenchmarkFailure("POST /v1/scoring-models/" + modelId + "/publish answered " + published.statusCode()
          + ": " + published.body() + "\n" + tail(log));
    }
    long deadline = start + GIVE_UP.toNanos();
    double firstScoreSeconds = -1;
    while (true) {
      Thread.sleep(POLL_MILLIS);
      if (!server.isAlive()) {
        throw new BenchmarkFailure("the local server exited with " + server.exitValue() + ":\n" + tail(log));
      }
      Row status = product.read(conn -> conn.preparedQuery(
              "SELECT rescoring_status, rescoring_started_at IS NOT NULL FROM scoring_models WHERE id = $1")
          .execute(Tuple.of(modelId))).await().iterator().next();
      if (firstScoreSeconds < 0 && status.getBoolean(1)) {
        firstScoreSeconds = (System.nanoTime() - start) / 1e9;
      }
      if ("idle".equals(status.getString(0)) && inquiry(product) == 0) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new BenchmarkFailure("the rescoring was not done after " + GIVE_UP + ":\n" + tail(log));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    CpuMeter.Usage usage = CpuMeter.between(before, cpu.snapshot(server.toHandle()));
    Row written = product.read(conn -> conn.preparedQuery("""
            SELECT (SELECT count(*) FROM lead_scores WHERE model_id = $1),
                   (SELECT count(*) FROM leads WHERE stage <> 'inquiry'),
                   (SELECT count(*) FROM leads WHERE sales_ready),
                   (SELECT count(*) FROM rescoring_partitions WHERE model_id = $1)""")
        .execute(Tuple.of(modelId))).await().iterator().next();
    int scored = (int) written.getLong(0).longValue();
    RunSummary total = new RunSummary(0, scored, (int) written.getLong(1).longValue(),
        (int) written.getLong(2).longValue(), 0, scored, false, Math.round(seconds * 1000));
    long runs = runsLogged(log);
    String how = String.format(Locale.ROOT, "the local server's score-recalculation runs (1 s timer, and the "
        + "publish's nudges in %s rescoring group(s)), %s; cold JVM "
        + "(server up in %.2f s, not counted), publish answered in %.3f s, split into %,d parts and first batch "
        + "under way after %.2f s; %,.0f leads/s", rescoringParallelism > 0 ? Integer.toString(rescoringParallelism)
        : io.leadcycle.runtime.RescoringGroups.DEFAULT + " (the default)",
        runs < 0 ? "runs not in the log" : runs + " run(s) that scored",
        startup, publishSeconds, written.getLong(3), firstScoreSeconds, scored / seconds);
    return new ScoringBenchmark.FullProduct(seconds, (int) Math.max(runs, 0), total, usage, how);
  }

  private static long inquiry(Database product) {
    return product.read(conn -> conn.query(
            "SELECT count(*) FROM leads WHERE status = 'open' AND contact_id IS NOT NULL AND stage = 'inquiry'")
        .execute()).await().iterator().next().getLong(0);
  }

  /** The score-recalculation runs (scheduled and nudged) that scored leads, by their closing log lines; -1 when none can be told. */
  private static long runsLogged(Path log) {
    try (var lines = Files.lines(log)) {
      // Both triggers' runs: the schedule's and the nudged ones (the publish's groups and their continuations).
      return lines.filter(l -> (l.contains("ScoreRecalculationHandler") || l.contains("ScoringNudgeHandler"))
          && l.contains("\"leadsScored\"")
          && !l.contains("\"leadsScored\":0")).count();
    } catch (Exception e) {
      return -1;
    }
  }
}
