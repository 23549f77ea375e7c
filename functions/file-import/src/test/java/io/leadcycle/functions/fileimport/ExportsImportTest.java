package io.leadcycle.functions.fileimport;

import static io.leadcycle.testing.HandlerCalls.count;
import static io.leadcycle.testing.HandlerCalls.row;
import static io.leadcycle.testing.HandlerCalls.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.domain.ImportWarning;
import io.leadcycle.imports.ImportService;
import io.leadcycle.store.ImportStore.StoredError;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sample exports of each source people bring (src/test/resources/exports/), imported with the documented
 * defaults only ({@code entity} and {@code fileName}): every useful column lands where a user expects it.
 *
 * <p>Every file holds the same 20 people in its source's own columns: Käthe Müller (row 2, again in row 21
 * with her email in other case), Jürgen Weiß (row 3: no phone, a mobile), Amélie Dubois (row 4: a note of
 * three lines with quotes and a comma), two invalid emails (rows 5 and 6), junk in the phone and website
 * of Søren (row 7, {@code n/a}), Ana (row 8, {@code -}) and Peter (row 9, {@code keine}), and twelve more,
 * some with empty cells.
 */
class ExportsImportTest {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private static final String NOTE = "Met at Hannover Messe.\nWants a demo in Q3, \"urgent\".\nCall back Monday – ask for Søren.";
  private static final String KAETHE = "kaethe.mueller@mueller-bau.de";
  private static final String JUERGEN = "juergen.weiss@weiss-logistik.de";
  private static final String AMELIE = "amelie.dubois@geneve-tech.ch";
  private static final String SOREN = "soren.kjaer@nordlys.dk";
  private static final String ANA = "ana.nunez@solmar.es";
  private static final String PETER = "peter.schmidt@schmidt-partner.de";

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

  static String text(String fixture) {
    try (InputStream in = ExportsImportTest.class.getResourceAsStream("/exports/" + fixture)) {
      assertThat(in).as(fixture).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture as Excel's plain "CSV" would save it: Windows-1252, no byte order mark. */
  static byte[] windows1252(String fixture) {
    String content = text(fixture).replace("\uFEFF", "");
    assertThat(WINDOWS_1252.newEncoder().canEncode(content)).as(fixture).isTrue();
    return content.getBytes(WINDOWS_1252);
  }

  static byte[] utf8(String fixture) {
    return text(fixture).getBytes(StandardCharsets.UTF_8);
  }

  /** The documented default flow: the entity and the file's name, nothing else. */
  private ImportJob importExport(String entity, String fixture, byte[] content) {
    String request = new JsonObject().put("entity", entity).put("fileName", fixture).encode();
    return ImportFixtures.importThroughBucket(service(), files, handler, request, content);
  }

  private ImportJob importExport(String entity, String fixture) {
    return importExport(entity, fixture, utf8(fixture));
  }

  private static Row contact(String email) {
    return row("SELECT * FROM contacts WHERE email_norm = $1", email);
  }

  private static Map<String, Object> attributes(String email) {
    return contact(email).getJsonObject("attributes").getMap();
  }

  private static Row accountOf(String email) {
    return row("SELECT a.* FROM accounts a JOIN contacts c ON c.account_id = a.id WHERE c.email_norm = $1", email);
  }

  private static void assertPerson(String email, String first, String last, String phone, String company,
      String jobTitle, String country) {
    Row c = contact(email);
    assertThat(c.getString("first_name")).as("first name of %s", email).isEqualTo(first);
    assertThat(c.getString("last_name")).as("last name of %s", email).isEqualTo(last);
    assertThat(c.getString("phone")).as("phone of %s", email).isEqualTo(phone);
    assertThat(c.getString("company_name")).as("company of %s", email).isEqualTo(company);
    assertThat(c.getString("job_title")).as("job title of %s", email).isEqualTo(jobTitle);
    assertThat(c.getString("country")).as("country of %s", email).isEqualTo(country);
  }

  @SuppressWarnings("unchecked")
  private static String columnTarget(ImportJob job, String header) {
    for (Map<String, Object> column : (List<Map<String, Object>>) job.columns().get("columns")) {
      if (column.get("column").equals(header)) {
        return (String) column.get("target");
      }
    }
    throw new AssertionError("no column " + header + " in " + job.columns());
  }

  private static List<ImportWarning> warnings(ImportJob job, String kind) {
    return job.warnings().stream().filter(w -> w.kind().equals(kind)).toList();
  }

  /**
   * What every export of the 20 people gives: 17 contacts (Käthe's second row is her, whatever the case of
   * her email), the two invalid emails refused as row errors naming the email column, junk phones left out
   * with a warning and the row imported, and not one U+FFFD stored.
   */
  private void assertTheCommonRows(ImportJob job, String source, String emailColumn, String phoneColumn,
      String websiteColumn) {
    assertThat(job.status()).as(job.failure()).isEqualTo(ImportJob.COMPLETED_WITH_ERRORS);
    assertThat(job.columns().get("detectedSource")).isEqualTo(source);
    assertThat(job.counts().created()).isEqualTo(17);
    assertThat(job.counts().failed()).isEqualTo(2);
    assertThat(job.counts().created() + job.counts().updated() + job.counts().unchanged()).isEqualTo(18);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(17);
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = '" + KAETHE + "'")).isEqualTo(1);
    assertThat(contact(KAETHE).getString("email")).isEqualTo(KAETHE);
    assertThat(service().errors(job.id(), 0, 10).stream().map(StoredError::error).toList()).containsExactly(
        new RowError(5, emailColumn, "francois.lefevre(at)lefevre.fr", "not an email address"),
        new RowError(6, emailColumn, "zoe.hartmann@gmx", "not an email address"));
    assertThat(count("SELECT count(*) FROM contacts WHERE first_name = 'François' OR last_name = 'Hartmann'")).isZero();

    List<ImportWarning> leftOut = warnings(job, ImportWarning.VALUE_LEFT_OUT);
    List<ImportWarning> expected = new ArrayList<>();
    expected.add(new ImportWarning(ImportWarning.VALUE_LEFT_OUT, phoneColumn, "a phone number needs digits", 3, 7L,
        "n/a", List.of()));
    if (websiteColumn != null) {
      expected.add(new ImportWarning(ImportWarning.VALUE_LEFT_OUT, websiteColumn, "not a domain", 3, 7L, "n/a",
          List.of()));
    }
    assertThat(leftOut).containsExactlyInAnyOrderElementsOf(expected);
    // The rows with junk are imported, without it.
    assertThat(contact(ANA).getString("first_name")).isEqualTo("Ana");
    assertThat(contact(ANA).getString("phone")).isNull();
    assertThat(contact(PETER).getString("phone")).isNull();
    assertThat(count("SELECT count(*) FROM accounts WHERE domain IN ('n/a', '-', 'keine', 'n', '')")).isZero();
    assertThat(count("SELECT count(*) FROM contacts WHERE strpos(concat_ws('|', email, first_name, last_name, phone,"
        + " company_name, job_title, country, attributes::text), U&'\\FFFD') > 0")).isZero();
    assertThat(count("SELECT count(*) FROM accounts WHERE strpos(concat_ws('|', name, domain), U&'\\FFFD') > 0"))
        .isZero();
    assertThat(count("SELECT count(*) FROM leads WHERE strpos(topic, U&'\\FFFD') > 0")).isZero();
  }

  // ---- each source ----

  @Test
  void dynamics365ContactsSplitTheFullNameLinkTheAccountAndLeaveTheHiddenColumnsOut() {
    ImportJob job = importExport("contacts", "dynamics365-contacts.csv");

    assertTheCommonRows(job, "dynamics365", "Email", "Business Phone", null);
    assertThat(job.columns().get("ignoredColumns")).isEqualTo(List.of(
        "(Do Not Modify) Contact (a Dynamics 365 bookkeeping column)",
        "(Do Not Modify) Row Checksum (a Dynamics 365 bookkeeping column)",
        "(Do Not Modify) Modified On (a Dynamics 365 bookkeeping column)"));
    assertThat(columnTarget(job, "Full Name")).isEqualTo("fullName");
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", null, "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).isEqualTo(new JsonObject().put("Mobile_Phone", "+49 171 2345678")
        .put("salutation", "Mrs").put("street", "Friedrichstraße 12").put("city", "Berlin").put("postal_code", "10115")
        .put("owner", "Anna Vogt").put("created_on", "20.03.2024 09:13").getMap());
    assertThat(accountOf(KAETHE).getString("name")).isEqualTo("Müller Bau GmbH");
    assertThat(accountOf(KAETHE).getString("domain")).isNull();
    // No business phone: the mobile phone is the phone.
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", null, "Leiter Einkauf", "Germany");
    assertThat(attributes(JUERGEN).get("city")).isEqualTo("München");
    assertThat(attributes(AMELIE).get("description")).isEqualTo(NOTE);
    assertThat(accountOf(AMELIE).getString("name")).isEqualTo("Genève Tech SA");
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
    assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(15);
  }

  @Test
  void dynamics365LeadsGetTheirTopicAndTheirWebsitesAccount() {
    ImportJob job = importExport("leads", "dynamics365-leads.csv");

    assertTheCommonRows(job, "dynamics365", "Email", "Business Phone", "Website");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(17);
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).containsEntry("lead_source", "Word of Mouth").containsEntry("rating", "Warm")
        .containsEntry("status_reason", "New").containsEntry("city", "Berlin").containsEntry("postal_code", "10115")
        .containsEntry("street", "Friedrichstraße 12").containsEntry("owner", "Anna Vogt")
        .containsEntry("Mobile_Phone", "+49 171 2345678");
    assertThat(attributes(KAETHE).keySet()).noneMatch(name -> name.contains("Do_Not_Modify"));
    assertThat(accountOf(KAETHE).getString("domain")).isEqualTo("mueller-bau.de");
    // Found by the website alone: the account is named after the company column beside it, not the domain.
    assertThat(accountOf(KAETHE).getString("name")).isEqualTo("Müller Bau GmbH");
    Row kaethesLead = row("SELECT l.* FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE c.email_norm = $1",
        KAETHE);
    assertThat(kaethesLead.getString("topic")).isEqualTo("Fleet tracking for 40 trucks");
    assertThat(kaethesLead.getString("context_kind")).isEqualTo("import");
    assertThat(kaethesLead.getString("context_id")).isEqualTo("dynamics365-leads.csv");
    // No topic in the row: the import's context names the lead.
    assertThat(row("SELECT l.topic FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE c.email_norm = $1",
        JUERGEN).getString("topic")).isEqualTo("dynamics365-leads.csv");
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", "Weiß Logistik AG", "Leiter Einkauf", "Germany");
    assertThat(accountOf(JUERGEN).getString("domain")).isEqualTo("weiss-logistik.de");
    assertThat(attributes(AMELIE).get("description")).isEqualTo(NOTE);
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
    assertThat(count("SELECT count(*) FROM contacts WHERE account_id IS NOT NULL")).isEqualTo(9);
  }

  @Test
  void hubspotsDefaultViewKeepsItsOwnerStatusAndAssociatedCompany() {
    ImportJob job = importExport("contacts", "hubspot-contacts.csv");

    assertTheCommonRows(job, "hubspot", "Email", "Phone Number", null);
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", null, null, null);
    assertThat(attributes(KAETHE)).containsEntry("hubspot_record_id", "51234019").containsEntry("owner", "Jonas Brandt")
        .containsEntry("hubspot_company_id", "18800019").containsEntry("lead_status", "CONNECTED")
        .containsEntry("marketing_contact_status", "Marketing contact").containsEntry("created_at", "2024-02-20 09:19")
        .containsEntry("Last_Activity_Date", "2024-03-20 10:19");
    assertThat(accountOf(KAETHE).getString("name")).isEqualTo("Müller Bau GmbH");
    // The default view has no mobile phone: Jürgen has no phone.
    assertPerson(JUERGEN, "Jürgen", "Weiß", null, null, null, null);
    assertThat(accountOf(JUERGEN).getString("name")).isEqualTo("Weiß Logistik AG");
    assertThat(contact(SOREN).getString("phone")).isNull();
    assertThat(warnings(job, ImportWarning.ATTRIBUTES_OVER_LIMIT)).isEmpty();
  }

  @Test
  void hubspotsAllPropertiesExportImportsEveryRowAndWarnsOnlyOfTheRowOverTheAttributeLimit() {
    String file = text("hubspot-all-properties.csv");
    assertThat(file.substring(0, file.indexOf('\n')).split("\",\"")).hasSize(190);

    ImportJob job = importExport("contacts", "hubspot-all-properties.csv");

    assertTheCommonRows(job, "hubspot", "Email", "Phone Number", "Website URL");
    assertThat(job.columns().get("ignoredColumns")).isEqualTo(List.of("Email Domain (derived by HubSpot from another"
        + " column)"));
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).containsEntry("salutation", "Mrs").containsEntry("lifecycle_stage", "subscriber")
        .containsEntry("owner", "Anna Vogt").containsEntry("city", "Berlin").containsEntry("street", "Friedrichstraße 12")
        .containsEntry("postal_code", "10115").containsEntry("preferred_language", "German")
        .containsEntry("Mobile_Phone_Number", "+49 171 2345678").containsEntry("Number_of_Pageviews", "22")
        .doesNotContainKey("Email_Domain").doesNotContainKey("IP_Timezone");
    assertThat(accountOf(KAETHE).getString("name")).isEqualTo("Müller Bau GmbH");
    assertThat(accountOf(KAETHE).getString("domain")).isEqualTo("mueller-bau.de");
    // Jürgen, the one row with more than 50 attribute values: imported, its first 50 kept, a warning.
    assertThat(warnings(job, ImportWarning.ATTRIBUTES_OVER_LIMIT)).singleElement().satisfies(w -> {
      assertThat(w.rows()).isEqualTo(1);
      assertThat(w.exampleRow()).isEqualTo(3);
      // 13 documented attributes and all 162 other properties have a value: the first 50 in column order
      // are kept (the documented ones come first), the other 125 left out, the late Message among them.
      assertThat(w.columns()).hasSize(125).contains("Time Zone", "Work email", "Message")
          .doesNotContain("Lifecycle Stage", "Contact owner", "Number of Pageviews");
    });
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", "Weiß Logistik AG", "Leiter Einkauf", "Germany");
    assertThat(attributes(JUERGEN).size()).isEqualTo(50);
    assertThat(attributes(JUERGEN)).containsEntry("lifecycle_stage", "subscriber").containsEntry("owner", "Anna Vogt")
        .doesNotContainKey("Message").doesNotContainKey("Work_email");
    assertThat(accountOf(JUERGEN).getString("domain")).isEqualTo("weiss-logistik.de");
    assertThat(attributes(AMELIE).get("Message")).isEqualTo(NOTE);
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
    assertThat(attributes(SOREN).size()).isLessThan(50);
  }

  @Test
  void mauticsAliasesWithAByteOrderMarkTellTheSalutationFromTheJobTitle() {
    assertThat(text("mautic-contacts.csv")).startsWith("\uFEFFid,title,firstname");

    ImportJob job = importExport("contacts", "mautic-contacts.csv");

    assertTheCommonRows(job, "mautic", "email", "phone", "website");
    assertThat(job.encoding()).isEqualTo("UTF-8");
    assertThat(columnTarget(job, "id")).isEqualTo("attributes.mautic_id");
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).containsEntry("salutation", "Mrs").containsEntry("mobile", "+49 171 2345678")
        .containsEntry("city", "Berlin").containsEntry("postal_code", "10115").containsEntry("street", "Friedrichstraße 12")
        .containsEntry("preferred_locale", "de_DE").containsEntry("linkedin_url", "https://www.linkedin.com/in/kaethe-0")
        .doesNotContainKey("title").doesNotContainKey("position");
    assertThat(accountOf(KAETHE).getString("domain")).isEqualTo("mueller-bau.de");
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", "Weiß Logistik AG", "Leiter Einkauf", "Germany");
    assertThat(attributes(JUERGEN)).containsEntry("salutation", "Mr").containsEntry("mautic_id", "102")
        .containsEntry("mautic_points", "5").containsEntry("mautic_stage", "Warm").containsEntry("city", "München");
    assertThat(attributes(AMELIE).get("notes")).isEqualTo(NOTE);
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
  }

  @Test
  void salesforceDataLoadersUpperCaseApiNamesLandLikeTheirLabels() {
    ImportJob job = importExport("leads", "salesforce-dataloader-leads.csv");

    assertTheCommonRows(job, "salesforce", "EMAIL", "PHONE", "WEBSITE");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(17);
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).containsEntry("salutation", "Mrs.").containsEntry("lead_source", "Trade Show")
        .containsEntry("lead_status", "Working - Contacted").containsEntry("salesforce_owner_id", "0055g00000AbCdEAAV")
        .containsEntry("city", "Berlin").containsEntry("postal_code", "10115").containsEntry("street", "Friedrichstraße 12")
        .containsEntry("rating", "Warm").containsEntry("MOBILEPHONE", "+49 171 2345678");
    assertThat(attributes(JUERGEN)).containsEntry("salesforce_id", "00Q5g0000000002AAA")
        .containsEntry("created_at", "2024-03-02T09:01:00.000Z").doesNotContainKey("industry").doesNotContainKey("ID")
        .doesNotContainKey("ISCONVERTED_");
    assertThat(attributes(KAETHE)).containsEntry("industry", "Construction").containsEntry("ISCONVERTED", "false");
    assertThat(accountOf(KAETHE).getString("domain")).isEqualTo("mueller-bau.de");
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", "Weiß Logistik AG", "Leiter Einkauf", "Germany");
    assertThat(attributes(AMELIE).get("description")).isEqualTo(NOTE);
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
    assertThat(row("SELECT l.topic FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE c.email_norm = $1",
        KAETHE).getString("topic")).isEqualTo("salesforce-dataloader-leads.csv");
  }

  @Test
  void salesforceReportLabelsLandWithTheOwnerAndTheCompany() {
    ImportJob job = importExport("leads", "salesforce-report-leads.csv");

    assertTheCommonRows(job, "salesforce", "Email", "Phone", null);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(17);
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).containsEntry("owner", "Jonas Brandt").containsEntry("salutation", "Mrs.")
        .containsEntry("lead_status", "Working - Contacted").containsEntry("lead_source", "Trade Show")
        .containsEntry("rating", "Warm").containsEntry("city", "Berlin").containsEntry("postal_code", "10115")
        .containsEntry("street", "Friedrichstraße 12").containsEntry("created_at", "3/20/2024")
        .containsEntry("Mobile", "+49 171 2345678");
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", "Weiß Logistik AG", "Leiter Einkauf", "Germany");
    assertThat(attributes(JUERGEN)).containsEntry("owner", "Jonas Brandt");
    assertThat(attributes(AMELIE).get("description")).isEqualTo(NOTE);
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
    // Salesforce's placeholder for a required company nobody filled is no company.
    assertPerson("sophie.hoffmann@example.org", "Sophie", "Hoffmann", null, null, null, null);
  }

  @Test
  void linkedinLeadGenPrefersTheWorkEmailAndKeepsTheFormsAnswers() {
    ImportJob job = importExport("leads", "linkedin-lead-gen.csv");

    assertTheCommonRows(job, "linkedin_lead_gen", "Email Address", "Phone Number", null);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(17);
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).containsEntry("Email_Address", "kaethe.m@web.de")
        .containsEntry("linkedin_lead_id", "6912345678919").containsEntry("submitted_at", "2024-03-20 09:19:00")
        .containsEntry("linkedin_url", "https://www.linkedin.com/in/kaethe-x-19")
        .containsEntry("linkedin_campaign", "Q1 Fleet Campaign DACH").containsEntry("linkedin_form", "Demo request form");
    assertThat(contact(SOREN).getString("email")).isEqualTo(SOREN);
    assertThat(attributes(SOREN)).containsEntry("Email_Address", "soren.kjaer@gmail.com");
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm IN ('kaethe.m@web.de', 'soren.kjaer@gmail.com')"))
        .isZero();
    assertPerson(JUERGEN, "Jürgen", "Weiß", null, "Weiß Logistik AG", "Leiter Einkauf", "Germany");
    assertThat(attributes(AMELIE).get("What_would_you_like_to_discuss_")).isEqualTo(NOTE);
    assertThat(contact(SOREN).getString("phone")).isNull();
  }

  @Test
  void aGermanListWithSemicolonsReadsVornameNameAndTheMobileAsFallback() {
    ImportJob job = importExport("contacts", "excel-de.csv");

    assertTheCommonRows(job, null, "E-Mail", "Telefon", "Webseite");
    assertThat(job.columns().get("delimiter")).isEqualTo(";");
    assertThat(columnTarget(job, "Name")).isEqualTo("lastName");
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Deutschland");
    assertThat(attributes(KAETHE)).isEqualTo(new JsonObject().put("Anrede", "Frau").put("Straße", "Friedrichstraße 12")
        .put("PLZ", "10115").put("Ort", "Berlin").put("Mobil", "+49 171 2345678").getMap());
    assertThat(accountOf(KAETHE).getString("domain")).isEqualTo("mueller-bau.de");
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", "Weiß Logistik AG", "Leiter Einkauf", "Deutschland");
    assertThat(attributes(AMELIE).get("Notizen"))
        .isEqualTo(NOTE.replace("Met at Hannover Messe.", "Kennengelernt auf der Hannover Messe."));
    assertThat(attributes(AMELIE).get("Ort")).isEqualTo("Genève");
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
    assertThat(contact("bjoern.schaefer@schaefer-gmbh.at").getString("country")).isEqualTo("Österreich");
  }

  @Test
  void anEnglishListReadsItsHeadersAndKeepsTheRestAsAttributes() {
    ImportJob job = importExport("contacts", "excel-en.csv");

    assertTheCommonRows(job, null, "Email", "Phone", "Website");
    assertThat(job.columns().get("delimiter")).isEqualTo(",");
    assertPerson(KAETHE, "Käthe", "Müller", "+49 30 1234567", "Müller Bau GmbH", "Geschäftsführerin", "Germany");
    assertThat(attributes(KAETHE)).isEqualTo(new JsonObject().put("Salutation", "Mrs")
        .put("Street", "Friedrichstraße 12").put("City", "Berlin").put("Postcode", "10115")
        .put("Mobile", "+49 171 2345678").getMap());
    assertThat(accountOf(KAETHE).getString("domain")).isEqualTo("mueller-bau.de");
    assertPerson(JUERGEN, "Jürgen", "Weiß", "+49 160 9876543", "Weiß Logistik AG", "Leiter Einkauf", "Germany");
    assertThat(attributes(AMELIE).get("Notes")).isEqualTo(NOTE);
    assertThat(contact(SOREN).getString("phone")).isEqualTo("+45 20 12 34 56");
  }

  // ---- the same files saved as Excel's plain "CSV" ----

  /** What an import stored, to compare two imports of one file by. */
  private static List<String> stored() {
    List<String> stored = new ArrayList<>();
    rows("SELECT c.email_norm, c.first_name, c.last_name, c.phone, c.company_name, c.job_title, c.country,"
        + " c.attributes::text AS attributes, a.name AS account, a.domain FROM contacts c"
        + " LEFT JOIN accounts a ON a.id = c.account_id ORDER BY c.email_norm").forEach(r -> stored.add(r.toJson().encode()));
    rows("SELECT c.email_norm, l.topic, l.context_id FROM leads l JOIN contacts c ON c.id = l.contact_id"
        + " ORDER BY c.email_norm").forEach(r -> stored.add(r.toJson().encode()));
    return stored;
  }

  @ParameterizedTest
  @ValueSource(strings = {"contacts:dynamics365-contacts.csv", "leads:dynamics365-leads.csv",
      "contacts:hubspot-contacts.csv", "contacts:hubspot-all-properties.csv", "contacts:mautic-contacts.csv",
      "leads:salesforce-dataloader-leads.csv", "leads:salesforce-report-leads.csv", "leads:linkedin-lead-gen.csv",
      "contacts:excel-de.csv", "contacts:excel-en.csv"})
  void theSameExportSavedAsWindows1252GivesTheSameContacts(String entityAndFile) {
    String entity = entityAndFile.substring(0, entityAndFile.indexOf(':'));
    String fixture = entityAndFile.substring(entityAndFile.indexOf(':') + 1);
    ImportJob utf8 = importExport(entity, fixture);
    assertThat(utf8.encoding()).isEqualTo("UTF-8");
    List<String> fromUtf8 = stored();
    assertThat(fromUtf8).hasSizeGreaterThanOrEqualTo(17).anyMatch(r -> r.contains("Käthe"));

    TestDatabase.reset();
    ImportJob cp1252 = importExport(entity, fixture, windows1252(fixture));

    assertThat(cp1252.status()).as(cp1252.failure()).isEqualTo(utf8.status());
    assertThat(cp1252.encoding()).isEqualTo("windows-1252");
    assertThat(cp1252.counts()).isEqualTo(utf8.counts());
    assertThat(cp1252.columns()).isEqualTo(utf8.columns());
    assertThat(cp1252.warnings()).isEqualTo(utf8.warnings());
    assertThat(stored()).isEqualTo(fromUtf8);
  }
}
