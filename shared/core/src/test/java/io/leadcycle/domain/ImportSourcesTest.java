package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exports of the systems people leave: each recognised from its header row, its columns read as its
 * vendor documents them (docs/import.md), second columns for a field used as fallbacks, whole names split.
 */
class ImportSourcesTest {

  private static final MatchingStrategy BY_EMAIL =
      new MatchingStrategy("default-contact", "Email", StrategyEntity.CONTACT, List.of(MatchField.EMAIL));
  private static final ImportRequest CONTACTS = ImportRequest.parse(Map.of("entity", "contacts", "fileName", "x.csv"));

  private static ImportColumns plan(String header) {
    return ImportColumns.plan(Arrays.asList(header.split(",", -1)), CONTACTS);
  }

  private static ImportColumns plan(String header, Map<String, Object> request) {
    Map<String, Object> body = new HashMap<>(Map.of("entity", "contacts", "fileName", "x.csv"));
    body.putAll(request);
    return ImportColumns.plan(Arrays.asList(header.split(",", -1)), ImportRequest.parse(body));
  }

  private static ImportRow row(ImportColumns columns, String... cells) {
    ImportRow.Read read = ImportRow.read(2, Arrays.asList(cells), columns, CONTACTS, BY_EMAIL);
    assertThat(read.errors()).isEmpty();
    return read.row();
  }

  private static String target(ImportColumns columns, String header) {
    return columns.plan().stream().filter(c -> c.header().equals(header)).findFirst()
        .map(c -> c.target() == null ? "ignore" : c.target().wireName()).orElseThrow();
  }

  @Test
  void eachSourceIsRecognisedFromItsHeaderRow() {
    Map<String, String> headers = Map.of(
        "(Do Not Modify) Contact,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On,Full Name,Email,"
            + "Business Phone,Mobile Phone,Address 1: City,Address 1: Country/Region,Parent Customer", "dynamics365",
        "Record ID,First Name,Last Name,Email,Phone Number,Contact owner,Lifecycle Stage,Lead Status,Create Date,"
            + "Associated Company", "hubspot",
        "id,title,firstname,lastname,company,position,email,mobile,phone,points,city,zipcode,country,website,stage",
        "mautic",
        "ID,FIRSTNAME,LASTNAME,TITLE,COMPANY,EMAIL,PHONE,MOBILEPHONE,LEADSOURCE,STATUS,OWNERID,POSTALCODE,COUNTRY",
        "salesforce",
        "Lead Owner,First Name,Last Name,Title,Company / Account,Email,Phone,Mobile,Lead Status,Lead Source,Country",
        "salesforce",
        "Lead ID,Submitted At,First Name,Last Name,Email Address,Work Email,Company Name,Job Title,Country/Region,"
            + "LinkedIn Profile URL,Campaign Name,Form Name", "linkedin_lead_gen");
    headers.forEach((header, source) -> assertThat(plan(header).source()).as(header).isNotNull()
        .extracting(ImportSource::id).isEqualTo(source));
    // A spreadsheet someone typed is no source's export: the general headers read it.
    assertThat(plan("Anrede,Vorname,Nachname,E-Mail,Firma,Position,Telefon,Mobil,Straße,PLZ,Ort,Land").source()).isNull();
    assertThat(plan("Email,First Name,Last Name,Company").source()).isNull();
  }

  @Test
  void mauticsTitleIsASalutationAndPositionTheJobTitle() {
    ImportColumns mautic = plan("id,title,firstname,lastname,company,position,email,mobile,phone,points,zipcode");

    ImportRow row = row(mautic, "17", "Mrs", "Käthe", "Müller", "Initech", "Head of Marketing", "kaethe@initech.example",
        "+49 170 1234567", "", "45", "10115");

    assertThat(row.contact().jobTitle()).isEqualTo("Head of Marketing");
    assertThat(row.contact().phone()).isEqualTo("+49 170 1234567"); // phone empty: mobile is its fallback
    assertThat(row.contact().attributes()).containsEntry("salutation", "Mrs").containsEntry("mautic_points", "45")
        .containsEntry("mautic_id", "17").containsEntry("postal_code", "10115").doesNotContainKey("title");
    // The same file read with the general headers only: title would be the job title.
    assertThat(target(plan("id,title,firstname,lastname,company,position,email,points,zipcode",
        Map.of("source", "none")), "title")).isEqualTo("jobTitle");
  }

  @Test
  void dynamicsBookkeepingIsIgnoredAndItsColumnsLandWhereTheyBelong() {
    ImportColumns dynamics = plan("(Do Not Modify) Contact,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On,"
        + " Full Name,Email,Business Phone,Mobile Phone,Address 1: City,Address 1: Country/Region,Company Name,Topic");

    assertThat(dynamics.ignoredColumns()).containsExactly("(Do Not Modify) Contact (a Dynamics 365 bookkeeping column)",
        "(Do Not Modify) Row Checksum (a Dynamics 365 bookkeeping column)",
        "(Do Not Modify) Modified On (a Dynamics 365 bookkeeping column)");
    ImportRow row = row(dynamics, "6f1c…", "abc", "2026-01-02", "Anna Maria Schäfer", "anna@example.de", "+49 30 1234",
        "+49 171 555", "Berlin", "Germany", "Gemüse AG", "Trade fair");
    assertThat(row.contact().firstName()).isEqualTo("Anna Maria");
    assertThat(row.contact().lastName()).isEqualTo("Schäfer");
    assertThat(row.contact().phone()).isEqualTo("+49 30 1234");
    // Both phones filled: the business phone fills the field, the mobile is kept as an attribute.
    assertThat(row.contact().attributes()).containsEntry("Mobile_Phone", "+49 171 555").containsEntry("city", "Berlin");
    assertThat(row.contact().country()).isEqualTo("Germany");
    assertThat(row.contact().companyName()).isEqualTo("Gemüse AG");
    assertThat(row.topic()).isEqualTo("Trade fair");
    assertThat(dynamics.columns()).contains(Map.of("column", "Mobile Phone", "target", "phone", "from", "source",
        "fallback", true, "otherwise", "attributes.Mobile_Phone"));
  }

  @Test
  void hubspotAndSalesforceCompaniesAndDomainsAreKnown() {
    ImportColumns hubspot = plan("Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Lifecycle Stage,"
        + "Contact owner,Associated Company,Company domain name,Website URL");
    ImportRow contact = row(hubspot, "901", "Grace", "Hopper", "grace@navy.example", "", "+1 555 0100", "lead",
        "Jane Roe", "US Navy", "navy.example", "https://www.navy.example/about");
    assertThat(contact.contact().phone()).isEqualTo("+1 555 0100");
    assertThat(contact.accountKey().value()).isEqualTo("navy.example");
    assertThat(contact.accountKey().newName()).isEqualTo("US Navy");
    assertThat(contact.contact().attributes()).containsEntry("hubspot_record_id", "901")
        .containsEntry("lifecycle_stage", "lead").containsEntry("owner", "Jane Roe")
        .containsEntry("Website_URL", "https://www.navy.example/about"); // the second domain column, both filled

    ImportColumns report = plan("Lead Owner,First Name,Last Name,Title,Company / Account,Email,Phone,Mobile,Lead Status");
    ImportRow lead = row(report, "Max Muster", "Ada", "Lovelace", "CTO", "Analytical Engines", "ada@ae.example", "-",
        "+44 20 7946", "Open");
    assertThat(lead.contact().companyName()).isEqualTo("Analytical Engines");
    assertThat(lead.contact().jobTitle()).isEqualTo("CTO");
    // A phone of junk is left out; the mobile then fills the field.
    assertThat(lead.contact().phone()).isEqualTo("+44 20 7946");
    assertThat(lead.contact().attributes()).containsEntry("lead_status", "Open").containsEntry("owner", "Max Muster");
  }

  @Test
  void aWholeNameIsSplitOnlyWithoutNameColumns() {
    assertThat(ImportTarget.splitFullName("  Anna   Maria Müller ")).containsExactly("Anna Maria", "Müller");
    assertThat(ImportTarget.splitFullName("Müller, Anna")).containsExactly("Anna", "Müller");
    assertThat(ImportTarget.splitFullName("Cher")).containsExactly(null, "Cher");

    assertThat(row(plan("Email,Name"), "a@example.com", "Ada Lovelace").contact().firstName()).isEqualTo("Ada");
    // "Vorname; Name" as German lists write it: Name is the last name.
    ImportColumns german = plan("E-Mail,Vorname,Name");
    assertThat(target(german, "Name")).isEqualTo("lastName");
    assertThat(row(german, "k@example.de", "Käthe", "Müller").contact().lastName()).isEqualTo("Müller");
    // Both name columns: the whole name is not read.
    ImportColumns both = plan("Email,First Name,Last Name,Full Name");
    assertThat(both.ignoredColumns()).containsExactly("Full Name (first and last name have their own columns)");
    assertThat(both.columnOf("firstName")).isEqualTo("First Name");
  }

  @Test
  void aFallbackFillsOnlyWhatTheFirstColumnLeftEmpty() {
    ImportColumns columns = plan("Email,Phone,Mobile");
    assertThat(row(columns, "a@example.com", "", "+49 171").contact().phone()).isEqualTo("+49 171");
    ImportRow both = row(columns, "a@example.com", "+49 30", "+49 171");
    assertThat(both.contact().phone()).isEqualTo("+49 30");
    assertThat(both.contact().attributes()).isEqualTo(Map.of("Mobile", "+49 171"));
    // The mapping names the first column of its target; a default is then the fallback.
    ImportColumns mapped = plan("Email,Phone,Handynummer", Map.of("mapping", Map.of("Handynummer", "phone")));
    assertThat(row(mapped, "a@example.com", "+49 30", "+49 171").contact().phone()).isEqualTo("+49 171");
    // With unknownColumns ignore, a fallback's second value is dropped rather than kept as an attribute.
    ImportColumns ignoring = plan("Email,Phone,Mobile", Map.of("unknownColumns", "ignore"));
    assertThat(row(ignoring, "a@example.com", "+49 30", "+49 171").contact().attributes()).isEmpty();
  }

  @Test
  void aValidFallbackRescuesARowWhoseFirstEmailIsInvalid() {
    ImportColumns linkedin = plan("Lead ID,First Name,Work Email,Email Address,Campaign Name,Form Name");
    ImportRow row = row(linkedin, "L1", "Ada", "ada at work", "ada@example.com", "Spring", "Demo");
    assertThat(row.contact().email()).isEqualTo("ada@example.com");
    ImportRow.Read both = ImportRow.read(2, List.of("L1", "Ada", "ada at work", "", "Spring", "Demo"), linkedin,
        CONTACTS, BY_EMAIL);
    assertThat(both.errors()).containsExactly(new ImportRow.RowError(2, "Work Email", "ada at work",
        "not an email address"));
  }

  @Test
  void anAccountFoundByItsWebsiteIsNamedAfterTheCompanyAndPlaceholdersAreNoValues() {
    ImportColumns leads = plan("Email,Company,Website");
    ImportRow row = row(leads, "a@mueller-bau.example", "Müller Bau GmbH", "www.mueller-bau.example");
    assertThat(row.accountKey().value()).isEqualTo("mueller-bau.example");
    assertThat(row.accountKey().newName()).isEqualTo("Müller Bau GmbH");
    assertThat(row(leads, "b@example.com", "[not provided]", "").contact().companyName()).isNull();
  }

  @Test
  void aRequestMayNameTheSourceOrNone() {
    assertThat(plan("email,position,title", Map.of("source", "mautic")).source()).isEqualTo(ImportSource.MAUTIC);
    InvalidInput refused = catchThrowableOfType(InvalidInput.class, () -> ImportRequest.parse(
        Map.of("entity", "contacts", "fileName", "x.csv", "source", "pipedrive")));
    assertThat(refused.errors()).extracting(FieldError::field).containsExactly("source");
    ImportRequest hubspot = ImportRequest.parse(Map.of("entity", "contacts", "fileName", "x.csv", "source", "hubspot"));
    assertThat(ImportRequest.ofStored(ImportEntity.CONTACTS, "x.csv", null, hubspot.options())).isEqualTo(hubspot);
  }

  @Test
  void everySourceMapsOnlyToTargetsAnImportKnows() {
    for (ImportSource source : ImportSource.ALL) {
      source.targets().forEach((header, target) -> assertThat(ImportTarget.parse(target)).as(source.id() + " " + header)
          .isPresent());
      assertThat(ImportSource.byId(source.id())).hasValue(source);
    }
  }

  /** docs/import.md has one table per source: it must say what the code does, column for column. */
  @Test
  void theDocumentedTablesAreTheSourcesColumns() throws java.io.IOException {
    List<String> doc = java.nio.file.Files.readAllLines(java.nio.file.Path.of("../../docs/import.md"));
    for (ImportSource source : ImportSource.ALL) {
      int at = doc.indexOf("<!-- sources:" + source.id() + " -->");
      assertThat(at).as("docs/import.md has the table of " + source.id()).isNotNegative();
      Map<String, String> documented = new java.util.LinkedHashMap<>();
      for (int i = at + 3; i < doc.size() && doc.get(i).startsWith("|"); i++) {
        String[] cells = doc.get(i).split("\\|");
        String target = cells[1].strip().replace("`", "");
        for (String header : cells[2].split("`, `")) {
          documented.putIfAbsent(ImportTarget.fold(header.replace("`", "").strip()), target);
        }
      }
      assertThat(documented).as(source.id()).containsExactlyEntriesOf(source.targets());
    }
  }
}
