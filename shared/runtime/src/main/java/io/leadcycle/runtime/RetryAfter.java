package io.leadcycle.runtime;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Retry-After} header as RFC 9110 (section 10.2.3) defines it: delay seconds (digits only) or
 * an HTTP date, in any of the three forms a recipient must accept (IMF-fixdate, the obsolete RFC 850
 * date, asctime). One reading for every caller: absent, garbage, negative or signed values are null (the
 * caller uses its own wait); a date in the past is no wait. Callers cap the answer themselves.
 */
public final class RetryAfter {

  /** Delay seconds too large for a long: longer than any cap a caller applies. */
  static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE);

  // "Sunday, 06-Nov-94 08:49:37 GMT"
  private static final Pattern RFC_850 = Pattern.compile(
      "([A-Za-z]+), (\\d{2})-([A-Za-z]{3})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT");
  // "Sun Nov  6 08:49:37 1994"
  private static final Pattern ASCTIME = Pattern.compile(
      "([A-Za-z]{3}) ([A-Za-z]{3}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})");

  private RetryAfter() {
  }

  /** How long to wait from {@code now}; null when {@code value} is absent or not a Retry-After value. */
  public static Duration parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return LONGEST;
      }
    }
    Instant at = date(v, now);
    if (at == null) {
      return null;
    }
    return at.isBefore(now) ? Duration.ZERO : Duration.between(now, at);
  }

  private static Instant date(String v, Instant now) {
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      // not an IMF-fixdate; one of the obsolete forms, perhaps
    }
    try {
      Matcher m = RFC_850.matcher(v);
      if (m.matches()) {
        int year = twoDigitYear(Integer.parseInt(m.group(4)), now);
        return at(m.group(1), year, m.group(3), m.group(2), m.group(5), m.group(6), m.group(7), TextStyle.FULL);
      }
      m = ASCTIME.matcher(v);
      if (m.matches()) {
        return at(m.group(1), Integer.parseInt(m.group(7)), m.group(2), m.group(3).strip(), m.group(4), m.group(5),
            m.group(6), TextStyle.SHORT);
      }
    } catch (DateTimeException | IllegalArgumentException e) {
      // a month, day or time that does not exist
    }
    return null;
  }

  /** RFC 9110: a two-digit year more than 50 years ahead is the latest past year with those digits. */
  private static int twoDigitYear(int yy, Instant now) {
    int thisYear = now.atZone(ZoneOffset.UTC).getYear();
    int year = thisYear - Math.floorMod(thisYear, 100) + yy;
    return year > thisYear + 50 ? year - 100 : year;
  }

  private static Instant at(String weekday, int year, String month, String day, String hour, String minute,
      String second, TextStyle weekdayStyle) {
    LocalDate date = LocalDate.of(year, month(month), Integer.parseInt(day));
    String expected = date.getDayOfWeek().getDisplayName(weekdayStyle, Locale.US);
    if (!expected.equalsIgnoreCase(weekday)) {
      return null; // as for an IMF-fixdate: a weekday that does not match the date is not a date
    }
    LocalTime time = LocalTime.of(Integer.parseInt(hour), Integer.parseInt(minute), Integer.parseInt(second));
    return LocalDateTime.of(date, time).toInstant(ZoneOffset.UTC);
  }

  private static Month month(String name) {
    for (Month month : Month.values()) {
      if (month.getDisplayName(TextStyle.SHORT, Locale.US).equalsIgnoreCase(name)) {
        return month;
      }
    }
    throw new IllegalArgumentException("no month " + name);
  }
}
