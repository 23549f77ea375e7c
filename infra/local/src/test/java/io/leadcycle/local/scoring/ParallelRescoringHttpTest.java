package io.leadcycle.local.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A publish fans its full rescoring out, on the local server as in AWS: with {@code RESCORING_PARALLELISM=2}
 * and the score-recalculation timer off, publishing a model over 16,000 leads (four parts of 5,000) nudges
 * the scoring queue's groups {@code rescoring-1} and {@code rescoring-2}; the local queue runs the two groups'
 * runs at once, each continues in its own group while parts are left, and every lead is scored exactly once.
 */
class ParallelRescoringHttpTest {

  private static final String TOKEN = "parallel-rescoring-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int LEADS = 16_000;
  private static LocalServer server;

  @BeforeAll
  static void start() {
    TestDatabase.reset();
    ScoringFixtures.contactsWithLeads(LEADS);
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url(),
        "RESCORING_PARALLELISM", "2",
        "LEADCYCLE_SCHEDULE_SECONDS_SCORE_RECALCULATION", "0",
        "LEADCYCLE_SCHEDULE_SECONDS_THRESHOLD_NOTIFICATION", "0"), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aPublishRunsTheRescoringInTwoGroupsAtOnceAndScoresEveryLeadOnce() {
    InvocationLog.Captured<String> captured = InvocationLog.capture(() -> {
      try {
        String model = new JsonObject(send("POST", "/v1/scoring-models", """
            {"name": "Technical buyers", "target": "contact", "salesReadyThreshold": 20,
             "grades": [{"name": "cold", "min": -100, "max": 19}, {"name": "hot", "min": 20, "max": 100}],
             "rules": [{"id": "cto", "kind": "demographic", "field": "jobTitle", "op": "eq", "value": "CTO",
                        "points": 20}]}""").body()).getString("id");
        assertThat(send("POST", "/v1/scoring-models/" + model + "/publish", null).statusCode()).isEqualTo(200);
        Waiting.until("the full rescoring finished", Duration.ofSeconds(180), () -> "idle".equals(
            new JsonObject(send("GET", "/v1/scoring-models/" + model, null).body()).getJsonObject("rescoring")
                .getString("status")));
        return model;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    List<JsonObject> rescoringRuns = captured.invocations().stream()
        .filter(line -> line.getString("group", "").startsWith("rescoring-")).toList();
    Map<String, List<JsonObject>> byGroup = rescoringRuns.stream()
        .collect(Collectors.groupingBy(line -> line.getString("group")));
    assertThat(byGroup.keySet()).containsExactlyInAnyOrder("rescoring-1", "rescoring-2");
    assertThat(byGroup.values()).as("each group's runs scored parts")
        .allSatisfy(runs -> assertThat(runs.stream().mapToLong(r -> r.getLong("fullRescoringLeads")).sum()).isPositive());
    assertThat(overlapping(byGroup.get("rescoring-1"), byGroup.get("rescoring-2")))
        .as("a run of each group at the same time").isTrue();
    assertThat(byGroup.values()).as("each group's last run found no part left, so it nudged nobody")
        .allSatisfy(runs -> assertThat(runs.get(runs.size() - 1).getBoolean("more")).isFalse());
    assertThat(captured.invocations().stream().mapToLong(line -> line.getLong("fullRescoringLeads", 0L)).sum())
        .as("every lead scored once by the function runs").isEqualTo(LEADS);

    assertThat(TestDatabase.count("SELECT count(*) FROM lead_scores")).isEqualTo(LEADS);
    assertThat(TestDatabase.count("SELECT count(*) FROM leads WHERE stage = 'inquiry'")).isZero();
    assertThat(TestDatabase.count("SELECT count(*) FROM lead_timeline WHERE reason = 'first scored'")).isEqualTo(LEADS);
    assertThat(TestDatabase.count("SELECT count(DISTINCT lead_id) FROM lead_timeline WHERE reason = 'first scored'"))
        .isEqualTo(LEADS);
    assertThat(TestDatabase.count("SELECT count(*) FROM rescoring_partitions WHERE NOT done")).isZero();
    assertThat(TestDatabase.count("SELECT sum(leads_scored) FROM rescoring_partitions")).isEqualTo(LEADS);
  }

  /** Whether a run of {@code a} and one of {@code b} were running at the same moment (closing lines: end and duration). */
  private static boolean overlapping(List<JsonObject> a, List<JsonObject> b) {
    for (JsonObject x : a) {
      for (JsonObject y : b) {
        if (x.getLong("fullRescoringLeads") > 0 && y.getLong("fullRescoringLeads") > 0
            && start(x).isBefore(end(y)) && start(y).isBefore(end(x))) {
          return true;
        }
      }
    }
    return false;
  }

  private static Instant end(JsonObject line) {
    return Instant.parse(line.getString("time"));
  }

  private static Instant start(JsonObject line) {
    return end(line).minusMillis(line.getLong("durationMs"));
  }

  private static HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
        .header("Authorization", "Bearer " + TOKEN);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return ContractHttp.send(HTTP, request.method(method, json == null ? BodyPublishers.noBody()
        : BodyPublishers.ofString(json)).build(), json);
  }
}
