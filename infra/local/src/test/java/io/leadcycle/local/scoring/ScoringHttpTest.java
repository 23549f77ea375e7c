package io.leadcycle.local.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scoring over real HTTP through the local server, with its recalculation timer running: a page
 * submission makes the contact and lead, a model goes live, an email platform reports opens, and the
 * lead's score follows within seconds; the score list comes out as CSV with its paging headers.
 */
class ScoringHttpTest {

  private static final String TOKEN = "scoring-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private static LocalServer server;

  @BeforeAll
  static void start() {
    server = LocalServer.start(Map.of(
        "DATABASE_URL", TestDatabase.url()), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anInteractionShowsInTheScoreWithinSecondsAndTheListExportsAsCsv() throws Exception {
    TestDatabase.reset();
    assertThat(send("PUT", "/v1/forms/webinar", """
        {"name": "Webinar", "kind": "marketing_page", "requireSignature": false}""").statusCode()).isEqualTo(201);
    send("POST", "/v1/forms/webinar/submissions", "{\"fields\": {\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}}");
    send("POST", "/v1/forms/webinar/submissions", "{\"fields\": {\"email\": \"bob@example.com\", \"firstName\": \"Bob\"}}");
    // An unsigned submission's answer names no records: management looks them up.
    JsonObject ada = contactByEmail("ada@example.com");
    String adaLead = ada.getJsonArray("leadIds").getString(0);

    HttpResponse<String> model = send("POST", "/v1/scoring-models", """
        {"name": "Email interest", "target": "contact", "salesReadyThreshold": 100,
         "grades": [{"name": "cold", "min": -1000, "max": 9}, {"name": "warm", "min": 10, "max": 1000}],
         "rules": [{"id": "opens", "kind": "behavioral", "interaction": "email_opened", "frequency": "each",
                    "points": 5}]}""");
    assertThat(model.statusCode()).as(model.body()).isEqualTo(201);
    String modelId = new JsonObject(model.body()).getString("id");
    assertThat(send("POST", "/v1/scoring-models/" + modelId + "/publish", null).statusCode()).isEqualTo(200);

    String now = Instant.now().toString();
    HttpResponse<String> recorded = send("POST", "/v1/interactions", new JsonObject().put("interactions", new JsonArray()
        .add(new JsonObject().put("sourceId", "esp-1").put("type", "email_opened").put("email", "ADA@example.com")
            .put("occurredAt", now))
        .add(new JsonObject().put("sourceId", "esp-2").put("type", "email_opened")
            .put("contactId", ada.getString("id")).put("occurredAt", now))
        .add(new JsonObject().put("sourceId", "esp-3").put("type", "email_opened").put("email", "nobody@example.com")
            .put("occurredAt", now))).encode());
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(202);
    assertThat(new JsonObject(recorded.body()).getInteger("accepted")).isEqualTo(2);

    JsonArray scores = Waiting.poll("Ada's lead scored 10 by the local server's timer",
        () -> new JsonObject(send("GET", "/v1/leads/" + adaLead, null).body()).getJsonArray("scores"),
        seen -> !seen.isEmpty() && seen.getJsonObject(0).getInteger("score") == 10);
    assertThat(scores.getJsonObject(0).getInteger("score")).isEqualTo(10);

    // Bob's lead is scored (0) by the full rescoring of the new model, which ends soon after.
    JsonObject rescoring = Waiting.poll("the new model's full rescoring to finish",
        () -> new JsonObject(send("GET", "/v1/scoring-models/" + modelId, null).body()).getJsonObject("rescoring"),
        seen -> seen.getString("finishedAt") != null);
    assertThat(rescoring.getString("status")).isEqualTo("idle");
    assertThat(rescoring.getLong("leadsScored")).isEqualTo(2);
    HttpResponse<String> csv = send("GET", "/v1/scoring-models/" + modelId + "/scores?format=csv&limit=1", null);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
    assertThat(csv.headers().firstValue("content-disposition")).hasValue(
        "attachment; filename=\"scores-" + modelId + ".csv\"");
    assertThat(csv.body()).startsWith("leadId,topic,contactId,contactEmail,accountId,score,grade,salesReady,"
        + "leadSalesReady,scoredAt,stage\r\n" + adaLead + ",");
    assertThat(csv.body()).contains(",ada@example.com,,10,warm,false,false,");
    String link = csv.headers().firstValue("link").orElseThrow();
    String next = csv.headers().firstValue("x-next-cursor").orElseThrow();
    assertThat(link).isEqualTo("</v1/scoring-models/" + modelId + "/scores?format=csv&limit=1&after=" + next
        + ">; rel=\"next\"");
    HttpResponse<String> second = send("GET", link.substring(1, link.indexOf('>')), null);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).contains(contactByEmail("bob@example.com").getJsonArray("leadIds").getString(0) + ",");
  }

  @Test
  void repeatedSubmissionsMakeALeadSalesReadyOnceWithItsExplanation() throws Exception {
    TestDatabase.reset();
    HttpResponse<String> bad = send("POST", "/v1/scoring-models", """
        {"name": "Broken", "target": "contact", "salesReadyThreshold": 20,
         "grades": [{"name": "low", "min": 0, "max": 9}, {"name": "high", "min": 11, "max": 100}],
         "rules": [{"id": "r", "kind": "behavioral", "interaction": "form_sent", "frequency": "each", "points": 5,
                    "withinDays": 0}]}""");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("grades").contains("rules[0].interaction").contains("rules[0].withinDays");

    HttpResponse<String> model = send("POST", "/v1/scoring-models", """
        {"name": "Engaged", "target": "contact", "salesReadyThreshold": 20,
         "grades": [{"name": "C", "min": -100, "max": 9}, {"name": "B", "min": 10, "max": 19},
                    {"name": "A", "min": 20, "max": 100}],
         "rules": [{"id": "pages", "kind": "behavioral", "interaction": "form_submitted", "frequency": "each",
                    "withinDays": 30, "points": 10, "maxPoints": 30}]}""");
    String modelId = new JsonObject(model.body()).getString("id");
    send("POST", "/v1/scoring-models/" + modelId + "/publish", null);
    send("PUT", "/v1/forms/pricing", "{\"name\": \"Pricing\", \"kind\": \"marketing_page\", \"requireSignature\": false}");
    for (int i = 0; i < 3; i++) {
      assertThat(send("POST", "/v1/forms/pricing/submissions",
          "{\"fields\": {\"email\": \"grace@example.com\", \"visit\": \"" + i + "\"}}").statusCode()).isEqualTo(201);
    }
    JsonObject grace = contactByEmail("grace@example.com");
    assertThat(grace.getJsonArray("leadIds")).hasSize(1);
    String leadId = grace.getJsonArray("leadIds").getString(0);

    JsonObject lead = Waiting.poll("Grace's lead scored 30 by the local server's timer",
        () -> new JsonObject(send("GET", "/v1/leads/" + leadId, null).body()),
        seen -> Integer.valueOf(30).equals(seen.getInteger("score")));
    assertThat(lead.getInteger("score")).isEqualTo(30);
    assertThat(lead.getString("grade")).isEqualTo("A");
    assertThat(lead.getBoolean("salesReady")).isTrue();
    assertThat(lead.getString("stage")).isEqualTo("sales_acceptance");
    JsonObject explanation = lead.getJsonArray("scores").getJsonObject(0).getJsonArray("explanation").getJsonObject(0);
    assertThat(explanation.getString("ruleId")).isEqualTo("pages");
    assertThat(explanation.getInteger("occurrences")).isEqualTo(3);
    assertThat(lead.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("actor")))
        .contains("scoring");
    // However many runs scored it, sales heard of it once: two more runs (one begun after we looked) add none.
    long runs = server.finishedRuns("score-recalculation");
    Waiting.until("two more runs of score recalculation", () -> server.finishedRuns("score-recalculation") >= runs + 2);
    assertThat(TestDatabase.count("SELECT count(*) FROM outbox WHERE type = 'lead.sales_ready' AND lead_id = '"
        + leadId + "'")).isEqualTo(1);
  }

  /** The contact with that email as {@code GET /v1/contacts?email=} shows it (with its open leadIds). */
  private static JsonObject contactByEmail(String email) throws Exception {
    return new JsonObject(send("GET", "/v1/contacts?email=" + email.replace("@", "%40"), null).body())
        .getJsonArray("items").getJsonObject(0);
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
