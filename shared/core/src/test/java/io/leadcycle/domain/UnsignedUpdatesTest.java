package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an unsigned submission may change on a contact it matches, and how a consent change reads on the timeline. */
class UnsignedUpdatesTest {

  private static final ContactDetails STORED = new ContactDetails("Ada@Example.com", "Ada", null, "+44 20 1234", null,
      null, null, Map.of("plan", "pro"));
  private static final ContactDetails POSTED = new ContactDetails("ada@example.com", "Mallory", "Evil", "+1 555",
      "Evil Corp", null, null, Map.of("plan", "free", "source", "probe"));

  @Test
  void fillEmptyFillsWhatIsEmptyAndKeepsEverythingFilled() {
    ContactDetails after = UnsignedUpdates.FILL_EMPTY.apply(STORED, POSTED);

    assertThat(after).isEqualTo(new ContactDetails("Ada@Example.com", "Ada", "Evil", "+44 20 1234", "Evil Corp", null,
        null, Map.of("plan", "pro", "source", "probe")));
  }

  @Test
  void overwriteReplacesAllButTheEmailsSpelling() {
    ContactDetails after = UnsignedUpdates.OVERWRITE.apply(STORED, POSTED);

    assertThat(after).isEqualTo(new ContactDetails("Ada@Example.com", "Mallory", "Evil", "+1 555", "Evil Corp", null,
        null, Map.of("plan", "free", "source", "probe")));
  }

  @Test
  void anEmptyEmailIsFilledEitherWay() {
    ContactDetails noEmail = new ContactDetails(null, "Ada", null, "+44 20 1234", null, null, null, Map.of());

    assertThat(UnsignedUpdates.FILL_EMPTY.apply(noEmail, POSTED).email()).isEqualTo("ada@example.com");
    assertThat(UnsignedUpdates.OVERWRITE.apply(noEmail, POSTED).email()).isEqualTo("ada@example.com");
  }

  @Test
  void aLeadsSubmittedFieldsFollowTheSameRule() {
    Map<String, String> stored = Map.of("email", "Ada@Example.com", "firstName", "Ada");
    Map<String, String> posted = Map.of("email", "ada@example.com", "firstName", "Mallory", "country", "UK");

    assertThat(UnsignedUpdates.FILL_EMPTY.apply(stored, posted))
        .isEqualTo(Map.of("email", "Ada@Example.com", "firstName", "Ada", "country", "UK"));
    assertThat(UnsignedUpdates.OVERWRITE.apply(stored, posted))
        .isEqualTo(Map.of("email", "Ada@Example.com", "firstName", "Mallory", "country", "UK"));
  }

  @Test
  void wireNames() {
    assertThat(UnsignedUpdates.fromWireName("fill_empty")).contains(UnsignedUpdates.FILL_EMPTY);
    assertThat(UnsignedUpdates.fromWireName("overwrite")).contains(UnsignedUpdates.OVERWRITE);
    assertThat(UnsignedUpdates.fromWireName("FILL_EMPTY")).isEmpty();
  }

  @Test
  void aConsentPurposesTrueAndFalseAreBooleansOnTheTimeline() {
    assertThat(TimelineEntry.value("consent.newsletter", "false")).isEqualTo(Boolean.FALSE);
    assertThat(TimelineEntry.value("consent.newsletter", "double-opt-in")).isEqualTo("double-opt-in");
    assertThat(TimelineEntry.value("topic", "true")).isEqualTo("true");
  }
}
