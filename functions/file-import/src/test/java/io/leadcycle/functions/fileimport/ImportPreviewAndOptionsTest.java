package io.leadcycle.functions.fileimport;

import static io.leadcycle.testing.HandlerCalls.answer;
import static io.leadcycle.testing.HandlerCalls.assertProblem;
import static io.leadcycle.testing.HandlerCalls.body;
import static io.leadcycle.testing.HandlerCalls.count;
import static io.leadcycle.testing.HandlerCalls.invalidFields;
import static io.leadcycle.testing.HandlerCalls.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/imports/preview}: how a file would be imported — its source, encoding, columns and
 * first rows, the errors and warnings of a whole run — with nothing written; and the one-step
 * {@code text/csv} route taking the JSON flow's options as query parameters.
 */
class ImportPreviewAndOptionsTest {

  @TempDir
  Path bucket;
  private ImportFixtures.DirectoryFiles files;
  private ImportsHandler handler;

  /** A HubSpot export: a junk website, an invalid email, a second phone column, a multi-line message. */
  static final String HUBSPOT = """
      Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Lifecycle Stage,Associated Company,Website URL,Message
      101,Grace,Hopper,grace@navy.example,,+1 555 0100,lead,US Navy,https://www.navy.example,"Call me
      after 5"
      102,Käthe,Müller,kaethe@example.de,+49 30 1234,+49 171 1,customer,Gemüse AG,n/a,
      103,Bad,Mail,not-an-email,,,lead,,,
      """;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    files = new ImportFixtures.DirectoryFiles(bucket);
    handler = new ImportsHandler(TestDatabase::database, files);
  }

  private APIGatewayV2HTTPResponse previewCsv(byte[] csv, boolean base64, String... query) {
    return answer(handler, HttpEvents.management("POST /v1/imports/preview", "/v1/imports/preview").queries(query)
        .header("content-type", "text/csv").body(csv, base64).build());
  }

  private APIGatewayV2HTTPResponse previewJson(String json, String... query) {
    return answer(handler, HttpEvents.management("POST /v1/imports/preview", "/v1/imports/preview").queries(query)
        .json(json).build());
  }

  private APIGatewayV2HTTPResponse postCsv(String csv, String... query) {
    return answer(handler, HttpEvents.management("POST /v1/imports", "/v1/imports").queries(query)
        .header("content-type", "text/csv").body(csv.getBytes(StandardCharsets.UTF_8), false).build());
  }

  private JsonObject run(String id) {
    new FileImportHandler(TestDatabase::database, files).handleRequest(
        ImportFixtures.objectCreated(ImportFiles.keyOf(UUID.fromString(id), "upload.csv"), 40), null);
    return body(answer(handler, HttpEvents.management("GET /v1/imports/{importId}", "/v1/imports/" + id)
        .pathParameter("importId", id).build()));
  }

  private static JsonObject column(JsonObject preview, String header) {
    return preview.getJsonArray("columns").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("header").equals(header)).findFirst().orElseThrow();
  }

  @Test
  void thePreviewTellsHowTheFileWouldLandAndWritesNothing() {
    APIGatewayV2HTTPResponse answered = previewCsv(HUBSPOT.getBytes(StandardCharsets.UTF_8), false,
        "entity", "contacts");

    assertThat(answered.getStatusCode()).as(answered.getBody()).isEqualTo(200);
    JsonObject preview = body(answered);
    assertThat(preview.getString("detectedSource")).isEqualTo("hubspot");
    assertThat(preview.getString("detectedSourceName")).isEqualTo("HubSpot");
    assertThat(preview.getString("encoding")).isEqualTo("UTF-8");
    assertThat(preview.getString("delimiter")).isEqualTo(",");
    assertThat(column(preview, "Record ID")).isEqualTo(new JsonObject().put("header", "Record ID")
        .put("column", "Record ID").put("target", "attributes.hubspot_record_id").put("from", "source"));
    assertThat(column(preview, "Mobile Phone Number").getBoolean("fallback")).isTrue();
    assertThat(column(preview, "Message").getString("from")).isEqualTo("unknown");
    assertThat(preview.getJsonObject("counts")).isEqualTo(new JsonObject().put("rows", 3).put("importable", 2)
        .put("refused", 1));

    JsonArray rows = preview.getJsonArray("rows");
    JsonObject grace = rows.getJsonObject(0);
    assertThat(grace.getLong("row")).isEqualTo(2);
    assertThat(grace.getString("status")).isEqualTo("imported");
    assertThat(grace.getJsonObject("contact")).isEqualTo(new JsonObject().put("email", "grace@navy.example")
        .put("firstName", "Grace").put("lastName", "Hopper").put("phone", "+1 555 0100").put("attributes",
            new JsonObject().put("hubspot_record_id", "101").put("lifecycle_stage", "lead")
                .put("Message", "Call me\nafter 5")));
    assertThat(grace.getJsonObject("account")).isEqualTo(new JsonObject().put("matchedBy", "domain")
        .put("name", "US Navy").put("domain", "navy.example"));
    JsonObject kaethe = rows.getJsonObject(1);
    assertThat(kaethe.getLong("row")).isEqualTo(3); // a quoted line break starts no row
    assertThat(kaethe.getJsonObject("contact").getString("phone")).isEqualTo("+49 30 1234");
    assertThat(kaethe.getJsonObject("contact").getJsonObject("attributes").getString("Mobile_Phone_Number"))
        .isEqualTo("+49 171 1");
    assertThat(kaethe.getJsonObject("account").getString("matchedBy")).isEqualTo("company_name");
    assertThat(kaethe.getJsonArray("warnings").getJsonObject(0).getString("column")).isEqualTo("Website URL");
    assertThat(rows.getJsonObject(2).getString("status")).isEqualTo("refused");
    assertThat(preview.getJsonArray("errors")).containsExactly(new JsonObject().put("row", 4).put("column", "Email")
        .put("value", "not-an-email").put("reason", "not an email address"));
    assertThat(preview.getJsonArray("warnings")).hasSize(1);
    assertThat(preview.getJsonArray("warnings").getJsonObject(0).getString("message"))
        .isEqualTo("Website URL: not a domain in 1 row (first row 3: \"n/a\"); the value was left out, the row imported");
    assertThat(preview.getValue("failure")).isNull();

    assertThat(count("SELECT count(*) FROM imports")).isZero();
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    assertThat(count("SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void aJsonPreviewCarriesTheFileAsTextWithTheImportsOptions() {
    JsonObject preview = body(previewJson(new JsonObject().put("entity", "contacts").put("source", "none")
        .put("mapping", new JsonObject().put("Handy", "phone")).put("csv", "E-Mail;Telefon;Handy\na@b.example;;+49 1\n"
            + "c@d.example;+49 2;+49 3\n").encode(), "rows", "1"));

    assertThat(preview.getValue("detectedSource")).isNull();
    assertThat(preview.getString("delimiter")).isEqualTo(";");
    assertThat(column(preview, "Handy").getString("from")).isEqualTo("mapping");
    assertThat(column(preview, "Telefon").getBoolean("fallback")).isTrue();
    assertThat(preview.getJsonArray("rows")).hasSize(1); // ?rows=1
    assertThat(preview.getJsonObject("counts").getLong("rows")).isEqualTo(2);
    assertThat(preview.getJsonArray("rows").getJsonObject(0).getJsonObject("contact").getString("phone"))
        .isEqualTo("+49 1");
  }

  @Test
  void aWindows1252FileIsPreviewedInItsEncoding() {
    byte[] excel = FileEncodingImportTest.GERMAN_EXPORT.getBytes(Charset.forName("windows-1252"));

    JsonObject preview = body(previewCsv(excel, true, "entity", "contacts"));

    assertThat(preview.getString("encoding")).isEqualTo("windows-1252");
    assertThat(preview.getJsonArray("rows").getJsonObject(0).getJsonObject("contact").getString("firstName"))
        .isEqualTo("Käthe");
    assertThat(column(preview, "Straße").getString("target")).isEqualTo("attributes.Straße");
  }

  @Test
  void aFileThatCannotBeReadIs422AndOneARunWouldStopInHasAFailure() {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    JsonObject unreadable = assertProblem(previewCsv(noise, true, "entity", "contacts"), 422);
    assertThat(unreadable.getString("detail")).startsWith("the file is not text in UTF-8, UTF-16 or Windows-1252");
    assertThat(assertProblem(previewCsv(new byte[0], false, "entity", "contacts"), 422).getString("detail"))
        .contains("the file is empty");

    JsonObject noEmail = body(previewCsv("Name,Company\nAda,AE\n".getBytes(StandardCharsets.UTF_8), false,
        "entity", "contacts"));
    assertThat(noEmail.getString("failure")).startsWith("no column fills email");
    assertThat(noEmail.getJsonArray("columns")).hasSize(2); // still shown, to fix the mapping by

    assertThat(invalidFields(previewCsv("Email\n".getBytes(StandardCharsets.UTF_8), false, "entity", "contacts",
        "rows", "500"))).containsExactly("rows");
    assertThat(invalidFields(previewJson("{\"entity\": \"contacts\"}"))).containsExactly("csv");
    assertThat(invalidFields(previewCsv("Email\n".getBytes(StandardCharsets.UTF_8), false, "entity", "contacts",
        "source", "pipedrive"))).containsExactly("source");
    assertThat(count("SELECT count(*) FROM imports")).isZero();
  }

  @Test
  void theCsvRouteTakesTheJsonFlowsOptionsAsQueryParameters() {
    String id = body(postCsv("Mail;Stand;Handy;Thema\nada@example.com;B12;+49 1;Fair talk\n",
        "entity", "leads", "mapping[Mail]", "email", "mapping[Stand]", "ignore", "context[id]", "fair-2026",
        "context[name]", "Fair 2026", "unknownColumns", "ignore", "source", "none")).getString("id");

    JsonObject job = run(id);

    assertThat(job.getString("status")).as(job.encode()).isEqualTo("completed");
    assertThat(job.getJsonObject("options").getJsonObject("mapping"))
        .isEqualTo(new JsonObject().put("Mail", "email").put("Stand", "ignore"));
    assertThat(job.getJsonObject("options").getString("source")).isEqualTo("none");
    Row lead = row("SELECT l.topic, l.context_id, l.context_name, c.phone, c.attributes FROM leads l"
        + " JOIN contacts c ON c.id = l.contact_id");
    assertThat(lead.getString("context_id")).isEqualTo("fair-2026");
    assertThat(lead.getString("context_name")).isEqualTo("Fair 2026");
    assertThat(lead.getString("topic")).isEqualTo("Fair talk");
    assertThat(lead.getString("phone")).isEqualTo("+49 1");
    assertThat(lead.getJsonObject("attributes")).isEqualTo(new JsonObject());

    // The mapping as one JSON object does the same.
    String second = body(postCsv("Work email,Name\ngrace@example.com,Grace Hopper\n", "entity", "contacts",
        "mapping", "{\"Work email\": \"email\"}")).getString("id");
    assertThat(run(second).getString("status")).isEqualTo("completed");
    assertThat(row("SELECT first_name, last_name FROM contacts WHERE email_norm = 'grace@example.com'").toJson())
        .isEqualTo(new JsonObject().put("first_name", "Grace").put("last_name", "Hopper"));

    assertThat(invalidFields(postCsv("Email\n", "entity", "contacts", "colour", "red", "mapping", "[1]")))
        .containsExactlyInAnyOrder("colour", "mapping");
    assertThat(invalidFields(postCsv("Email\n", "entity", "contacts", "mapping[Email]", "shoeSize")))
        .containsExactly("mapping.Email");
    assertThat(count("SELECT count(*) FROM imports")).isEqualTo(2);
  }

  @Test
  void theFirstPartOfALargeFileIsPreviewedUpToItsLastWholeLine() {
    String text = "Email,First Name\nada@example.com,Ada\nkaethe@example.com,Käthe\n";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    // Cut inside the "ä" of the last line: read whole, the file would not be UTF-8.
    byte[] cut = java.util.Arrays.copyOf(utf8, text.substring(0, text.indexOf("ä")).getBytes(StandardCharsets.UTF_8).length + 1);
    assertThat(previewCsv(cut, true, "entity", "contacts").getBody()).doesNotContain("\"encoding\":\"UTF-8\"");

    JsonObject preview = body(previewCsv(cut, true, "entity", "contacts", "partial", "true"));

    assertThat(preview.getString("encoding")).isEqualTo("UTF-8");
    assertThat(preview.getJsonObject("counts").getLong("rows")).isEqualTo(1);
    assertThat(preview.getJsonArray("rows").getJsonObject(0).getJsonObject("contact").getString("firstName"))
        .isEqualTo("Ada");

    byte[] utf16 = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE);
    byte[] cut16 = java.util.Arrays.copyOf(utf16, utf16.length - 5);
    assertThat(ImportsHandler.wholeLines(cut16)).isEqualTo(("\uFEFFEmail,First Name\nada@example.com,Ada\n")
        .getBytes(StandardCharsets.UTF_16LE));
    JsonObject preview16 = body(previewCsv(cut16, true, "entity", "contacts", "partial", "true"));
    assertThat(preview16.getString("encoding")).isEqualTo("UTF-16LE");
    assertThat(preview16.getJsonObject("counts").getLong("rows")).isEqualTo(1);
    assertThat(invalidFields(previewCsv(utf8, false, "entity", "contacts", "partial", "yes")))
        .containsExactly("partial");
  }

  @Test
  void distinctiveColumnsOfAnUnrecognisedExportStillLand() {
    // One mark of Salesforce's and one of Dynamics': no source, but the general headers know both columns.
    JsonObject preview = body(previewCsv(("First Name,Last Name,Company / Account,Email,Address 1: Country/Region\n"
        + "Ada,Lovelace,Analytical Engines,ada@ae.example,United Kingdom\n").getBytes(StandardCharsets.UTF_8), false,
        "entity", "contacts"));

    assertThat(preview.getValue("detectedSource")).isNull();
    assertThat(preview.getJsonArray("rows").getJsonObject(0).getJsonObject("contact")).isEqualTo(new JsonObject()
        .put("email", "ada@ae.example").put("firstName", "Ada").put("lastName", "Lovelace")
        .put("companyName", "Analytical Engines").put("country", "United Kingdom").put("attributes", new JsonObject()));
  }
}
