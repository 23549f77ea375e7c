package io.leadcycle.local.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.functions.linkedinsync.FakeLinkedIn;
import io.leadcycle.functions.linkedinsync.LinkedInHarness;
import io.leadcycle.functions.linkedinsync.LinkedInWebhookHandler;
import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure (docs/privacy.md) proven on the whole database: one person comes in through every source — a form
 * submission with consent, an event registration, a LinkedIn lead through the fake LinkedIn, an import with a
 * row error carrying their values, a journey tile, interactions, a webhook delivered to a subscriber on
 * loopback, a lead converted into an opportunity — beside a second person who must survive intact. After the
 * erasure every row of every table of every schema is searched for their email, names and phone (also in
 * normalized forms): nothing may remain. Then the tombstone at work: a replayed submission and a re-synced
 * LinkedIn response are refused with a reason, the same import refuses their rows without their values, and a
 * new submission with a fresh consent creates them afresh.
 */
class ErasureDumpHttpTest {

  private static final String TOKEN = "erasure-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Vertx VERTX = Vertx.vertx();
  private static final List<JsonObject> RECEIVED = new CopyOnWriteArrayList<>();
  private static LocalServer server;
  private static HttpServer receiver;

  // The erased person: a first name no other text of the database holds by chance.
  private static final String EMAIL = "augusta.lovelace@example.com";
  private static final String FIRST = "Augusta";
  private static final String LAST = "Lovelace";
  private static final String PHONE = "+44 20 7946 0958";
  /** What the dump must not hold, lower case: as given, and normalized (the phone's digits). */
  private static final List<String> TRACES = List.of(EMAIL, "augusta", "lovelace", "+44 20 7946 0958",
      "442079460958", "2079460958", "7946 0958", "79460958");

  private static final String CSV = "Email,First Name,Last Name,Phone\n"
      + EMAIL + "," + FIRST + "," + LAST + "," + PHONE + "\n"
      + FIRST + " " + LAST + " <" + EMAIL + ">," + FIRST + "," + LAST + ",\n"
      + "grace.hopper@example.com,Grace,Hopper,+1 202 555 0143\n";

  private FakeLinkedIn linkedIn;
  private LinkedInWebhookHandler linkedInWebhook;

  @BeforeAll
  static void start() {
    receiver = VERTX.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      RECEIVED.add(new JsonObject(body.toString(StandardCharsets.UTF_8)));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url(), "LEADCYCLE_DATA_DIR", "target/erasure-test",
        "LEADCYCLE_BUCKET_SCAN_MILLIS", "100"), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close().await();
    VERTX.close().await();
  }

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    RECEIVED.clear();
    linkedIn = new FakeLinkedIn();
    Map<String, String> env = new HashMap<>();
    env.put("LINKEDIN_API_BASE_URL", linkedIn.baseUrl());
    env.put("LINKEDIN_CLIENT_SECRET", LinkedInHarness.CLIENT_SECRET);
    env.put("LINKEDIN_ACCESS_TOKEN", FakeLinkedIn.TOKEN);
    env.put("LINKEDIN_OWNER", FakeLinkedIn.OWNER);
    linkedInWebhook = LinkedInHarness.webhookHandler(env);
  }

  @AfterEach
  void closeLinkedIn() {
    linkedIn.close();
  }

  @Test
  void afterAnErasureNoTableHoldsThePersonAndTheTombstoneRefusesReplaysAndReImports() throws Exception {
    // ---- one person through every source, and Grace beside them ----
    created(send("POST", "/v1/subscribers", new JsonObject().put("url", "http://127.0.0.1:" + receiver.actualPort()
        + "/crm").put("events", List.of("*"))));
    created(send("PUT", "/v1/forms/launch", new JsonObject().put("name", "Launch").put("kind", "marketing_page")
        .put("requireSignature", false)));
    created(send("PUT", "/v1/forms/meetup", new JsonObject().put("name", "Meetup").put("kind", "event")
        .put("requireSignature", false)));
    created(submit("/v1/forms/launch/submissions", "aug-1", EMAIL, FIRST, LAST, PHONE, true));
    created(submit("/v1/forms/launch/submissions", "grace-1", "grace.hopper@example.com", "Grace", "Hopper",
        "+1 202 555 0143", true));
    created(submit("/v1/events/meetup/registrations", "aug-2", EMAIL, FIRST, LAST, PHONE, false));
    String augusta = contactIdOf(EMAIL);
    String grace = contactIdOf("grace.hopper@example.com");
    String now = Instant.now().toString();
    assertThat(send("POST", "/v1/interactions", new JsonObject().put("interactions", new JsonArray()
        .add(new JsonObject().put("sourceId", "esp-aug").put("type", "email_opened").put("email", EMAIL)
            .put("occurredAt", now))
        .add(new JsonObject().put("sourceId", "esp-grace").put("type", "email_opened").put("contactId", grace)
            .put("occurredAt", now)))).statusCode()).isEqualTo(202);
    // The journey engine's route is the local server's own (SQS in AWS): not in docs/openapi.yaml.
    assertThat(sendLocal("/v1/journeys/tile-events", new JsonObject().put("events", new JsonArray().add(
        new JsonObject().put("journeyId", "onboarding-2026").put("tileId", "tile-7").put("contactId", augusta)
            .put("createFor", "contact").put("lead", new JsonObject().put("topic", "Webinar follow-up")
                .put("context", new JsonObject().put("wave", 2))).put("occurredAt", now)))).statusCode())
        .isEqualTo(200);
    JsonObject firstImport = importCsv();
    assertThat(firstImport.getString("status")).isEqualTo("completed_with_errors");
    assertThat(TestDatabase.count("SELECT count(*) FROM import_errors WHERE value LIKE '%" + EMAIL + "%'")).isEqualTo(1);
    takeLinkedInLead("6001");
    // Augusta's form lead goes to sales and becomes an opportunity (sales data: kept, without her).
    String formLead = ok(send("GET", "/v1/contacts/" + augusta, null)).getJsonArray("leadIds").getString(0);
    ok(send("POST", "/v1/leads/" + formLead + "/process", new JsonObject().put("action", "mark-sales-ready")));
    ok(send("POST", "/v1/leads/" + formLead + "/process", new JsonObject().put("action", "accept-sales")
        .put("ownerId", "sam")));
    ok(send("POST", "/v1/leads/" + formLead + "/process", new JsonObject().put("action", "convert")));
    // Both in a static segment: the membership, and joined events whose payloads name them.
    String segment = created(send("POST", "/v1/segments", new JsonObject().put("name", "Webinar guests")
        .put("kind", "static"))).getString("id");
    ok(send("POST", "/v1/segments/" + segment + "/members", new JsonObject().put("contactIds",
        new JsonArray().add(augusta).add(grace))));
    Waiting.until("every event delivered to the subscriber", () -> !RECEIVED.isEmpty()
        && TestDatabase.count("SELECT count(*) FROM outbox WHERE fanned_out_at IS NULL") == 0
        && TestDatabase.count("SELECT count(*) FROM deliveries WHERE status <> 'delivered'") == 0);
    assertThat(tablesHolding(TRACES)).as("the seeding reached every source")
        .containsKeys("contacts", "leads", "interactions", "intake_receipts", "linkedin_responses", "import_errors");
    assertThat(TestDatabase.count("SELECT count(*) FROM journey_tile_leads WHERE target_id = '" + augusta + "'"))
        .isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM deliveries d JOIN outbox o ON o.id = d.outbox_id"
        + " JOIN leads l ON l.id = o.lead_id WHERE l.contact_id = '" + augusta + "'")).isGreaterThan(0);
    Map<String, List<String>> graceBefore = rowsHolding(List.of("grace.hopper@example.com", "hopper"));

    // ---- the erasure ----
    HttpResponse<String> erased = send("POST", "/v1/privacy/erasures", new JsonObject()
        .put("email", "Augusta.Lovelace@Example.com").put("reason", "Art. 17 request by email, ticket 4711"));
    assertThat(erased.statusCode()).as(erased.body()).isEqualTo(201);
    JsonObject tombstone = new JsonObject(erased.body());
    assertThat(tombstone.getString("contactId")).isEqualTo(augusta);
    JsonObject counts = tombstone.getJsonObject("counts");
    assertThat(counts.getInteger("contacts")).isEqualTo(1);
    assertThat(counts.getInteger("leads")).isEqualTo(3); // the event's, the journey tile's, LinkedIn's
    assertThat(counts.getInteger("leadsAnonymised")).isEqualTo(1);
    assertThat(counts.getInteger("opportunitiesAnonymised")).isEqualTo(1);
    assertThat(counts.getInteger("interactions")).isEqualTo(4); // form, event, email opened, LinkedIn
    assertThat(counts.getInteger("submissions")).isEqualTo(2);
    assertThat(counts.getInteger("linkedinResponses")).isEqualTo(1);
    assertThat(counts.getInteger("importErrors")).isEqualTo(1);
    assertThat(counts.getInteger("journeyTileClaims")).isEqualTo(1);
    assertThat(counts.getInteger("events")).isGreaterThan(0);
    assertThat(counts.getInteger("segmentMemberships")).isEqualTo(1);
    assertThat(counts.getInteger("contactEvents")).isEqualTo(1); // contact.segment_joined
    assertThat(counts.getInteger("consentChanges")).isGreaterThan(0);
    assertThat(ok(send("GET", "/v1/segments/" + segment, null)).getInteger("memberCount")).isEqualTo(1);

    // ---- the dump: nothing names them; Grace is as she was ----
    assertThat(tablesHolding(TRACES)).as("rows still naming the erased person").isEmpty();
    assertThat(rowsHolding(List.of("grace.hopper@example.com", "hopper"))).isEqualTo(graceBefore);
    assertThat(TestDatabase.count("SELECT count(*) FROM opportunities WHERE contact_id IS NULL")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM erasure_hashes")).isEqualTo(2); // email and phone
    // Subscribers hear of it, with the contact id and nothing else.
    JsonObject announced = Waiting.poll("contact.erased delivered", () -> RECEIVED.stream()
        .filter(b -> b.getString("type").equals("contact.erased")).findFirst().orElse(null), b -> b != null);
    assertThat(announced.getJsonObject("data")).isEqualTo(new JsonObject().put("contactId", augusta));
    assertThat(send("GET", "/v1/contacts/" + augusta, null).statusCode()).isEqualTo(404);

    // ---- the tombstone at work ----
    HttpResponse<String> replay = submit("/v1/forms/launch/submissions", "aug-1", EMAIL, FIRST, LAST, PHONE, true);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(410);
    JsonObject problem = new JsonObject(replay.body());
    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:erased");
    assertThat(problem.getString("detail")).contains("seen before the person it names was erased");
    // Posted anonymously, the same replay is answered as any first delivery: nobody learns by posting an address
    // that its person was erased. Nothing is written; the tombstone counts it.
    HttpResponse<String> anonymous = submitUnsigned("/v1/forms/launch/submissions", "aug-1", EMAIL, FIRST, LAST,
        PHONE, true);
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(201);
    assertThat(new JsonObject(anonymous.body()).getString("status")).isEqualTo("accepted");
    assertThat(anonymous.body()).doesNotContain("erase");
    assertThat(tablesHolding(TRACES)).as("after the anonymous replay").isEmpty();
    // Without a fresh consent the person is not taken in again either, whatever the id.
    HttpResponse<String> noConsent = submit("/v1/events/meetup/registrations", "aug-9", EMAIL, FIRST, LAST, null,
        false);
    assertThat(noConsent.statusCode()).as(noConsent.body()).isEqualTo(410);
    assertThat(new JsonObject(noConsent.body()).getString("detail")).contains("fresh consent");

    JsonObject again = HandlerCalls.ok(LinkedInHarness.notify(linkedInWebhook, FakeLinkedIn.notification("6001",
        "CREATED")));
    assertThat(again.getString("outcome")).isEqualTo("erased");
    assertThat(ok(send("GET", "/v1/linkedin/sync-status", null)).getJsonObject("counts").getInteger("erased"))
        .isEqualTo(1);

    JsonObject reImport = importCsv();
    assertThat(reImport.getJsonObject("counts").getInteger("failed")).isEqualTo(2);
    JsonArray rowErrors = ok(send("GET", "/v1/imports/" + reImport.getString("id") + "/errors", null))
        .getJsonArray("items");
    assertThat(rowErrors).hasSize(2);
    for (Object error : rowErrors) {
      JsonObject e = (JsonObject) error;
      assertThat(e.getString("reason")).contains("was erased");
      assertThat(e.getValue("value")).isNull();
    }
    assertThat(tablesHolding(TRACES)).as("after the replays and the re-import").isEmpty();
    JsonObject listed = ok(send("GET", "/v1/privacy/erasures", null)).getJsonArray("items").getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(tombstone.getString("id"));
    assertThat(listed.getInteger("refusedCount")).isEqualTo(6); // the replay (signed, anonymous), no consent, LinkedIn, two rows
    assertThat(listed.getValue("recreatedAt")).isNull();

    // A genuinely new submission, with a fresh consent, creates the person afresh.
    HttpResponse<String> fresh = submit("/v1/forms/launch/submissions", "aug-3", EMAIL, FIRST, LAST, PHONE, true);
    assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(201);
    String reborn = contactIdOf(EMAIL);
    assertThat(reborn).isNotEqualTo(augusta);
    assertThat(ok(send("GET", "/v1/privacy/erasures", null)).getJsonArray("items").getJsonObject(0)
        .getString("recreatedAt")).isNotNull();
    // ... and from then on their submissions need no consent each; old ids stay refused.
    assertThat(submit("/v1/events/meetup/registrations", "aug-4", EMAIL, FIRST, LAST, null, false).statusCode())
        .isIn(200, 201);
    assertThat(submit("/v1/events/meetup/registrations", "aug-2", EMAIL, FIRST, LAST, PHONE, false).statusCode())
        .isEqualTo(410);
  }

  @Test
  void submissionsRacingTheErasureLandBeforeItAndAreErasedOrAfterItAndAreRefused() throws Exception {
    created(send("PUT", "/v1/forms/launch", new JsonObject().put("name", "Launch").put("kind", "marketing_page")
        .put("requireSignature", false)));
    created(submit("/v1/forms/launch/submissions", "race-0", EMAIL, FIRST, LAST, PHONE, true));
    int submissions = 16;
    ExecutorService threads = Executors.newFixedThreadPool(submissions + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 1; i <= submissions; i++) {
      String id = "race-" + i;
      // Without consent: one that comes after the erasure is refused, so nothing may be left at the end.
      answers.add(threads.submit((Callable<HttpResponse<String>>) () -> {
        go.await();
        return submit("/v1/forms/launch/submissions", id, EMAIL, FIRST, LAST, PHONE, false);
      }));
    }
    Future<HttpResponse<String>> erasure = threads.submit(() -> {
      go.await();
      return send("POST", "/v1/privacy/erasures", new JsonObject().put("email", EMAIL).put("reason", "ticket 4712"));
    });
    go.countDown();
    assertThat(erasure.get().statusCode()).as(erasure.get().body()).isEqualTo(201);
    int refused = 0;
    for (Future<HttpResponse<String>> answer : answers) {
      assertThat(answer.get().statusCode()).as(answer.get().body()).isIn(200, 201, 410);
      refused += answer.get().statusCode() == 410 ? 1 : 0;
    }
    threads.shutdown();
    assertThat(tablesHolding(TRACES)).as("what landed before the erasure was erased with it").isEmpty();
    assertThat(ok(send("GET", "/v1/privacy/erasures", null)).getJsonArray("items").getJsonObject(0)
        .getInteger("refusedCount")).isEqualTo(refused);
  }

  @Test
  void twoErasuresOfOneContactAtOnceEraseItOnce() throws Exception {
    created(send("PUT", "/v1/forms/launch", new JsonObject().put("name", "Launch").put("kind", "marketing_page")
        .put("requireSignature", false)));
    created(submit("/v1/forms/launch/submissions", "aug-1", EMAIL, FIRST, LAST, PHONE, true));
    String augusta = contactIdOf(EMAIL);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      answers.add(threads.submit(() -> {
        go.await();
        return send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta).put("reason", "ticket 7"));
      }));
    }
    go.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (Future<HttpResponse<String>> answer : answers) {
      statuses.add(answer.get().statusCode());
    }
    threads.shutdown();
    assertThat(statuses).containsExactlyInAnyOrder(201, 404);
    assertThat(TestDatabase.count("SELECT count(*) FROM erasures")).isEqualTo(1);
    assertThat(tablesHolding(TRACES)).isEmpty();
  }

  @Test
  void onlyAdminsEraseAndBadRequestsChangeNothing() throws Exception {
    created(send("PUT", "/v1/forms/launch", new JsonObject().put("name", "Launch").put("kind", "marketing_page")
        .put("requireSignature", false)));
    created(submit("/v1/forms/launch/submissions", "aug-1", EMAIL, FIRST, LAST, PHONE, true));
    String augusta = contactIdOf(EMAIL);
    HttpResponse<String> user = send("POST", "/v1/users", new JsonObject().put("name", "Mia Marketing")
        .put("roles", List.of("marketing")));
    String marketing = new JsonObject(user.body()).getString("token");

    assertThat(send(marketing, "POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta)
        .put("reason", "ticket 1")).statusCode()).isEqualTo(403);
    assertThat(send(marketing, "GET", "/v1/privacy/erasures", null).statusCode()).isEqualTo(403);
    assertInvalid(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta)), "reason");
    assertInvalid(send("POST", "/v1/privacy/erasures", new JsonObject().put("reason", "ticket 1")), "contactId");
    assertInvalid(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta).put("email", EMAIL)
        .put("reason", "ticket 1")), "email");
    assertInvalid(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", "not-an-id")
        .put("reason", "ticket 1")), "contactId");
    assertInvalid(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta)
        .put("reason", "ticket 1").put("hard", true)), "hard");
    // The reason stays on the tombstone: it may not name the person.
    assertInvalid(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta)
        .put("reason", "Augusta asked on the phone")), "reason");
    assertThat(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", java.util.UUID.randomUUID()
        .toString()).put("reason", "ticket 1")).statusCode()).isEqualTo(404);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM erasures")).isZero();

    created(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta).put("reason", "ticket 1")));
    // Erased already: the contact is gone.
    assertThat(send("POST", "/v1/privacy/erasures", new JsonObject().put("contactId", augusta)
        .put("reason", "ticket 1")).statusCode()).isEqualTo(404);
  }

  // ---- sources ----

  /**
   * A submission signed with its form's secret, as a server (a landing page's back end, an event platform) sends
   * it: a signed sender is told why it was refused. Anonymous posts are answered alike whatever happened
   * ({@link #submitUnsigned}).
   */
  private static HttpResponse<String> submit(String path, String id, String email, String first, String last,
      String phone, boolean consent) throws Exception {
    String json = submission(id, email, first, last, phone, consent).encode();
    String secret = SECRETS.get(path.split("/")[3]);
    long now = Instant.now().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
        .header("webhook-id", "delivery-" + id).header("webhook-timestamp", Long.toString(now))
        .header("webhook-signature", io.leadcycle.http.StandardWebhooks.sign(secret, "delivery-" + id, now,
            json.getBytes(StandardCharsets.UTF_8)))
        .POST(BodyPublishers.ofString(json)).build();
    return ContractHttp.send(HTTP, request, json);
  }

  /** The same submission posted anonymously (a browser's form post, no signature). */
  private static HttpResponse<String> submitUnsigned(String path, String id, String email, String first, String last,
      String phone, boolean consent) throws Exception {
    return send(null, "POST", path, submission(id, email, first, last, phone, consent));
  }

  private static JsonObject submission(String id, String email, String first, String last, String phone,
      boolean consent) {
    JsonObject fields = new JsonObject().put("email", email).put("firstName", first).put("lastName", last);
    if (phone != null) {
      fields.put("phone", phone);
    }
    JsonObject body = new JsonObject().put("submissionId", id).put("fields", fields);
    if (consent) {
      body.put("consent", new JsonObject().put("newsletter", true));
    }
    return body;
  }

  /** Each form's signing secret, as the 201 that created it showed it once. */
  private static final Map<String, String> SECRETS = new java.util.concurrent.ConcurrentHashMap<>();

  private static String contactIdOf(String email) throws Exception {
    JsonArray items = ok(send("GET", "/v1/contacts?email=" + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8),
        null)).getJsonArray("items");
    assertThat(items).as("contacts of " + email).hasSize(1);
    return items.getJsonObject(0).getString("id");
  }

  /** The CSV imported (a small file in the request), polled to its end. */
  private static JsonObject importCsv() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/v1/imports?entity=contacts&fileName=fair.csv"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/csv")
        .POST(BodyPublishers.ofString(CSV)).build();
    HttpResponse<String> accepted = ContractHttp.send(HTTP, request, CSV);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = new JsonObject(accepted.body()).getString("id");
    return Waiting.poll("import " + id + " to finish", () -> ok(send("GET", "/v1/imports/" + id, null)),
        job -> job.getString("status").startsWith("completed") || job.getString("status").equals("failed"));
  }

  /** The LinkedIn lead of the fake LinkedIn's example form, taken in by LinkedIn's CREATED notification. */
  private void takeLinkedInLead(String id) {
    String path = "/v1/linkedin/forms/" + LinkedInHarness.ENCODED_FORM_URN;
    APIGatewayV2HTTPResponse mapped = HandlerCalls.answer(linkedInWebhook,
        HttpEvents.management("PUT /v1/linkedin/forms/{formUrn}", path).pathParameter("formUrn", FakeLinkedIn.FORM_URN)
            .json(LinkedInHarness.MAPPING).build());
    assertThat(mapped.getStatusCode()).as(mapped.getBody()).isIn(200, 201);
    linkedIn.add(FakeLinkedIn.lead(id, Instant.now().minusSeconds(60), false,
        FakeLinkedIn.person(FIRST, LAST, EMAIL, "Analyst")));
    JsonObject taken = HandlerCalls.ok(LinkedInHarness.notify(linkedInWebhook, FakeLinkedIn.notification(id,
        "CREATED")));
    assertThat(taken.getString("outcome")).isEqualTo("created"); // a lead of its own, on the matched contact
  }

  // ---- the dump ----

  /** Every base table of every schema but PostgreSQL's own, as schema-qualified, quoted names. */
  private static List<String> allTables() {
    List<String> tables = new ArrayList<>();
    for (Row row : TestDatabase.database().pool().query("""
            SELECT table_schema, table_name FROM information_schema.tables
             WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
             ORDER BY 1, 2""").execute().await()) {
      tables.add(quote(row.getString("table_schema")) + "." + quote(row.getString("table_name")));
    }
    assertThat(tables).hasSizeGreaterThan(20);
    return tables;
  }

  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** The rows (as text) of each table that hold one of {@code traces}, case-insensitive; tables without any left out. */
  private static Map<String, List<String>> rowsHolding(List<String> traces) {
    String[] patterns = traces.stream().map(t -> "%" + t.toLowerCase(java.util.Locale.ROOT) + "%")
        .toArray(String[]::new);
    Map<String, List<String>> found = new TreeMap<>();
    for (String table : allTables()) {
      List<String> rows = new ArrayList<>();
      // The table name comes from the catalogue, quoted; the values are parameters.
      for (Row row : TestDatabase.database().pool().preparedQuery("SELECT t::text AS row FROM " + table
          + " t WHERE lower(t::text) LIKE ANY ($1) ORDER BY 1").execute(Tuple.of(patterns)).await()) {
        rows.add(row.getString("row"));
      }
      if (!rows.isEmpty()) {
        found.put(table.substring(table.indexOf('.') + 2, table.length() - 1), rows);
      }
    }
    return found;
  }

  private static Map<String, List<String>> tablesHolding(List<String> traces) {
    return rowsHolding(traces);
  }

  // ---- HTTP ----

  private static String base() {
    return "http://localhost:" + server.port();
  }

  private static HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
    return send(TOKEN, method, path, body);
  }

  private static HttpResponse<String> send(String token, String method, String path, JsonObject body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    String json = body == null ? null : body.encode();
    HttpResponse<String> response = ContractHttp.send(HTTP, request.method(method, json == null
        ? BodyPublishers.noBody() : BodyPublishers.ofString(json)).build(), json);
    if (method.equals("PUT") && path.startsWith("/v1/forms/") && response.statusCode() == 201) {
      SECRETS.put(path.substring("/v1/forms/".length()), new JsonObject(response.body()).getString("signingSecret"));
    }
    return response;
  }

  private static HttpResponse<String> sendLocal(String path, JsonObject body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body());
  }

  private static JsonObject ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static void assertInvalid(HttpResponse<String> response, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).toList())
        .contains(field);
  }
}
