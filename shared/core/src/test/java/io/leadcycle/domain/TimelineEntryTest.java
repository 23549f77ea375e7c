package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one place that knows each timeline field's kind: flags become booleans, the rest stays text. */
class TimelineEntryTest {

  @Test
  void flagsAreBooleansOnTheWire() {
    for (String flag : TimelineEntry.FLAG_FIELDS) {
      TimelineEntry entry = new TimelineEntry(flag, "false", "true", Instant.EPOCH, "api", "x");
      assertThat(entry.fromValue()).isEqualTo(Boolean.FALSE);
      assertThat(entry.toValue()).isEqualTo(Boolean.TRUE);
    }
  }

  @Test
  void everyOtherFieldStaysTextAndNullStaysNull() {
    assertThat(TimelineEntry.value("stage", "inquiry")).isEqualTo("inquiry");
    assertThat(TimelineEntry.value("status", "open")).isEqualTo("open");
    assertThat(TimelineEntry.value("ownerId", "true")).isEqualTo("true");
    assertThat(TimelineEntry.value("topic", "false")).isEqualTo("false");
    assertThat(TimelineEntry.value("ownerId", null)).isNull();
    assertThat(TimelineEntry.value("salesReady", null)).isNull();
  }

  @Test
  void aFlagValueThatIsNotTrueOrFalseIsShownAsRecorded() {
    assertThat(TimelineEntry.value("salesReady", "yes")).isEqualTo("yes");
  }
}
