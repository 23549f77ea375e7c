package io.leadcycle.bench;

import static io.leadcycle.bench.BenchSupport.connect;
import static io.leadcycle.bench.BenchSupport.freePort;
import static io.leadcycle.bench.BenchSupport.progress;
import static io.leadcycle.bench.BenchSupport.tail;
import static io.leadcycle.bench.BenchSupport.waitForHealth;

import io.leadcycle.bench.BenchSupport.BenchmarkFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Time from a new interaction to the updated score, end to end through the local server: the server
 * as a child process on the benchmark's database, its score-recalculation timer at what template.yaml
 * suggests for local runs (1 s; {@code LEADCYCLE_SCHEDULE_SECONDS} is not set). One lead at a time, a
 * random 0–1 s apart (so that the interactions fall anywhere in the timer's period): its contact gets
 * an {@code event_attended} interaction in the context the model's {@code webinar} rule counts (+15
 * points, and the lead had none), then {@code GET /v1/leads/{id}} is polled until its score moves.
 *
 * <p>The interaction goes through {@code POST /v1/interactions} when the server has that route; when it
 * answers 404 or 405 (the route is not built yet), it is inserted and its contact marked in one SQL
 * statement, as intake records a submission's interaction, and the report says so.
 */
final class TimeToScore {

  static final int POLL_MILLIS = 25;
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  record Result(String path, int samples, double p50Seconds, double p90Seconds, double maxSeconds) {
  }

  private record Pick(UUID leadId, UUID contactId) {
  }

  private TimeToScore() {
  }

  static Result measure(Path localJar, BenchDatabase database, Path work, int samples, Consumer<Process> started)
      throws Exception {
    int port = freePort();
    String token = BenchSupport.newToken();
    Path log = work.resolve("server.log");
    progress("(c) starting the local server on port " + port + " (log: " + log + ")");
    Process server = start(localJar, database, port, token, work, log);
    started.accept(server);
    waitForHealth(server, port, log);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    boolean viaHttp = routeExists(http, port, token);
    String path = viaHttp ? "POST /v1/interactions (one interaction per request), then GET /v1/leads/{id}"
        : "POST /v1/interactions answers 404/405 on this build: the interaction is inserted and its contact marked in "
            + "one SQL statement (as intake records one), then GET /v1/leads/{id}";
    progress("(c) " + samples + " samples: " + path);
    List<Pick> picks = pick(database, samples);
    Random random = new Random(7);
    List<Double> seconds = new ArrayList<>();
    for (Pick pick : picks) {
      Integer before = score(http, port, token, pick.leadId(), log);
      Thread.sleep(random.nextInt(1000));
      long t0 = System.nanoTime();
      if (viaHttp) {
        post(http, port, token, pick, log);
      } else {
        insertAndMark(database, pick);
      }
      while (true) {
        Integer now = score(http, port, token, pick.leadId(), log);
        long elapsed = System.nanoTime() - t0;
        if (!Objects.equals(now, before)) {
          seconds.add(elapsed / 1e9);
          break;
        }
        if (elapsed > GIVE_UP.toNanos()) {
          throw new BenchmarkFailure("lead " + pick.leadId() + " still had score " + before + " " + GIVE_UP.toSeconds()
              + " s after its contact's interaction:\n" + tail(log));
        }
        Thread.sleep(POLL_MILLIS);
      }
    }
    List<Double> sorted = seconds.stream().sorted().toList();
    return new Result(path, sorted.size(), rank(sorted, 0.5), rank(sorted, 0.9), sorted.get(sorted.size() - 1));
  }

  /** Nearest rank. */
  private static double rank(List<Double> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static Process start(Path localJar, BenchDatabase database, int port, String token, Path work, Path log)
      throws IOException {
    ProcessBuilder builder = BenchSupport.localServer(localJar, List.of(), database, port, token, log);
    Map<String, String> env = builder.environment();
    env.put("LEADCYCLE_DATA_DIR", work.resolve("local-data").toString());
    env.put("DB_POOL_SIZE", "4");
    // The timer periods are template.yaml's (score-recalculation: 1 s), not an override.
    env.keySet().removeIf(name -> name.startsWith("LEADCYCLE_SCHEDULE_SECONDS"));
    return builder.start();
  }

  private static HttpRequest.Builder request(int port, String token, String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .header("authorization", "Bearer " + token);
  }

  /** Whether the server routes {@code POST /v1/interactions} (an empty batch: any answer but 404/405). */
  private static boolean routeExists(HttpClient http, int port, String token) throws Exception {
    HttpResponse<String> response = http.send(request(port, token, "/v1/interactions")
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"interactions\": []}")).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() != 404 && response.statusCode() != 405;
  }

  private static void post(HttpClient http, int port, String token, Pick pick, Path log) throws Exception {
    JsonObject body = new JsonObject().put("interactions", new JsonArray().add(new JsonObject()
        .put("sourceId", "bench:tts:" + pick.leadId())
        .put("type", ScoringBaseline.WEBINAR_TYPE)
        .put("contactId", pick.contactId().toString())
        .put("occurredAt", Instant.now().toString())
        .put("context", new JsonObject().put("kind", "event").put("id", ScoringBaseline.WEBINAR_CONTEXT)
            .put("name", "Webinar 7"))));
    HttpResponse<String> response = http.send(request(port, token, "/v1/interactions")
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202 || new JsonObject(response.body()).getInteger("accepted", 0) != 1) {
      throw new BenchmarkFailure("POST /v1/interactions answered " + response.statusCode() + ": " + response.body()
          + "\n" + tail(log));
    }
  }

  private static void insertAndMark(BenchDatabase database, Pick pick) throws SQLException {
    try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement("""
        WITH i AS (
          INSERT INTO interactions (contact_id, type, occurred_at, context_kind, context_id, context_name, source_key)
          VALUES (?, ?, now(), 'event', ?, 'Webinar 7', ?) RETURNING contact_id)
        INSERT INTO contacts_to_rescore (contact_id) SELECT contact_id FROM i
        ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL""")) {
      ps.setObject(1, pick.contactId());
      ps.setString(2, ScoringBaseline.WEBINAR_TYPE);
      ps.setString(3, ScoringBaseline.WEBINAR_CONTEXT);
      ps.setString(4, "bench:tts:" + pick.leadId());
      ps.executeUpdate();
    }
  }

  /** The lead's best score as {@code GET /v1/leads/{id}} shows it. */
  private static Integer score(HttpClient http, int port, String token, UUID leadId, Path log) throws Exception {
    HttpResponse<String> response = http.send(request(port, token, "/v1/leads/" + leadId).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new BenchmarkFailure("GET /v1/leads/" + leadId + " answered " + response.statusCode() + ": "
          + response.body() + "\n" + tail(log));
    }
    return new JsonObject(response.body()).getInteger("score");
  }

  /** Random open leads whose contact has no interaction the webinar rule counts: one more adds 15 points. */
  private static List<Pick> pick(BenchDatabase database, int n) throws SQLException {
    List<Pick> picks = new ArrayList<>();
    try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement("""
        SELECT l.id, l.contact_id FROM leads l
         WHERE l.status = 'open' AND l.contact_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.contact_id = l.contact_id AND i.type = ?
                              AND i.context_id = ?)
         ORDER BY random() LIMIT ?""")) {
      ps.setString(1, ScoringBaseline.WEBINAR_TYPE);
      ps.setString(2, ScoringBaseline.WEBINAR_CONTEXT);
      ps.setInt(3, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          picks.add(new Pick(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
        }
      }
    }
    if (picks.size() < n) {
      throw new BenchmarkFailure("only " + picks.size() + " leads without a webinar attendance to sample");
    }
    return picks;
  }
}
