package io.leadcycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Retry-After as RFC 9110 writes it, read one way for the webhook retries and the LinkedIn calls. */
class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final DateTimeFormatter IMF = DateTimeFormatter
      .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter RFC_850 = DateTimeFormatter
      .ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ASCTIME = DateTimeFormatter
      .ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  @Test
  void delaySecondsAndEachFormOfAnHttpDateAreRead() {
    assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("Fri, 27 Nov 2026 11:00:00 GMT", NOW)).isEqualTo(Duration.ofHours(1));
    assertThat(RetryAfter.parse("Friday, 27-Nov-26 11:00:00 GMT", NOW)).isEqualTo(Duration.ofHours(1));
    assertThat(RetryAfter.parse("Fri Nov 27 11:00:00 2026", NOW)).isEqualTo(Duration.ofHours(1));
    assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 2044", NOW)).isPositive();
  }

  @Test
  void aDateInThePastIsNoWait() {
    assertThat(RetryAfter.parse("Fri, 27 Nov 2026 09:00:00 GMT", NOW)).isZero();
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).as("1994, not 2094").isZero();
  }

  @Test
  void absentGarbageNegativeAndSignedValuesAreNotUnderstood() {
    assertThat(RetryAfter.parse(null, NOW)).isNull();
    assertThat(RetryAfter.parse("  ", NOW)).isNull();
    assertThat(RetryAfter.parse("soon", NOW)).isNull();
    assertThat(RetryAfter.parse("-5", NOW)).isNull();
    assertThat(RetryAfter.parse("+5", NOW)).isNull();
    assertThat(RetryAfter.parse("1.5", NOW)).isNull();
    assertThat(RetryAfter.parse("Thu, 27 Nov 2026 11:00:00 GMT", NOW)).as("the 27th is a Friday").isNull();
    assertThat(RetryAfter.parse("Fri Feb 30 11:00:00 2026", NOW)).isNull();
  }

  @Test
  void moreDigitsThanALongIsLongerThanAnyCap() {
    assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isGreaterThan(Duration.ofDays(365 * 1000L));
  }

  @Property
  void anyDelaySecondsIsThatManySeconds(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seconds) {
    assertThat(RetryAfter.parse(Long.toString(seconds), NOW)).isEqualTo(Duration.ofSeconds(seconds));
    assertThat(RetryAfter.parse("-" + seconds, NOW)).isNull();
  }

  @Property
  void theThreeFormsOfOneDateAgree(@ForAll @LongRange(min = 0, max = 49L * 365 * 86_400) long secondsAhead) {
    Instant at = NOW.plusSeconds(secondsAhead);
    Duration expected = Duration.ofSeconds(secondsAhead);
    assertThat(RetryAfter.parse(IMF.format(at), NOW)).isEqualTo(expected);
    assertThat(RetryAfter.parse(RFC_850.format(at), NOW)).isEqualTo(expected);
    assertThat(RetryAfter.parse(ASCTIME.format(at), NOW)).isEqualTo(expected);
  }

  @Property
  void textThatIsNeitherDigitsNorADateIsNull(@ForAll @StringLength(max = 40) String text) {
    Duration parsed = RetryAfter.parse(text, NOW);
    boolean digits = !text.isBlank() && text.strip().chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits) {
      assertThat(parsed).as("random text is no date").isNull();
    }
  }
}
