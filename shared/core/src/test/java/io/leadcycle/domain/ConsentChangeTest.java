package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Folding a consent history: each purpose at its latest value, by the entries' order, whatever order they come in. */
class ConsentChangeTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
  private static final ConsentSource FORM = ConsentSource.form("launch", "s-1", "intake");

  @Test
  void theLatestEntryOfEachPurposeWinsAndOnlyTrueIsGranted() {
    ConsentChange given = new ConsentChange(1, "newsletter", true, FORM, AT);
    ConsentChange other = new ConsentChange(2, "events", "yes", FORM, AT);
    ConsentChange withdrawn = new ConsentChange(3, "newsletter", false, FORM, AT.plusSeconds(60));
    ConsentChange cleared = new ConsentChange(4, "marketing", null, FORM, AT.plusSeconds(60));

    Map<String, Object> expected = new HashMap<>(Map.of("newsletter", false, "events", "yes"));
    expected.put("marketing", null);
    assertThat(ConsentChange.fold(List.of(cleared, withdrawn, other, given))).isEqualTo(expected);
    assertThat(given.granted()).isTrue();
    assertThat(withdrawn.granted()).isFalse();
    assertThat(other.granted()).as("text is not consent").isFalse();
    assertThat(cleared.granted()).isFalse();
    assertThat(ConsentChange.fold(List.of())).isEmpty();
  }
}
