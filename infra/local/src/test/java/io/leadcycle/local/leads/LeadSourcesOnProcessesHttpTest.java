package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every source of leads chooses the process they run on ({@code processId}, default {@code default}): a form
 * (checked live when saved; its submissions' leads on the process's latest version), a journey tile event and a
 * leads import (checked live when created). A process a form still uses is not retired. All over real HTTP on the
 * local server, against the embedded PostgreSQL.
 */
class LeadSourcesOnProcessesHttpTest {

  private static final String TOKEN = "process-sources-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private static LocalServer server;

  /** A process with two stages: "Fresh" first. */
  private static final JsonObject TWO_STAGES = new JsonObject("""
      {"name": "Partner deals", "stages": [
        {"name": "Fresh", "role": "inquiry"},
        {"name": "Partner review", "role": "custom", "fields": [{"name": "partner", "type": "text"}]},
        {"name": "Sales", "role": "sales_acceptance"}]}""");

  @BeforeAll
  static void start() {
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url(),
        "LEADCYCLE_DATA_DIR", "target/process-sources-test", "LEADCYCLE_BUCKET_SCAN_MILLIS", "100"), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  // ---- forms ----

  @Test
  void aFormsSubmissionsBecomeLeadsOnItsProcessAndOnItsLatestVersionOnceTheProcessIsEdited() {
    String process = liveProcess();
    JsonObject form = expect(201, send("PUT", "/v1/forms/partner-page", formBody("Partner page").put("processId", process)));
    assertThat(form.getString("processId")).isEqualTo(process);
    assertThat(expect(200, send("GET", "/v1/forms/partner-page", null)).getString("processId")).isEqualTo(process);

    JsonObject first = lead(submit("partner-page", "ada@example.com"));
    assertThat(first.getString("processId")).isEqualTo(process);
    assertThat(first.getInteger("processVersion")).isEqualTo(1);
    assertThat(first.getString("stage")).isEqualTo("Fresh");

    // Editing a live process publishes version 2: the form's next leads run on it, the earlier one stays.
    JsonObject edited = TWO_STAGES.copy();
    edited.getJsonArray("stages").getJsonObject(0).put("name", "Brand new");
    expect(200, send("PUT", "/v1/processes/" + process, edited));
    JsonObject second = lead(submit("partner-page", "bo@example.com"));
    assertThat(second.getInteger("processVersion")).isEqualTo(2);
    assertThat(second.getString("stage")).isEqualTo("Brand new");
    assertThat(lead(first.getString("id")).getInteger("processVersion")).isEqualTo(1);
  }

  @Test
  void aFormThatNamesNoProcessCreatesLeadsOnTheShippedOne() {
    JsonObject form = expect(201, send("PUT", "/v1/forms/plain", formBody("Plain")));
    assertThat(form.getString("processId")).isEqualTo("default");

    JsonObject lead = lead(submit("plain", "ada@example.com"));

    assertThat(lead.getString("processId")).isEqualTo("default");
    assertThat(lead.getInteger("processVersion")).isEqualTo(1);
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
  }

  @Test
  void aFormIsNotSavedOnAnUnknownDraftOrRetiredProcess() {
    String draft = expect(201, send("POST", "/v1/processes", TWO_STAGES)).getString("id");
    String retired = liveProcess();
    expect(200, send("POST", "/v1/processes/" + retired + "/retire", null));

    for (String bad : List.of("no-such-process", draft, retired)) {
      HttpResponse<String> refused = send("PUT", "/v1/forms/page", formBody("Page").put("processId", bad));
      assertInvalid(refused, "processId");
    }
    assertInvalid(send("PUT", "/v1/forms/page", formBody("Page").put("processId", 7)), "processId");
    // A PATCH is checked the same way, and the form keeps its process.
    expect(201, send("PUT", "/v1/forms/page", formBody("Page")));
    assertInvalid(send("PATCH", "/v1/forms/page", new JsonObject().put("processId", draft)), "processId");
    assertThat(expect(200, send("GET", "/v1/forms/page", null)).getString("processId")).isEqualTo("default");
    // Both faults of one body are named at once.
    HttpResponse<String> two = send("PUT", "/v1/forms/page", formBody("Page").put("processId", draft)
        .put("contactStrategyId", "no-such-strategy"));
    assertThat(errorFields(two)).containsExactlyInAnyOrder("contactStrategyId", "processId");
  }

  @Test
  void aProcessAFormStillUsesIsNotRetiredUntilTheFormMovesOff() {
    String process = liveProcess();
    expect(201, send("PUT", "/v1/forms/partner-page", formBody("Partner page").put("processId", process)));
    expect(201, send("PUT", "/v1/forms/partner-expo", formBody("Partner expo").put("kind", "event")
        .put("processId", process)));

    HttpResponse<String> refused = send("POST", "/v1/processes/" + process + "/retire", null);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    String detail = new JsonObject(refused.body()).getString("detail");
    assertThat(detail).contains("partner-page (\"Partner page\")", "partner-expo (\"Partner expo\")");
    assertThat(expect(200, send("GET", "/v1/processes/" + process, null)).getString("status")).isEqualTo("live");

    // null resets the form's process to the default; once no form uses it, it is retired.
    expect(200, send("PATCH", "/v1/forms/partner-page", new JsonObject().putNull("processId")));
    expect(200, send("PATCH", "/v1/forms/partner-expo", new JsonObject().put("processId", "default")));
    assertThat(expect(200, send("POST", "/v1/processes/" + process + "/retire", null)).getString("status"))
        .isEqualTo("retired");
  }

  @Test
  void formsSavedWhileTheirProcessIsRetiredEitherKeepItLiveOrAreRefused() throws Exception {
    // Each round races a form naming the process against its retire: either the form is saved and the retire
    // refused, or the retire wins and the form is refused; never a form left on a retired process.
    for (int round = 0; round < 8; round++) {
      String process = liveProcess();
      String formId = "race-" + round;
      ExecutorService threads = Executors.newFixedThreadPool(2);
      CountDownLatch start = new CountDownLatch(1);
      Future<HttpResponse<String>> saved = threads.submit((Callable<HttpResponse<String>>) () -> {
        start.await();
        return send("PUT", "/v1/forms/" + formId, formBody("Race").put("processId", process));
      });
      Future<HttpResponse<String>> retired = threads.submit((Callable<HttpResponse<String>>) () -> {
        start.await();
        return send("POST", "/v1/processes/" + process + "/retire", null);
      });
      start.countDown();
      int form = saved.get().statusCode();
      int retire = retired.get().statusCode();
      threads.shutdown();
      assertThat(List.of(form, retire)).as(saved.get().body() + " / " + retired.get().body())
          .isIn(List.of(201, 409), List.of(400, 200));
      assertThat(TestDatabase.count("SELECT count(*) FROM forms f JOIN processes p ON p.id = f.process_id"
          + " WHERE p.status = 'retired'")).isZero();
    }
  }

  // ---- journey tiles ----

  @Test
  void aTileEventsLeadRunsOnTheTilesProcessAndAnUnknownOrDraftProcessIsRefusedWithItsReason() {
    String process = liveProcess();
    String draft = expect(201, send("POST", "/v1/processes", TWO_STAGES)).getString("id");
    UUID ada = ScoringFixtures.contact("ada@example.com", "CTO", null);
    UUID bo = ScoringFixtures.contact("bo@example.com", "CFO", null);

    JsonObject answer = expect(200, send("POST", "/v1/journeys/tile-events", new JsonObject().put("events", new JsonArray()
        .add(tileEvent(ada, "tile-1").put("processId", process))
        .add(tileEvent(bo, "tile-2"))
        .add(tileEvent(bo, "tile-3").put("processId", "no-such-process"))
        .add(tileEvent(bo, "tile-4").put("processId", draft)))));

    JsonArray failures = answer.getJsonArray("batchItemFailures");
    assertThat(failures).hasSize(2);
    assertThat(failures.getJsonObject(0).getInteger("index")).isEqualTo(2);
    assertThat(failures.getJsonObject(0).getString("reason")).contains("processId", "no process with id no-such-process");
    assertThat(failures.getJsonObject(1).getInteger("index")).isEqualTo(3);
    assertThat(failures.getJsonObject(1).getString("reason")).contains("processId", "publish it first");
    JsonObject onProcess = lead(leadOf(ada));
    assertThat(onProcess.getString("processId")).isEqualTo(process);
    assertThat(onProcess.getInteger("processVersion")).isEqualTo(1);
    assertThat(onProcess.getString("stage")).isEqualTo("Fresh");
    JsonObject onDefault = lead(leadOf(bo));
    assertThat(onDefault.getString("processId")).isEqualTo("default");
    assertThat(onDefault.getString("stage")).isEqualTo("inquiry");
    assertThat(TestDatabase.count("SELECT count(*) FROM leads")).isEqualTo(2);
    assertThat(TestDatabase.count("SELECT count(*) FROM journey_tile_leads")).as("refused claims rolled back")
        .isEqualTo(2);
  }

  // ---- imports ----

  @Test
  void aLeadsImportPutsEveryLeadOnItsProcessAndTheDefaultWithoutOne() {
    String process = liveProcess();

    JsonObject job = importCsv("?entity=leads&fileName=partners.csv&processId=" + process,
        "Email,Topic\nada@example.com,Pricing\nbo@example.com,Demo\n");
    assertThat(job.getJsonObject("options").getString("processId")).isEqualTo(process);
    JsonObject done = poll(job.getString("id"));
    assertThat(done.getJsonObject("counts").getLong("created")).as(done.encode()).isEqualTo(2);
    for (String email : List.of("ada@example.com", "bo@example.com")) {
      JsonObject lead = lead(leadOf(contactOf(email)));
      assertThat(lead.getString("processId")).isEqualTo(process);
      assertThat(lead.getInteger("processVersion")).isEqualTo(1);
      assertThat(lead.getString("stage")).isEqualTo("Fresh");
    }

    JsonObject plain = importCsv("?entity=leads&fileName=plain.csv", "Email,Topic\ncy@example.com,Pricing\n");
    assertThat(plain.getJsonObject("options").getString("processId")).isEqualTo("default");
    poll(plain.getString("id"));
    JsonObject lead = lead(leadOf(contactOf("cy@example.com")));
    assertThat(lead.getString("processId")).isEqualTo("default");
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
  }

  @Test
  void anImportsFileThatArrivesAfterItsProcessWasEditedAndRetiredIsImportedOnTheLastVersion() throws Exception {
    String process = liveProcess();
    JsonObject job = expect(201, send("POST", "/v1/imports", new JsonObject().put("entity", "leads")
        .put("fileName", "late.csv").put("processId", process)));
    JsonObject edited = TWO_STAGES.copy();
    edited.getJsonArray("stages").getJsonObject(0).put("name", "Brand new");
    expect(200, send("PUT", "/v1/processes/" + process, edited));
    expect(200, send("POST", "/v1/processes/" + process + "/retire", null));

    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(job.getString("uploadUrl")))
        .PUT(BodyPublishers.ofString("Email,Topic\nada@example.com,Pricing\n")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    JsonObject done = poll(job.getString("id"));

    assertThat(done.getString("status")).as(done.encode()).isEqualTo("completed");
    JsonObject lead = lead(leadOf(contactOf("ada@example.com")));
    assertThat(lead.getString("processId")).isEqualTo(process);
    assertThat(lead.getInteger("processVersion")).isEqualTo(2);
    assertThat(lead.getString("stage")).isEqualTo("Brand new");
  }

  @Test
  void anImportOnAnUnknownOrDraftProcessOrOfContactsWithAProcessIsA400AndCreatesNoJob() {
    String draft = expect(201, send("POST", "/v1/processes", TWO_STAGES)).getString("id");

    assertInvalid(send("POST", "/v1/imports", new JsonObject().put("entity", "leads").put("fileName", "a.csv")
        .put("processId", "no-such-process")), "processId");
    assertInvalid(send("POST", "/v1/imports", new JsonObject().put("entity", "leads").put("fileName", "a.csv")
        .put("processId", draft)), "processId");
    assertInvalid(raw("POST", "/v1/imports?entity=leads&fileName=a.csv&processId=" + draft, "text/csv",
        "Email\nada@example.com\n"), "processId");
    assertInvalid(send("POST", "/v1/imports", new JsonObject().put("entity", "contacts").put("fileName", "a.csv")
        .put("processId", "default")), "processId");
    assertThat(TestDatabase.count("SELECT count(*) FROM imports")).isZero();
    assertThat(TestDatabase.count("SELECT count(*) FROM leads")).isZero();
  }

  // ---- helpers ----

  /** A new process, published: live at version 1. */
  private static String liveProcess() {
    String id = expect(201, send("POST", "/v1/processes", TWO_STAGES)).getString("id");
    expect(200, send("POST", "/v1/processes/" + id + "/publish", null));
    return id;
  }

  private static JsonObject formBody(String name) {
    return new JsonObject().put("name", name).put("kind", "marketing_page").put("requireSignature", false);
  }

  /** An unsigned submission to a marketing page; answers the id of the submitter's one lead. */
  private static String submit(String formId, String email) {
    HttpResponse<String> answer = send("POST", "/v1/forms/" + formId + "/submissions",
        new JsonObject().put("fields", new JsonObject().put("email", email)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    return leadOf(contactOf(email));
  }

  private static JsonObject tileEvent(UUID contactId, String tileId) {
    return new JsonObject().put("journeyId", "partners-2026").put("tileId", tileId)
        .put("contactId", contactId.toString()).put("createFor", "contact")
        .put("lead", new JsonObject().put("topic", "Partner programme")).put("occurredAt", "2026-11-27T08:59:30Z");
  }

  private static JsonObject importCsv(String query, String csv) {
    HttpResponse<String> accepted = raw("POST", "/v1/imports" + query, "text/csv", csv);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return new JsonObject(accepted.body());
  }

  private static JsonObject poll(String id) {
    return Waiting.poll("import " + id + " to finish",
        () -> expect(200, send("GET", "/v1/imports/" + id, null)),
        job -> job.getString("status").startsWith("completed") || job.getString("status").equals("failed"));
  }

  private static UUID contactOf(String email) {
    JsonArray items = expect(200, send("GET", "/v1/contacts?email=" + email.replace("@", "%40"), null))
        .getJsonArray("items");
    assertThat(items).as(email).hasSize(1);
    return UUID.fromString(items.getJsonObject(0).getString("id"));
  }

  private static String leadOf(UUID contactId) {
    JsonArray ids = expect(200, send("GET", "/v1/contacts/" + contactId, null)).getJsonArray("leadIds");
    assertThat(ids).hasSize(1);
    return ids.getString(0);
  }

  private static JsonObject lead(String id) {
    return expect(200, send("GET", "/v1/leads/" + id, null));
  }

  private static JsonObject expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return new JsonObject(response.body());
  }

  private static void assertInvalid(HttpResponse<String> response, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(errorFields(response)).as(response.body()).contains(field);
  }

  private static List<String> errorFields(HttpResponse<String> response) {
    List<String> fields = new ArrayList<>();
    JsonArray errors = new JsonObject(response.body()).getJsonArray("errors");
    if (errors != null) {
      errors.forEach(e -> fields.add(((JsonObject) e).getString("field")));
    }
    return fields;
  }

  private static HttpResponse<String> send(String method, String path, JsonObject body) {
    return raw(method, path, body == null ? null : "application/json", body == null ? null : body.encode());
  }

  private static HttpResponse<String> raw(String method, String path, String type, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN);
    if (type != null) {
      request.header("Content-Type", type);
    }
    request.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    try {
      // The tile-events route is the local server's stand-in for the queue, not part of the API document.
      return path.startsWith("/v1/journeys/") ? HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString())
          : ContractHttp.send(HTTP, request.build(), body);
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }
}
