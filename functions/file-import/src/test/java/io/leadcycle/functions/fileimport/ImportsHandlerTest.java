package io.leadcycle.functions.fileimport;

import io.leadcycle.testing.HandlerCalls;

import static io.leadcycle.testing.HandlerCalls.answer;
import static io.leadcycle.testing.HandlerCalls.assertProblem;
import static io.leadcycle.testing.HandlerCalls.body;
import static io.leadcycle.testing.HandlerCalls.count;
import static io.leadcycle.testing.HandlerCalls.invalidFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import routes, from API Gateway's events to the jobs and the files in the bucket. */
class ImportsHandlerTest {

  @TempDir
  Path bucket;
  private ImportFixtures.DirectoryFiles files;
  private ImportsHandler handler;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    files = new ImportFixtures.DirectoryFiles(bucket);
    handler = new ImportsHandler(TestDatabase::database, files);
  }

  private APIGatewayV2HTTPResponse post(String json) {
    return answer(handler, HttpEvents.management("POST /v1/imports", "/v1/imports").json(json).build());
  }

  private APIGatewayV2HTTPResponse postCsv(String csv, String... query) {
    return answer(handler, HttpEvents.management("POST /v1/imports", "/v1/imports").queries(query)
        .header("content-type", "text/csv; charset=utf-8").body(csv.getBytes(StandardCharsets.UTF_8), false).build());
  }

  private APIGatewayV2HTTPResponse get(String routeKey, String path, String id, String... query) {
    HttpEvents event = HttpEvents.management(routeKey, path).queries(query);
    if (id != null) {
      event.pathParameter("importId", id);
    }
    return answer(handler, event.build());
  }

  @Test
  void aJobWithoutItsFileAnswersWhereToUploadIt() {
    APIGatewayV2HTTPResponse created = post("""
        {"entity": "leads", "fileName": "fair.csv", "mapping": {"Mail": "email"}, "context": {"name": "Fair"}}""");

    assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
    JsonObject job = body(created);
    assertThat(job.getString("status")).isEqualTo("awaiting_upload");
    assertThat(job.getString("uploadUrl")).startsWith("https://" + ImportFixtures.BUCKET + ".s3.amazonaws.com/imports/"
        + job.getString("id") + "/fair.csv");
    assertThat(job.getJsonObject("options").getJsonObject("mapping")).isEqualTo(new JsonObject().put("Mail", "email"));
    assertThat(job.getJsonObject("counts")).isEqualTo(new JsonObject().put("created", 0).put("updated", 0)
        .put("unchanged", 0).put("failed", 0));
    JsonObject read = body(get("GET /v1/imports/{importId}", "/v1/imports/" + job.getString("id"), job.getString("id")));
    assertThat(read.getString("status")).isEqualTo("awaiting_upload");
    assertThat(read.containsKey("uploadUrl")).isFalse();
    assertThat(body(get("GET /v1/imports", "/v1/imports", null)).getJsonArray("items")).hasSize(1);
  }

  @Test
  void aSmallFileInTheRequestIsStoredForTheImportAndAnswered202() throws Exception {
    APIGatewayV2HTTPResponse accepted = postCsv("Email\nada@example.com\n", "entity", "contacts", "fileName", "a b.csv");

    assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
    JsonObject job = body(accepted);
    assertThat(job.getString("status")).isEqualTo("running");
    Path stored = bucket.resolve(ImportFiles.keyOf(UUID.fromString(job.getString("id")), "a b.csv"));
    assertThat(stored.getFileName().toString()).isEqualTo("a_b.csv");
    assertThat(Files.readString(stored)).isEqualTo("Email\nada@example.com\n");
  }

  @Test
  void aCsvBodyInWindows1252IsStoredByteForByteForTheImportToDecode() throws Exception {
    // Not UTF-8, so API Gateway (and the local server) send it base64-encoded: nothing decodes it on the way.
    byte[] excel = FileEncodingImportTest.GERMAN_EXPORT.getBytes(java.nio.charset.Charset.forName("windows-1252"));
    APIGatewayV2HTTPResponse accepted = answer(handler, HttpEvents.management("POST /v1/imports", "/v1/imports")
        .queries("entity", "contacts", "fileName", "export.csv").header("content-type", "text/csv")
        .body(excel, true).build());

    assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
    Path stored = bucket.resolve(ImportFiles.keyOf(UUID.fromString(body(accepted).getString("id")), "export.csv"));
    assertThat(Files.readAllBytes(stored)).isEqualTo(excel);
  }

  @Test
  void badRequestsAreRefusedAndCreateNoJob() {
    assertThat(invalidFields(post("{\"entity\": \"people\", \"fileName\": \"x.csv\", \"colour\": 1}")))
        .containsExactlyInAnyOrder("entity", "colour");
    assertThat(invalidFields(post("{\"entity\": \"contacts\", \"fileName\": \"x.csv\", \"mapping\": {\"A\": \"shoeSize\"}}")))
        .containsExactly("mapping.A");
    assertThat(invalidFields(post("{\"entity\": \"contacts\", \"fileName\": \"x.csv\", \"context\": {\"id\": \"c\"}}")))
        .containsExactly("context");
    assertThat(invalidFields(post("{\"entity\": \"contacts\", \"fileName\": \"x.csv\", \"contactStrategyId\": \"nope\"}")))
        .containsExactly("contactStrategyId");
    assertThat(invalidFields(postCsv("Email\n"))).containsExactly("entity");
    assertProblem(answer(handler, HttpEvents.management("POST /v1/imports", "/v1/imports")
        .header("content-type", "application/xml").body("<a/>".getBytes(StandardCharsets.UTF_8), false).build()), 415);
    byte[] big = new byte[5 * 1024 * 1024 + 1];
    JsonObject tooLarge = assertProblem(answer(handler, HttpEvents.management("POST /v1/imports", "/v1/imports")
        .query("entity", "contacts").header("content-type", "text/csv").body(big, true).build()), 413);
    assertThat(tooLarge.getString("detail")).contains("uploadUrl");
    assertThat(count("SELECT count(*) FROM imports")).isZero();
    assertProblem(get("GET /v1/imports/{importId}", "/v1/imports/" + UUID.randomUUID(), UUID.randomUUID().toString()), 404);
    assertProblem(get("GET /v1/imports/{importId}", "/v1/imports/x", "x"), 404); // as every malformed id
  }

  @Test
  void rowErrorsArePagedAsJsonOrCsv() {
    String id = body(postCsv("Email,Name\n=1+1@x,\"=HYPERLINK(1)\"\nb@example.com,B\nnope,C\n", "entity", "contacts"))
        .getString("id");
    new FileImportHandler(TestDatabase::database, files).handleRequest(
        ImportFixtures.objectCreated(ImportFiles.keyOf(UUID.fromString(id), "upload.csv"), 40), null);

    APIGatewayV2HTTPResponse first = get("GET /v1/imports/{importId}/errors", "/v1/imports/" + id + "/errors", id,
        "limit", "1");
    JsonObject page = body(first);
    assertThat(page.getJsonArray("items")).containsExactly(new JsonObject().put("row", 2).put("column", "Email")
        .put("value", "=1+1@x").put("reason", "not an email address"));
    assertThat(first.getHeaders().get("link")).contains("limit=1").contains("after=" + page.getString("next"));
    JsonObject second = body(get("GET /v1/imports/{importId}/errors", "/v1/imports/" + id + "/errors", id,
        "limit", "1", "after", page.getString("next")));
    assertThat(second.getJsonArray("items").getJsonObject(0).getLong("row")).isEqualTo(4);
    assertThat(second.getValue("next")).isNull();

    APIGatewayV2HTTPResponse csv = get("GET /v1/imports/{importId}/errors", "/v1/imports/" + id + "/errors", id,
        "format", "csv");
    assertThat(csv.getHeaders().get("content-type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(csv.getBody()).isEqualTo("row,column,value,reason\r\n2,Email,'=1+1@x,not an email address\r\n"
        + "4,Email,nope,not an email address\r\n");
    assertThat(invalidFields(get("GET /v1/imports/{importId}/errors", "/v1/imports/" + id + "/errors", id,
        "format", "xml"))).containsExactly("format");
  }

  @Test
  void theJobShowsItsWarningsCountedPerColumn() {
    String id = body(postCsv("Email,Website\na@example.com,n/a\nb@example.com,-\nc@example.com,c.example\n",
        "entity", "contacts")).getString("id");
    JsonObject before = body(get("GET /v1/imports/{importId}", "/v1/imports/" + id, id));
    assertThat(before.getJsonArray("warnings")).isEmpty();
    new FileImportHandler(TestDatabase::database, files).handleRequest(
        ImportFixtures.objectCreated(ImportFiles.keyOf(UUID.fromString(id), "upload.csv"), 40), null);

    JsonObject job = body(get("GET /v1/imports/{importId}", "/v1/imports/" + id, id));

    assertThat(job.getString("status")).isEqualTo("completed");
    assertThat(job.getJsonObject("counts").getLong("created")).isEqualTo(3);
    assertThat(job.getJsonArray("warnings")).containsExactly(new JsonObject().put("kind", "value_left_out")
        .put("column", "Website").put("reason", "not a domain").put("rows", 2).put("exampleRow", 2)
        .put("exampleValue", "n/a").put("message",
            "Website: not a domain in 2 rows (first row 2: \"n/a\"); the value was left out, the rows imported"));
    assertThat(body(get("GET /v1/imports", "/v1/imports", null)).getJsonArray("items").getJsonObject(0)
        .getJsonArray("warnings")).hasSize(1);
  }

  @Test
  void aRowErrorWithoutColumnOrValueIsARecordWithEmptyCellsInTheCsv() {
    // A row with more cells than the header is wrong as a whole: its error names no column and no value.
    String id = body(postCsv("Email,Name\na@example.com,A,extra\n", "entity", "contacts")).getString("id");
    new FileImportHandler(TestDatabase::database, files).handleRequest(
        ImportFixtures.objectCreated(ImportFiles.keyOf(UUID.fromString(id), "upload.csv"), 40), null);

    APIGatewayV2HTTPResponse csv = get("GET /v1/imports/{importId}/errors", "/v1/imports/" + id + "/errors", id,
        "format", "csv");
    assertThat(csv.getStatusCode()).isEqualTo(200);
    assertThat(csv.getBody()).isEqualTo("row,column,value,reason\r\n2,,,\"the row has 3 cells, the header 2 columns\"\r\n");
  }
}
