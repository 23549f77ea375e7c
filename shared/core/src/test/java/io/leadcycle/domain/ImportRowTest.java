package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading an import's request, header and rows: plain Java, no file, no database. */
class ImportRowTest {

  private static final MatchingStrategy BY_EMAIL =
      new MatchingStrategy("default-contact", "Email", StrategyEntity.CONTACT, List.of(MatchField.EMAIL));

  private static ImportRequest request(Map<String, ?> body) {
    return ImportRequest.parse(body);
  }

  @Test
  void headersMapByTheirSpellingInAnyCaseAndLanguage() {
    for (String header : List.of("Email", "E-Mail", "email address", " EMAIL_ADDRESS ", "E-Mail-Adresse")) {
      assertThat(ImportTarget.byDefault(header)).as(header).hasValue(new ImportTarget("email", null));
    }
    assertThat(ImportTarget.byDefault("Vorname")).hasValue(new ImportTarget("firstName", null));
    assertThat(ImportTarget.byDefault("Website")).hasValue(new ImportTarget("account.domain", null));
    assertThat(ImportTarget.byDefault("Name")).hasValue(new ImportTarget("fullName", null)); // split, see ImportSourcesTest
    assertThat(ImportTarget.attributeNameOf("Favourite colour")).isEqualTo("Favourite_colour");
    assertThat(ImportTarget.attributeNameOf("2nd phone")).isEqualTo("nd_phone");
    assertThat(ImportTarget.attributeNameOf("§§§")).isNull();
  }

  @Test
  void aRowIsReadByItsColumnsAndEmptyCellsCountForNothing() {
    ImportRequest contacts = request(Map.of("entity", "contacts", "fileName", "x.csv"));
    ImportColumns columns = ImportColumns.plan(List.of("\uFEFFEmail", "First Name", "Account", "Shoe size"), contacts);

    ImportRow.Read read = ImportRow.read(2, List.of(" Ada@Example.com ", "", "Initech", "38"), columns, contacts, BY_EMAIL);

    assertThat(read.errors()).isEmpty();
    ImportRow row = read.row();
    assertThat(row.contact().email()).isEqualTo("Ada@Example.com");
    assertThat(row.contact().firstName()).isNull();
    assertThat(row.contact().attributes()).isEqualTo(Map.of("Shoe_size", "38"));
    assertThat(row.contactKey().values()).containsExactly("ada@example.com");
    assertThat(row.accountKey().matching()).isEqualTo(AccountMatching.COMPANY_NAME);
    assertThat(row.accountKey().value()).isEqualTo("initech");
  }

  @Test
  void aBadCellOfAMatchFieldRefusesTheRowAndOneOfAnOptionalFieldIsLeftOut() {
    ImportRequest leads = request(Map.of("entity", "leads", "fileName", "x.csv"));
    ImportColumns columns = ImportColumns.plan(List.of("Email", "Website", "Phone"), leads);

    assertThat(ImportRow.read(3, List.of("nope", "not a domain!", "-"), columns, leads, BY_EMAIL).errors())
        .containsExactly(new ImportRow.RowError(3, "Email", "nope", "not an email address"));
    ImportRow.Read leftOut = ImportRow.read(4, List.of("ada@example.com", "n/a", "-"), columns, leads, BY_EMAIL);
    assertThat(leftOut.errors()).isEmpty();
    assertThat(leftOut.row().accountKey()).isNull();
    assertThat(leftOut.row().contact().phone()).isNull();
    assertThat(leftOut.warnings()).containsExactly(ImportWarning.valueLeftOut(4, "Website", "n/a", "not a domain"),
        ImportWarning.valueLeftOut(4, "Phone", "-", "a phone number needs digits"));
    // A lead row without a contact key is an account lead when it names an account, else refused.
    assertThat(ImportRow.read(4, List.of("", "https://www.Initech.example:443/about?x=1", ""), columns, leads, BY_EMAIL)
        .row().accountKey().value()).isEqualTo("initech.example");
    assertThat(ImportRow.read(5, List.of("", "", ""), columns, leads, BY_EMAIL).errors().get(0).reason())
        .isEqualTo("needs email (contact strategy default-contact) for a contact, or an account column for an account lead");
  }

  @Test
  void unknownColumnsBecomeAttributesKeepingTheirLettersAndDigits() {
    assertThat(ImportTarget.attributeNameOf("Favourite colour")).isEqualTo("Favourite_colour");
    assertThat(ImportTarget.attributeNameOf("Straße")).isEqualTo("Straße");
    assertThat(ImportTarget.attributeNameOf(" Größe (cm) ")).isEqualTo("Größe_cm_");
    assertThat(ImportTarget.attributeNameOf("Stra\u0073\u0065\u0301")).isEqualTo("Strasé"); // composed: NFC
    assertThat(ImportTarget.attributeNameOf("2. Wahl – Ort/PLZ")).isEqualTo("Wahl_Ort_PLZ");
    assertThat(ImportTarget.attributeNameOf("Город")).isEqualTo("Город");
    assertThat(ImportTarget.attributeNameOf("%%")).isNull();
    assertThat(ImportTarget.attributeNameOf("Ä".repeat(70))).isEqualTo("Ä".repeat(64));
  }

  @Test
  void theRequestIsCheckedWholeBeforeAnyFile() {
    InvalidInput refused = catchThrowableOfType(InvalidInput.class, () -> request(Map.of("entity", "contacts",
        "mapping", Map.of("A", "attributes.9x", "B", "email"), "unknownColumns", "drop", "accountMatching", "dns")));
    assertThat(refused.errors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("fileName", "mapping.A", "unknownColumns", "accountMatching");
    ImportRequest leads = request(Map.of("entity", "leads", "fileName", "fair.csv", "context", Map.of("name", "Fair")));
    assertThat(leads.leadContext()).isEqualTo(new MarketingContext("import", "fair.csv", "Fair"));
    assertThat(ImportRequest.ofStored(ImportEntity.LEADS, "fair.csv", null, leads.options()))
        .isEqualTo(leads);
  }

  @Test
  void aLeadsImportNamesTheProcessOfItsLeadsAndKeepsItInItsOptions() {
    ImportRequest chosen = request(Map.of("entity", "leads", "fileName", "fair.csv", "processId", "partner-deals"));
    assertThat(chosen.processId()).isEqualTo("partner-deals");
    assertThat(chosen.options()).containsEntry("processId", "partner-deals");
    assertThat(ImportRequest.ofStored(ImportEntity.LEADS, "fair.csv", null, chosen.options())).isEqualTo(chosen);
    ImportRequest plain = request(Map.of("entity", "leads", "fileName", "fair.csv"));
    assertThat(plain.processId()).isEqualTo("default");
    // A job stored before imports chose a process has none in its options: the shipped one.
    Map<String, Object> before = new java.util.LinkedHashMap<>(plain.options());
    before.remove("processId");
    assertThat(ImportRequest.ofStored(ImportEntity.LEADS, "fair.csv", null, before).processId()).isEqualTo("default");
    InvalidInput contacts = catchThrowableOfType(InvalidInput.class,
        () -> request(Map.of("entity", "contacts", "fileName", "people.csv", "processId", "partner-deals")));
    assertThat(contacts.errors()).extracting(FieldError::field).containsExactly("processId");
    InvalidInput notText = catchThrowableOfType(InvalidInput.class,
        () -> request(Map.of("entity", "leads", "fileName", "fair.csv", "processId", 3)));
    assertThat(notText.errors()).extracting(FieldError::field).containsExactly("processId");
  }
}
