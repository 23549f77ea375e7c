package io.leadcycle.local.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Imports through the local server as a client does them: a job with an upload URL, the file PUT to it
 * (streamed to the data directory, larger than any request body the API takes), the S3-shaped event to
 * the same handler, the job polled to its end; and a small file in the request itself.
 */
class ImportUploadHttpTest {

  private static final String TOKEN = "import-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static LocalServer server;

  @BeforeAll
  static void start() throws java.io.IOException {
    // What a failed run left half uploaded is not this run's.
    java.nio.file.Path uploads = java.nio.file.Path.of("target/import-upload-test/uploads");
    if (java.nio.file.Files.exists(uploads)) {
      try (var files = java.nio.file.Files.list(uploads)) {
        for (java.nio.file.Path file : files.toList()) {
          java.nio.file.Files.delete(file);
        }
      }
    }
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url(),
        "LEADCYCLE_DATA_DIR", "target/import-upload-test", "LEADCYCLE_BUCKET_SCAN_MILLIS", "100",
        "LEADCYCLE_SCHEDULE_SECONDS_IMPORT_RESUME", "1"), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void aFileOfAnySizeGoesToTheUploadUrlAndIsImported() throws Exception {
    JsonObject job = new JsonObject(send("POST", "/v1/imports", "application/json",
        "{\"entity\": \"contacts\", \"fileName\": \"big export.csv\"}", TOKEN).body());
    assertThat(job.getString("status")).isEqualTo("awaiting_upload");
    URI upload = URI.create(job.getString("uploadUrl"));
    assertThat(upload.getPath()).startsWith("/_local/uploads/");

    // 12 MiB: more than the 10 MiB any API request may carry.
    StringBuilder csv = new StringBuilder("Email,First Name,Notes\n");
    String notes = "x".repeat(400);
    IntStream.range(0, 30_000).forEach(i -> csv.append("person").append(i % 20_000).append("@example.com,P").append(i)
        .append(',').append(notes).append('\n'));
    byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(file.length).isGreaterThan(10 * 1024 * 1024);
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(upload).PUT(BodyPublishers.ofByteArray(file)).build(),
        BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

    JsonObject done = poll(job.getString("id"));
    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(done.getJsonObject("progress").getLong("rowsRead")).isEqualTo(30_000);
    assertThat(done.getJsonObject("counts")).isEqualTo(new JsonObject().put("created", 20_000).put("updated", 10_000)
        .put("unchanged", 0).put("failed", 0));
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(20_000);

    // An upload URL takes one file: uploading again to a job that has its file is 409, and changes nothing.
    HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(upload).PUT(BodyPublishers.ofString(
        "Email\nsomeone.else@example.com\n")).build(), BodyHandlers.ofString());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    assertThat(again.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(again.body()).getString("detail")).contains("POST /v1/imports again");
    Thread.sleep(1_000); // ten bucket scans: a file let in would have been announced and read by now
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(20_000);
    assertThat(poll(job.getString("id")).getJsonArray("warnings")).isEmpty();

    // The URL is for that key only, signed, and only the server's: another key or a changed signature is 403.
    String tampered = upload.toString().replace("signature=", "signature=0");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(tampered)).PUT(BodyPublishers.ofString("Email\n")).build(),
        BodyHandlers.ofString()).statusCode()).isEqualTo(403);
  }

  @Test
  void aSmallFileInTheRequestIsImportedAndItsErrorsReadAsCsv() throws Exception {
    HttpResponse<String> accepted = send("POST", "/v1/imports?entity=leads&fileName=fair.csv", "text/csv",
        "Email,Account,Topic\nada@example.com,Initech,Pricing\nbad,,\n", TOKEN);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = new JsonObject(accepted.body()).getString("id");

    JsonObject done = poll(id);

    assertThat(done.getString("status")).isEqualTo("completed_with_errors");
    assertThat(done.getJsonObject("counts").getLong("created")).isEqualTo(1);
    HttpResponse<String> errors = send("GET", "/v1/imports/" + id + "/errors?format=csv", null, null, TOKEN);
    assertThat(errors.body()).isEqualTo("row,column,value,reason\r\n3,Email,bad,not an email address\r\n");
    assertThat(send("POST", "/v1/imports?entity=leads", "text/csv", "Email\n", null).statusCode()).isEqualTo(401);
  }

  @Test
  void excelsPlainCsvInWindows1252IsReadWithItsUmlautsThroughEitherRoute() throws Exception {
    // Excel's plain "CSV" in a German locale: Windows-1252, semicolons, an umlaut in a header too.
    byte[] excel = ("E-Mail;Vorname;Stadt;Straße\r\nkaethe@example.com;Käthe;Genève;Hauptstraße 1\r\n")
        .getBytes(java.nio.charset.Charset.forName("windows-1252"));
    String mapping = "{\"entity\": \"contacts\", \"fileName\": \"export.csv\", \"mapping\": {\"Straße\": \"attributes.street\"}}";
    String stored = "SELECT count(*) FROM contacts WHERE first_name = 'Käthe'"
        + " AND attributes = '{\"Stadt\": \"Genève\", \"street\": \"Hauptstraße 1\"}'::jsonb";

    JsonObject job = new JsonObject(send("POST", "/v1/imports", "application/json", mapping, TOKEN).body());
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(job.getString("uploadUrl")))
        .PUT(BodyPublishers.ofByteArray(excel)).build(), BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    JsonObject uploaded = poll(job.getString("id"));
    assertThat(uploaded.getString("status")).as(uploaded.encode()).isEqualTo("completed");
    assertThat(uploaded.getString("encoding")).isEqualTo("windows-1252");
    assertThat(TestDatabase.count(stored)).isEqualTo(1);

    TestDatabase.reset();
    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + server.port() + "/v1/imports?entity=contacts&fileName=export.csv"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/csv")
        .POST(BodyPublishers.ofByteArray(excel)).build(), BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    JsonObject posted = poll(new JsonObject(accepted.body()).getString("id"));
    assertThat(posted.getString("status")).as(posted.encode()).isEqualTo("completed");
    assertThat(posted.getString("encoding")).isEqualTo("windows-1252");
    // Without the mapping the street column is an attribute named after its header, which was read right.
    assertThat(posted.getJsonObject("columns").getJsonArray("attributeColumns"))
        .containsExactly("Stadt", "Straße");
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts WHERE first_name = 'Käthe'"
        + " AND attributes->>'Straße' = 'Hauptstraße 1' AND attributes->>'Stadt' = 'Genève'")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts WHERE strpos(first_name || attributes::text,"
        + " U&'\\FFFD') > 0")).isZero();
  }

  @Test
  void aPreviewWritesNothingAndTheCsvRouteTakesItsOptionsThroughTheLocalServer() throws Exception {
    // A Mautic export saved by Excel as plain "CSV": Windows-1252, so the body is not UTF-8 on the way.
    byte[] mautic = ("id;title;firstname;lastname;email;position;mobile;points;zipcode\r\n"
        + "7;Frau;Käthe;Müller;kaethe@example.com;Einkauf;+49 171 1;12;10115\r\n")
        .getBytes(java.nio.charset.Charset.forName("windows-1252"));
    HttpResponse<String> previewed = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
            + "/v1/imports/preview?entity=contacts")).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "text/csv").POST(BodyPublishers.ofByteArray(mautic)).build(), BodyHandlers.ofString());
    assertThat(previewed.statusCode()).as(previewed.body()).isEqualTo(200);
    JsonObject preview = new JsonObject(previewed.body());
    assertThat(preview.getString("detectedSource")).isEqualTo("mautic");
    assertThat(preview.getString("encoding")).isEqualTo("windows-1252");
    assertThat(preview.getJsonArray("rows").getJsonObject(0).getJsonObject("contact")).isEqualTo(new JsonObject()
        .put("email", "kaethe@example.com").put("firstName", "Käthe").put("lastName", "Müller")
        .put("phone", "+49 171 1").put("jobTitle", "Einkauf").put("attributes", new JsonObject().put("mautic_id", "7")
            .put("salutation", "Frau").put("mautic_points", "12").put("postal_code", "10115")));
    assertThat(TestDatabase.count("SELECT count(*) FROM imports")).isZero();

    // The one-step route with a mapping and the leads' context as query parameters (deepObject style).
    HttpResponse<String> accepted = send("POST", "/v1/imports?entity=leads&mapping%5BWork%20email%5D=email"
        + "&context%5Bid%5D=fair-2026&context%5Bname%5D=Fair%202026", "text/csv",
        "Work email,Name\ngrace@example.com,Grace Hopper\n", TOKEN);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    JsonObject done = poll(new JsonObject(accepted.body()).getString("id"));
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("completed");
    assertThat(TestDatabase.count("SELECT count(*) FROM leads l JOIN contacts c ON c.id = l.contact_id"
        + " WHERE l.context_id = 'fair-2026' AND l.context_name = 'Fair 2026' AND c.email_norm = 'grace@example.com'"
        + " AND c.first_name = 'Grace' AND c.last_name = 'Hopper'")).isEqualTo(1);
  }

  @Test
  void aCsvBodyOfRandomBytesEndsTheJobFailedNotRunning() throws Exception {
    byte[] noise = new byte[16 * 1024];
    new java.util.Random(22).nextBytes(noise);
    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + server.port() + "/v1/imports?entity=contacts&fileName=noise.csv"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/csv")
        .POST(BodyPublishers.ofByteArray(noise)).build(), BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

    JsonObject done = poll(new JsonObject(accepted.body()).getString("id"));

    assertThat(done.getString("status")).isEqualTo("failed");
    assertThat(done.getString("failure")).startsWith("the file is not text in UTF-8, UTF-16 or Windows-1252");
    assertThat(done.getString("encoding")).isNull();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void anUploadCutOffMidwayIsNeverAnnouncedAndExpectContinueIsAnswered() throws Exception {
    JsonObject job = new JsonObject(send("POST", "/v1/imports", "application/json",
        "{\"entity\": \"contacts\", \"fileName\": \"cut.csv\"}", TOKEN).body());
    URI upload = URI.create(job.getString("uploadUrl"));
    String target = upload.getRawPath() + "?" + upload.getRawQuery();
    java.nio.file.Path uploads = java.nio.file.Path.of("target/import-upload-test/uploads");
    java.nio.file.Path bucket = java.nio.file.Path.of("target/import-upload-test/buckets/file-import/imports",
        job.getString("id"));

    // The client goes away after a fifth of what it said it would send, once the server has begun taking it.
    try (java.net.Socket socket = new java.net.Socket("localhost", server.port())) {
      java.io.OutputStream out = socket.getOutputStream();
      out.write(("PUT " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n"
          + "Email\nada@example.com\n" + "x".repeat(180)).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Waiting.until("the upload staged in " + uploads, () -> filesIn(uploads) > 0);
    }
    Waiting.until("half an upload not kept: " + uploads + " empty again", () -> filesIn(uploads) == 0);
    long scans = server.finishedRuns("file-import");
    Waiting.until("two more scans of the import bucket", () -> server.finishedRuns("file-import") >= scans + 2);
    assertThat(bucket).doesNotExist();
    assertThat(new JsonObject(send("GET", "/v1/imports/" + job.getString("id"), null, null, TOKEN).body())
        .getString("status")).isEqualTo("awaiting_upload");

    // A client that asks before sending (curl does for large files) is told to go on, then answered 200.
    byte[] body = "Email\nada@example.com\n".getBytes(StandardCharsets.UTF_8);
    try (java.net.Socket socket = new java.net.Socket("localhost", server.port())) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII));
      out.write(("PUT " + target + " HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: "
          + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(in.readLine()).isEmpty();
      out.write(body);
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
    }
    assertThat(poll(job.getString("id")).getString("status")).isEqualTo("completed");

    // A key outside the bucket, or an expired URL, is refused.
    String traversal = "/_local/uploads/imports%2F" + job.getString("id") + "%2F..%2F..%2F..%2Fescape.csv?"
        + upload.getRawQuery();
    assertThat(send("PUT", traversal, "text/csv", "Email\n", null).statusCode()).isEqualTo(404);
    String expired = target.replaceFirst("expires=\\d+", "expires=1000");
    assertThat(send("PUT", expired, "text/csv", "Email\n", null).statusCode()).isEqualTo(403);
  }

  @Test
  void anImportWhoseRunDiedIsResumedOnceItsLeaseHasEnded() throws Exception {
    JsonObject job = new JsonObject(send("POST", "/v1/imports", "application/json",
        "{\"entity\": \"contacts\", \"fileName\": \"resumed.csv\"}", TOKEN).body());
    String id = job.getString("id");
    // A run took the job, committed its first two rows and died: its lease (2 minutes) outlasts the
    // bucket's retries of the file's event, which find the job held and give up.
    sql("UPDATE imports SET status = 'running', rows_committed = 2, created = 2,"
        + " claimed_until = now() + interval '1 hour' WHERE id = $1", id);
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(job.getString("uploadUrl")))
        .PUT(BodyPublishers.ofString("Email\nada@example.com\nbob@example.com\ncarol@example.com\ndan@example.com\n"))
        .build(), BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    long scans = server.finishedRuns("file-import");
    Waiting.until("the bucket's event and its retries", () -> server.finishedRuns("file-import") >= scans + 10);
    assertThat(get(id).getJsonObject("progress").getLong("rowsRead")).isEqualTo(2);

    // The lease ends: the sweeper takes the job over after the committed rows.
    sql("UPDATE imports SET claimed_until = now() - interval '1 second' WHERE id = $1", id);
    JsonObject done = poll(id);

    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(done.getJsonObject("progress").getLong("rowsRead")).isEqualTo(4);
    assertThat(done.getJsonObject("counts").getLong("created")).isEqualTo(4);
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(2); // carol and dan: each row once
  }

  private static void sql(String statement, String importId) {
    TestDatabase.database().pool().preparedQuery(statement)
        .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(importId))).await();
  }

  private static JsonObject get(String id) throws Exception {
    return new JsonObject(send("GET", "/v1/imports/" + id, null, null, TOKEN).body());
  }

  private static JsonObject poll(String id) {
    return Waiting.poll("import " + id + " to finish",
        () -> new JsonObject(send("GET", "/v1/imports/" + id, null, null, TOKEN).body()),
        job -> job.getString("status").startsWith("completed") || job.getString("status").equals("failed"));
  }

  private static long filesIn(java.nio.file.Path directory) throws java.io.IOException {
    if (!java.nio.file.Files.exists(directory)) {
      return 0;
    }
    try (var files = java.nio.file.Files.list(directory)) {
      return files.count();
    }
  }

  private static HttpResponse<String> send(String method, String path, String type, String body, String token)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (type != null) {
      request.header("Content-Type", type);
    }
    Supplier<HttpRequest.BodyPublisher> publisher = () -> body == null ? BodyPublishers.noBody()
        : BodyPublishers.ofString(body);
    return ContractHttp.send(HTTP, request.method(method, publisher.get()).build(), body);
  }
}
