package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContactDetailsTest {

  private static final ContactDetails STORED = new ContactDetails("ann@example.com", "Ann", "Lee", "+49 30 1",
      "Acme", "CTO", "DE", Map.of("source", "fair", "size", "10"));

  private static ContactDetails only(String email, String firstName) {
    return new ContactDetails(email, firstName, null, null, null, null, null, Map.of());
  }

  @Test
  void aMissingFieldNeverBlanksAStoredOne() {
    ContactDetails updated = STORED.updatedWith(new ContactDetails(null, null, null, null, null, null, null, null));

    assertThat(updated).isEqualTo(STORED);
  }

  @Test
  void aFieldMissingOnBothSidesStaysAbsent() {
    ContactDetails stored = only("ann@example.com", null);

    ContactDetails updated = stored.updatedWith(only(null, "Ann"));

    assertThat(updated).isEqualTo(only("ann@example.com", "Ann"));
    assertThat(updated.lastName()).isNull();
    assertThat(updated.asFieldMap()).containsOnlyKeys("email", "firstName");
  }

  @Test
  void givenFieldsReplaceStoredOnesAndOthersAreKept() {
    ContactDetails incoming = new ContactDetails(null, "Anna", null, "+49 30 2", null, "CEO", null, Map.of());

    ContactDetails updated = STORED.updatedWith(incoming);

    assertThat(updated).isEqualTo(new ContactDetails("ann@example.com", "Anna", "Lee", "+49 30 2", "Acme", "CEO", "DE",
        Map.of("source", "fair", "size", "10")));
  }

  @Test
  void everyStandardFieldCanBeReplaced() {
    ContactDetails incoming = new ContactDetails("b@x.io", "B", "C", "1", "D", "E", "FR", Map.of());

    ContactDetails updated = STORED.updatedWith(incoming);

    assertThat(updated.email()).isEqualTo("b@x.io");
    assertThat(updated.firstName()).isEqualTo("B");
    assertThat(updated.lastName()).isEqualTo("C");
    assertThat(updated.phone()).isEqualTo("1");
    assertThat(updated.companyName()).isEqualTo("D");
    assertThat(updated.jobTitle()).isEqualTo("E");
    assertThat(updated.country()).isEqualTo("FR");
  }

  @Test
  void updatingAnEmptyRecordFillsIt() {
    ContactDetails empty = new ContactDetails(null, null, null, null, null, null, null, null);

    assertThat(empty.updatedWith(STORED)).isEqualTo(STORED);
  }

  @Test
  void attributesMergeWithIncomingWinning() {
    ContactDetails incoming = new ContactDetails(null, null, null, null, null, null, null,
        Map.of("size", "250", "budget", "high"));

    ContactDetails updated = STORED.updatedWith(incoming);

    assertThat(updated.attributes()).containsOnly(entry("source", "fair"), entry("size", "250"), entry("budget", "high"));
    assertThat(STORED.attributes()).containsOnly(entry("source", "fair"), entry("size", "10"));
  }

  @Test
  void attributesAreCopiedAndNullMeansNone() {
    Map<String, String> mutable = new HashMap<>(Map.of("a", "1"));
    ContactDetails details = new ContactDetails(null, null, null, null, null, null, null, mutable);
    mutable.put("b", "2");

    assertThat(details.attributes()).containsOnly(entry("a", "1"));
    assertThat(only(null, null).attributes()).isEmpty();
    assertThat(new ContactDetails(null, null, null, null, null, null, null, null).attributes()).isEmpty();
  }

  @Test
  void asFieldMapListsStandardFieldsFirstThenAttributesWithoutNulls() {
    ContactDetails details = new ContactDetails("a@b.io", null, "Lee", null, "Acme", null, "DE", Map.of("utm", "ads"));

    Map<String, String> map = details.asFieldMap();

    assertThat(map).containsExactly(entry("email", "a@b.io"), entry("lastName", "Lee"), entry("companyName", "Acme"),
        entry("country", "DE"), entry("utm", "ads"));
  }

  @Test
  void asFieldMapOfAFullRecordHasEveryStandardFieldInOrder() {
    assertThat(List.copyOf(STORED.asFieldMap().keySet()).subList(0, ContactDetails.STANDARD_FIELDS.size()))
        .isEqualTo(ContactDetails.STANDARD_FIELDS);
    assertThat(STORED.asFieldMap()).hasSize(9).containsEntry("jobTitle", "CTO").containsEntry("phone", "+49 30 1");
  }

  @Test
  void getReadsMatchFieldsAndHasNoMarketingContext() {
    assertThat(STORED.get(MatchField.EMAIL)).isEqualTo("ann@example.com");
    assertThat(STORED.get(MatchField.FIRST_NAME)).isEqualTo("Ann");
    assertThat(STORED.get(MatchField.LAST_NAME)).isEqualTo("Lee");
    assertThat(STORED.get(MatchField.PHONE)).isEqualTo("+49 30 1");
    assertThat(STORED.get(MatchField.COMPANY_NAME)).isEqualTo("Acme");
    assertThat(STORED.get(MatchField.MARKETING_CONTEXT_ID)).isNull();
  }
}
