package io.leadcycle.functions.fileimport;

import io.leadcycle.domain.ImportRow;
import io.leadcycle.store.ImportStore;
import io.leadcycle.testing.HandlerCalls;

import static io.leadcycle.testing.HandlerCalls.count;
import static io.leadcycle.testing.HandlerCalls.row;
import static io.leadcycle.testing.HandlerCalls.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.domain.ImportWarning;
import io.leadcycle.imports.ImportService;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.store.ImportStore.StoredError;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's way from the bucket into contacts, accounts and leads: S3's event (the recorded fixture) for a
 * job's file, read by {@link FileImportHandler} into the embedded PostgreSQL, with the job's counts and
 * row errors.
 */
class FileImportHandlerTest {

  @TempDir
  Path bucket;
  private ImportFixtures.DirectoryFiles files;
  private FileImportHandler handler;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    files = new ImportFixtures.DirectoryFiles(bucket);
    handler = new FileImportHandler(TestDatabase::database, files);
  }

  private ImportService service() {
    return new ImportService(TestDatabase.database(), files);
  }

  /** Creates a job, puts {@code csv} where its upload goes, and delivers S3's event for it. */
  ImportJob importFile(String requestJson, String csv) {
    return importBytes(requestJson, csv.getBytes(StandardCharsets.UTF_8));
  }

  ImportJob importBytes(String requestJson, byte[] content) {
    return ImportFixtures.importThroughBucket(service(), files, handler, requestJson, content);
  }

  static String contacts(String fileName) {
    return "{\"entity\": \"contacts\", \"fileName\": \"" + fileName + "\"}";
  }

  private List<RowError> errors(ImportJob job) {
    return service().errors(job.id(), 0, 1000).stream().map(StoredError::error).toList();
  }

  private static Row contact(String email) {
    return row("SELECT * FROM contacts WHERE email_norm = $1", email);
  }

  @Test
  void contactsComeInWithTheirColumnsByDefaultSpellingsAndUnknownColumnsAsAttributes() {
    ImportJob job = importFile(contacts("crm-export.csv"), """
        E-Mail,Vorname,Last Name,Company,Job Title,Phone,Country,Favourite colour
        ada@example.com,Ada,Lovelace,"Analytical Engines, Ltd.",CTO,+44 20 7946 0000,GB,"green ""ish""\"
        grace@example.org,Grace,Hopper,Navy,"Rear
        Admiral",,US,
        """);

    assertThat(job.status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(job.rowsRead()).isEqualTo(2);
    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(2, 0, 0, 0));
    Row ada = contact("ada@example.com");
    assertThat(ada.getString("first_name")).isEqualTo("Ada");
    assertThat(ada.getString("company_name")).isEqualTo("Analytical Engines, Ltd.");
    assertThat(ada.getString("phone")).isEqualTo("+44 20 7946 0000");
    assertThat(ada.getJsonObject("attributes")).isEqualTo(new JsonObject().put("Favourite_colour", "green \"ish\""));
    assertThat(contact("grace@example.org").getString("job_title")).isEqualTo("Rear\nAdmiral");
    assertThat(contact("grace@example.org").getJsonObject("attributes")).isEqualTo(new JsonObject());
    // Imported contacts are scored: each is marked for rescoring.
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(2);
    // The job says how it read each column.
    assertThat(job.columns().get("attributeColumns")).isEqualTo(List.of("Favourite colour"));
    assertThat(new JsonObject(job.columns()).getJsonArray("columns").getJsonObject(1))
        .isEqualTo(new JsonObject().put("column", "Vorname").put("target", "firstName").put("from", "default"));
  }

  @Test
  void aByteOrderMarkAndSemicolonsAreReadAsSpreadsheetsWriteThem() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "Email;First Name;Company\r\nada@example.com;Ada;\"Engines; Inc.\"\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] file = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, file, 0, bom.length);
    System.arraycopy(body, 0, file, bom.length, body.length);

    ImportJob job = importBytes(contacts("excel.csv"), file);

    assertThat(job.counts().created()).isEqualTo(1);
    assertThat(contact("ada@example.com").getString("company_name")).isEqualTo("Engines; Inc.");
    assertThat(job.columns().get("attributeColumns")).isEqualTo(List.of());
  }

  /** Imports {@code csv} and answers the metrics of the file's invocation. */
  private Map<String, Long> importMetrics(String requestJson, String csv) {
    ImportJob job = service().create(ImportRequest.parse(new JsonObject(requestJson).getMap())).job();
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    byte[] content = csv.getBytes(StandardCharsets.UTF_8);
    files.put(key, content);
    return InvocationLog.capture(() -> handler.handleRequest(ImportFixtures.objectCreated(key, content.length), null))
        .metrics();
  }

  @Test
  void aRunCountsItsRowsAndTheContactsAndLeadsTheyCreatedOrMatched() {
    ScoringFixtures.contact("grace@example.org", null, null);

    Map<String, Long> contactImport = importMetrics(contacts("contacts.csv"), """
        Email,First Name
        ada@example.com,Ada
        grace@example.org,Grace
        not-an-email,Bob
        """);
    Map<String, Long> leadImport = importMetrics(
        "{\"entity\": \"leads\", \"fileName\": \"fair.csv\", \"context\": {\"name\": \"Fair\"}}", """
        Email,First Name
        ada@example.com,Ada
        lin@example.net,Lin
        ,Nobody
        """);

    assertThat(contactImport).containsExactlyInAnyOrderEntriesOf(Map.of("ImportRowsImported", 2L,
        "ImportRowsRefused", 1L, "ContactsCreated", 1L, "ContactsMatched", 1L));
    assertThat(leadImport).containsExactlyInAnyOrderEntriesOf(Map.of("ImportRowsImported", 2L,
        "ImportRowsRefused", 1L, "LeadsCreated", 2L, "ContactsCreated", 1L, "ContactsMatched", 1L));
  }

  @Test
  void badRowsAreReportedByRowAndColumnAndNeverStopTheOthers() {
    ImportJob job = importFile(contacts("messy.csv"), """
        Email,First Name,Notes
        ada@example.com,Ada,"first line
        second line"
        not-an-email,Bob,
        ,Carol,no email at all
        dan@example.com,Dan,one,too many
        
        erin@example.com,Erin,
        """);

    assertThat(job.status()).isEqualTo(ImportJob.COMPLETED_WITH_ERRORS);
    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(2, 0, 0, 3));
    assertThat(rows("SELECT email_norm FROM contacts ORDER BY email_norm").stream().map(r -> r.getString(0)).toList())
        .containsExactly("ada@example.com", "erin@example.com");
    // Rows as a spreadsheet numbers them: the header is 1, a quoted line break stays in its row, an empty
    // line is a row.
    assertThat(errors(job)).containsExactly(
        new RowError(3, "Email", "not-an-email", "not an email address"),
        new RowError(4, "Email", null, "needs email (contact strategy default-contact)"),
        new RowError(5, null, null, "the row has 4 cells, the header 3 columns"));
  }

  @Test
  void rowsOfSeparatorsOnlyAreEmptyRowsNotFailures() {
    // Spreadsheets write the rows they consider used after the data as separators only.
    ImportJob job = importFile(contacts("trailing.csv"), "Email,First Name,Notes\nada@example.com,Ada,\n,,\n , ,\n\n");

    assertThat(job.status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(1, 0, 0, 0));
    assertThat(errors(job)).isEmpty();
  }

  @Test
  void aPersonRepeatedInTheFileOrAlreadyStoredIsMatchedAndAnEmptyCellBlanksNothing() {
    UUID existing = ScoringFixtures.contact("grace@example.org", "Admiral", null);
    ImportJob job = importFile(contacts("repeats.csv"), """
        Email,First Name,Job Title,Country
        ada@example.com,Ada,,
        ADA@example.com ,,CTO,
        ada@example.com,Ada,CTO,
        grace@example.org,Grace,,US
        grace@example.org,,,
        """);

    // Row 3 brings the job title (its email's other spelling is not a change); row 4 changes nothing.
    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(1, 2, 2, 0));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(2);
    Row ada = contact("ada@example.com");
    assertThat(ada.getString("email")).isEqualTo("ada@example.com");
    assertThat(ada.getString("first_name")).isEqualTo("Ada");
    assertThat(ada.getString("job_title")).isEqualTo("CTO");
    Row grace = contact("grace@example.org");
    assertThat(grace.getUUID("id")).isEqualTo(existing);
    assertThat(grace.getString("job_title")).isEqualTo("Admiral"); // an empty cell never blanks a stored value
    assertThat(grace.getString("first_name")).isEqualTo("Grace");
    assertThat(grace.getString("country")).isEqualTo("US");
  }

  @Test
  void aLaterRowWhoseEmailDiffersOnlyInCaseKeepsTheStoredSpelling() {
    importFile(contacts("crm.csv"), "Email,First Name\nAda.Lovelace@Example.com,Ada\n");

    ImportJob job = importFile(contacts("newsletter.csv"), """
        Email,First Name,Job Title
        ada.lovelace@example.com,Ada,
        ADA.LOVELACE@EXAMPLE.COM,,CTO
        """);

    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(0, 1, 1, 0));
    Row ada = contact("ada.lovelace@example.com");
    assertThat(ada.getString("email")).isEqualTo("Ada.Lovelace@Example.com");
    assertThat(ada.getString("job_title")).isEqualTo("CTO");
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void junkInAnOptionalCellIsLeftOutWithAWarningAndTheRowIsImported() {
    ImportJob job = importFile(contacts("hubspot.csv"), """
        Email,First Name,Phone,WEBSITE,Country
        ada@example.com,Ada,-,n/a,GB
        grace@example.org,Grace,+1 555 0100,keine,
        alan@example.net,Alan,+44 1,https://www.Bletchley.example/park,%s
        not-an-email,Bob,,,
        """.formatted("X".repeat(201)));

    // The rows are imported without the values; an email the contacts are matched on still refuses its row.
    assertThat(job.status()).isEqualTo(ImportJob.COMPLETED_WITH_ERRORS);
    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(3, 0, 0, 1));
    assertThat(errors(job)).containsExactly(new RowError(5, "Email", "not-an-email", "not an email address"));
    Row ada = contact("ada@example.com");
    assertThat(ada.getString("phone")).isNull();
    assertThat(ada.getString("country")).isEqualTo("GB");
    assertThat(ada.getUUID("account_id")).isNull();
    assertThat(contact("grace@example.org").getString("phone")).isEqualTo("+1 555 0100");
    assertThat(contact("alan@example.net").getString("country")).isNull();
    assertThat(row("SELECT a.domain FROM accounts a JOIN contacts c ON c.account_id = a.id WHERE c.email_norm = $1",
        "alan@example.net").getString(0)).isEqualTo("bletchley.example");
    // One warning per column and reason, counted, with the first row it happened in.
    assertThat(job.warnings()).containsExactly(
        ImportWarning.valueLeftOut(2, "Phone", "-", "a phone number needs digits"),
        new ImportWarning(ImportWarning.VALUE_LEFT_OUT, "WEBSITE", "not a domain", 2, 2L, "n/a", List.of()),
        ImportWarning.valueLeftOut(4, "Country", "X".repeat(201), "longer than 200 characters"));
    assertThat(job.warnings().get(1).message())
        .isEqualTo("WEBSITE: not a domain in 2 rows (first row 2: \"n/a\"); the value was left out, the rows imported");
  }

  @Test
  void aWideExportImportsItsFirst50AttributesWithAValueAndNamesTheColumnsLeftOutOnce() {
    // As HubSpot's all-properties export: far more columns than attributes, most of them empty in a row.
    List<String> properties = java.util.stream.IntStream.rangeClosed(1, 60).mapToObj(i -> "Property " + i).toList();
    String header = "Email," + String.join(",", properties);
    String full = java.util.stream.IntStream.rangeClosed(1, 60).mapToObj(i -> "v" + i)
        .collect(java.util.stream.Collectors.joining(","));
    String sparse = java.util.stream.IntStream.rangeClosed(1, 60).mapToObj(i -> i % 2 == 0 ? "w" + i : "")
        .collect(java.util.stream.Collectors.joining(","));

    ImportJob job = importFile(contacts("all-properties.csv"), header + "\nada@example.com," + full
        + "\ngrace@example.org," + sparse + "\nalan@example.net," + full + "\n");

    assertThat(job.status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(3, 0, 0, 0));
    JsonObject ada = contact("ada@example.com").getJsonObject("attributes");
    assertThat(ada.size()).isEqualTo(50);
    assertThat(ada.getString("Property_50")).isEqualTo("v50");
    assertThat(ada.containsKey("Property_51")).isFalse();
    // Empty cells are no attributes: 30 with a value, all kept.
    JsonObject grace = contact("grace@example.org").getJsonObject("attributes");
    assertThat(grace.size()).isEqualTo(30);
    assertThat(grace.getString("Property_60")).isEqualTo("w60");
    assertThat(job.warnings()).hasSize(1);
    ImportWarning leftOut = job.warnings().get(0);
    assertThat(leftOut.kind()).isEqualTo(ImportWarning.ATTRIBUTES_OVER_LIMIT);
    assertThat(leftOut.rows()).isEqualTo(2);
    assertThat(leftOut.exampleRow()).isEqualTo(2);
    assertThat(leftOut.columns()).isEqualTo(properties.subList(50, 60));
  }

  @Test
  void attributeNamesKeepTheirLettersAndDigitsOfAnyScript() {
    ImportJob job = importFile(contacts("adressen.csv"), """
        Email,Straße,Größe (cm),Ort/PLZ,Город
        ada@example.com,Hauptstraße 1,170,Köln 50667,Москва
        """);

    assertThat(job.columns().get("attributeColumns")).isEqualTo(List.of("Straße", "Größe (cm)", "Ort/PLZ", "Город"));
    assertThat(contact("ada@example.com").getJsonObject("attributes")).isEqualTo(new JsonObject()
        .put("Straße", "Hauptstraße 1").put("Größe_cm_", "170").put("Ort_PLZ", "Köln 50667").put("Город", "Москва"));
    assertThat(new JsonObject(job.columns()).getJsonArray("ignoredColumns")).isEmpty();
  }

  @Test
  void importingTheSameFileAgainCreatesNothing() {
    String file = """
        Email,First Name,Account,Topic
        ada@example.com,Ada,Initech,Pricing
        grace@example.org,Grace,,
        ,,Globex,Renewal
        """;
    String leads = "{\"entity\": \"leads\", \"fileName\": \"trade-fair.csv\", \"context\": {\"name\": \"Trade fair 2026\"}}";
    ImportJob first = importFile(leads, file);
    assertThat(first.counts()).isEqualTo(new ImportJob.Counts(3, 0, 0, 0));
    long outbox = count("SELECT count(*) FROM outbox");

    ImportJob second = importFile(leads, file);

    assertThat(second.counts()).isEqualTo(new ImportJob.Counts(0, 0, 3, 0));
    assertThat(second.contactCounts()).isEqualTo(new ImportJob.Counts(0, 0, 2, 0));
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(outbox);
    ImportJob contactsAgain = importFile(contacts("trade-fair.csv"), file);
    assertThat(contactsAgain.counts()).isEqualTo(new ImportJob.Counts(0, 0, 2, 1));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(2);
  }

  @Test
  void leadsAreLinkedToTheirContactOrAccountInTheImportsContextAndAnnounced() {
    ImportJob job = importFile("{\"entity\": \"leads\", \"fileName\": \"webinar.csv\", \"context\": "
        + "{\"id\": \"webinar-2026\", \"name\": \"Webinar 2026\"}}", """
        Email,Account,Website,Topic
        ada@example.com,Initech,https://www.initech.example/about,Pricing
        ,Initech,initech.example,
        """);

    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(2, 0, 0, 0));
    assertThat(job.contactCounts()).isEqualTo(new ImportJob.Counts(1, 0, 0, 0));
    UUID account = row("SELECT id FROM accounts").getUUID("id");
    assertThat(row("SELECT domain_norm FROM accounts").getString(0)).isEqualTo("initech.example");
    Row contactLead = row("SELECT * FROM leads WHERE contact_id IS NOT NULL");
    assertThat(contactLead.getString("topic")).isEqualTo("Pricing");
    assertThat(contactLead.getUUID("account_id")).isEqualTo(account);
    assertThat(contactLead.getString("context_kind")).isEqualTo("import");
    assertThat(contactLead.getString("context_id")).isEqualTo("webinar-2026");
    assertThat(contactLead.getString("context_name")).isEqualTo("Webinar 2026");
    Row accountLead = row("SELECT * FROM leads WHERE contact_id IS NULL");
    assertThat(accountLead.getUUID("account_id")).isEqualTo(account);
    assertThat(accountLead.getString("topic")).isEqualTo("Webinar 2026");
    assertThat(rows("SELECT type, payload->>'actor' AS actor FROM outbox").stream()
        .map(r -> r.getString("type") + " " + r.getString("actor")).toList())
        .containsExactly("lead.created import", "lead.created import");
    assertThat(row("SELECT reason FROM lead_timeline WHERE lead_id = $1", contactLead.getUUID("id")).getString(0))
        .isEqualTo("imported from webinar.csv, row 2");
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);
  }

  @Test
  void accountsAreLinkedByDomainOrNameAsIntakeLinksThem() {
    UUID globex = ScoringFixtures.account("Globex", null, null);
    UUID umbrella = ScoringFixtures.account("Umbrella", null, null);
    UUID kept = ScoringFixtures.contact("kim@umbrella.example", null, umbrella);
    ImportJob job = importFile(contacts("accounts.csv"), """
        Email,Account,Account Domain
        ada@initech.example,Initech,initech.example
        bob@initech.example,,INITECH.example.
        carol@globex.example,  globex ,
        kim@umbrella.example,Initech,
        """);

    assertThat(job.counts().failed()).isZero();
    assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(3);
    UUID initech = row("SELECT id FROM accounts WHERE domain_norm = 'initech.example'").getUUID("id");
    assertThat(contact("ada@initech.example").getUUID("account_id")).isEqualTo(initech);
    assertThat(contact("bob@initech.example").getUUID("account_id")).isEqualTo(initech);
    assertThat(contact("carol@globex.example").getUUID("account_id")).isEqualTo(globex);
    assertThat(contact("kim@umbrella.example").getUUID("account_id")).isEqualTo(umbrella); // keeps its account
    assertThat(contact("kim@umbrella.example").getUUID("id")).isEqualTo(kept);

    // Without account columns, account matching links by the contact's own fields, as a form's does.
    ImportJob byDomain = importFile("{\"entity\": \"contacts\", \"fileName\": \"more.csv\", \"accountMatching\": "
        + "\"domain\"}", "Email\ndan@initech.example\neve@gmail.com\n");
    assertThat(byDomain.counts().created()).isEqualTo(2);
    assertThat(contact("dan@initech.example").getUUID("account_id")).isEqualTo(initech);
    assertThat(contact("eve@gmail.com").getValue("account_id")).isNull(); // free mail links nothing
  }

  @Test
  void anAccountNamedByDomainInOneRowAndByNameInALaterOneIsOneAccount() {
    ImportJob job = importFile(contacts("hooli.csv"), """
        Email,Account,Account Domain
        ada@one.example,Hooli,hooli.example
        bob@two.example,  HOOLI ,
        """);

    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(2, 0, 0, 0));
    // One account, as when the two rows are read in different batches (the second finds it by name).
    assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(1);
    UUID hooli = row("SELECT id FROM accounts WHERE domain_norm = 'hooli.example'").getUUID("id");
    assertThat(contact("ada@one.example").getUUID("account_id")).isEqualTo(hooli);
    assertThat(contact("bob@two.example").getUUID("account_id")).isEqualTo(hooli);
  }

  @Test
  void aPersonLinksTheAccountOfTheirFirstRowThatNamesOneAndNoOtherIsCreated() {
    ImportJob job = importFile(contacts("moves.csv"), """
        Email,Account
        ada@one.example,
        ada@one.example,Initech
        ada@one.example,Globex
        """);

    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(1, 1, 1, 0));
    // Row by row, the third row finds Ada with Initech: Globex is named, but nobody links to it.
    assertThat(rows("SELECT name FROM accounts").stream().map(r -> r.getString(0)).toList()).containsExactly("Initech");
    assertThat(contact("ada@one.example").getUUID("account_id"))
        .isEqualTo(row("SELECT id FROM accounts WHERE name = 'Initech'").getUUID("id"));
  }

  @Test
  void aMappingOverridesTheDefaultsAndUnknownColumnsMayBeIgnored() {
    ImportJob job = importFile("""
        {"entity": "contacts", "fileName": "mapped.csv", "unknownColumns": "ignore",
         "mapping": {"Mail": "ignore", "Work mail": "email", "Title": "attributes.salutation", "Missing": "phone"}}""",
        """
        Mail,Work mail,Title,Shoe size
        private@example.com,ada@work.example,Dr.,38
        """);

    Row ada = contact("ada@work.example");
    assertThat(ada.getJsonObject("attributes")).isEqualTo(new JsonObject().put("salutation", "Dr."));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(job.columns().get("ignoredColumns")).isEqualTo(List.of("Mail (mapped to ignore)",
        "Shoe size (unknown column (unknownColumns: ignore))"));
    assertThat(job.columns().get("warnings"))
        .isEqualTo(List.of("the mapping names column \"Missing\", which the file does not have"));
  }

  @Test
  void aFileThatCannotBeReadFailsTheJobSayingWhy() {
    assertThat(importFile(contacts("empty.csv"), "").failure()).contains("the file is empty");
    ImportJob noEmail = importFile(contacts("names.csv"), "First Name,Last Name\nAda,Lovelace\n");
    assertThat(noEmail.status()).isEqualTo(ImportJob.FAILED);
    assertThat(noEmail.failure()).contains("no column fills email");
    // Files in no encoding an import reads: FileEncodingImportTest.
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void aQuoteStillOpenAtTheEndOfTheFileFailsTheJobInsteadOfSwallowingTheRowsAfterIt() {
    ImportJob job = importFile(contacts("unclosed.csv"), """
        Email,Notes
        ada@example.com,"a note never closed
        bob@example.com,fine
        carol@example.com,fine
        """);

    assertThat(job.status()).isEqualTo(ImportJob.FAILED);
    assertThat(job.failure()).contains("row 2");
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'ada@example.com'")).isZero();
  }

  @Test
  void aSecondEventForAFinishedJobDoesNothingAndAForeignObjectIsRefused() {
    ImportJob job = importFile(contacts("once.csv"), "Email\nada@example.com\n");
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    TestDatabase.database().pool().query("DELETE FROM contacts_to_rescore; DELETE FROM contacts").execute().await();

    handler.handleRequest(ImportFixtures.objectCreated(key, 10), null);
    handler.handleRequest(ImportFixtures.objectCreated("uploads/other.csv", 10), null); // logged, not thrown

    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    ImportJob after = service().get(job.id());
    assertThat(after.status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(after.counts()).isEqualTo(job.counts());
    // In AWS an upload URL is S3's: a second file cannot be refused, so the job says it was not read.
    assertThat(after.warnings()).extracting(ImportWarning::kind, ImportWarning::rows)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ImportWarning.UPLOAD_IGNORED, 1L));
    handler.handleRequest(ImportFixtures.objectCreated(key, 10), null);
    assertThat(service().get(job.id()).warnings().get(0).rows()).isEqualTo(2);
    String unknownJob = ImportFiles.keyOf(UUID.randomUUID(), "x.csv");
    files.put(unknownJob, "Email\n".getBytes(StandardCharsets.UTF_8));
    handler.handleRequest(ImportFixtures.objectCreated(unknownJob, 6), null);
  }

  @Test
  void aRunTakenOverAfterACrashStartsAfterTheCommittedRows() {
    ImportJob job = service().create(ImportRequest.parse(new JsonObject(contacts("resumed.csv")).getMap())).job();
    // An earlier run committed the first two data rows, then died: its lease has run out.
    TestDatabase.database().pool().preparedQuery("UPDATE imports SET status = 'running',"
        + " rows_committed = 2, created = 2, claimed_until = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(job.id())).await();
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    files.put(key, "Email\nada@example.com\nbob@example.com\ncarol@example.com\n".getBytes(StandardCharsets.UTF_8));

    handler.handleRequest(ImportFixtures.objectCreated(key, 60), null);

    ImportJob done = service().get(job.id());
    assertThat(done.rowsRead()).isEqualTo(3);
    assertThat(done.counts().created()).isEqualTo(3);
    assertThat(rows("SELECT email_norm FROM contacts").stream().map(r -> r.getString(0)).toList())
        .containsExactly("carol@example.com");
  }

  @Test
  void aRunWhoseJobAnotherRunTookOverRollsBackInsteadOfCountingItsRowsTwice() {
    ImportJob job = service().create(ImportRequest.parse(new JsonObject(contacts("slow.csv")).getMap())).job();
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    byte[] csv = "Email\nada@example.com\nbob@example.com\n".getBytes(StandardCharsets.UTF_8);
    files.put(key, csv);
    // This run is slow: its lease runs out, another run takes the job over and commits the first row.
    files.override = () -> {
      TestDatabase.database().pool().preparedQuery("UPDATE imports SET rows_committed = 1,"
          + " created = 1 WHERE id = $1").execute(Tuple.of(job.id())).await();
      return new java.io.ByteArrayInputStream(csv);
    };

    handler.handleRequest(ImportFixtures.objectCreated(key, csv.length), null);

    ImportJob now = service().get(job.id());
    assertThat(now.status()).isEqualTo(ImportJob.RUNNING); // the other run's, still
    assertThat(now.rowsRead()).isEqualTo(1);
    assertThat(now.counts()).isEqualTo(new ImportJob.Counts(1, 0, 0, 0));
    assertThat(count("SELECT count(*) FROM contacts")).isZero(); // this run's batch rolled back
  }

  @Test
  void anEventForAJobAnotherRunHoldsIsThrownBackForLambdaToRetryLater() {
    ImportJob job = service().create(ImportRequest.parse(new JsonObject(contacts("held.csv")).getMap())).job();
    TestDatabase.database().pool().preparedQuery("UPDATE imports SET status = 'running',"
        + " claimed_until = now() + interval '1 minute' WHERE id = $1").execute(Tuple.of(job.id())).await();
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    files.put(key, "Email\nada@example.com\n".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> handler.handleRequest(ImportFixtures.objectCreated(key, 20), null))
        .isInstanceOf(io.leadcycle.domain.Unavailable.class).hasMessageContaining("held by another run");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void anUnknownStrategyOrBadRequestIsRefusedBeforeAnyFile() {
    assertThatThrownBy(() -> service().create(ImportRequest.parse(Map.of("entity", "contacts", "fileName", "x.csv",
        "contactStrategyId", "nope")))).hasMessageContaining("no matching strategy nope");
    assertThatThrownBy(() -> service().create(ImportRequest.parse(Map.of("entity", "contacts", "fileName", "x.csv",
        "contactStrategyId", "default-lead")))).hasMessageContaining("contact strategy");
    assertThat(count("SELECT count(*) FROM imports")).isZero();
  }
}
