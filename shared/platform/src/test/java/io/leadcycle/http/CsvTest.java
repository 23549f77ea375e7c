package io.leadcycle.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void quotesOnlyCellsThatNeedItAsRfc4180Says() {
    String text = new Csv().record(List.of("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", ""))
        .record(List.of("x")).toString();
    assertThat(text).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",\r\nx\r\n");
  }

  @Test
  void aNullCellIsEmpty() {
    assertThat(new Csv().record(Arrays.asList("a", null, "b")).toString()).isEqualTo("a,,b\r\n");
  }

  @Test
  void textThatASpreadsheetWouldRunAsAFormulaGetsALeadingQuote() {
    assertThat(Csv.text("=HYPERLINK(\"http://evil\")")).isEqualTo("'=HYPERLINK(\"http://evil\")");
    assertThat(Csv.text("+1")).isEqualTo("'+1");
    assertThat(Csv.text("-2+3")).isEqualTo("'-2+3");
    assertThat(Csv.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(Csv.text("\tx")).isEqualTo("'\tx");
    assertThat(Csv.text("\rx")).isEqualTo("'\rx");
    assertThat(Csv.text("Pricing = good")).isEqualTo("Pricing = good");
    assertThat(Csv.text("")).isEmpty();
    assertThat(Csv.text(null)).isNull();
  }

  @Test
  void valuesWeGenerateAreWrittenAsTheyAre() {
    assertThat(Csv.value(-5)).isEqualTo("-5");
    assertThat(Csv.value(true)).isEqualTo("true");
    assertThat(Csv.value(null)).isNull();
  }

  @Test
  void aGuardedFormulaWithACommaIsQuotedToo() {
    assertThat(new Csv().record(List.of(Csv.text("=1,2"))).toString()).isEqualTo("\"'=1,2\"\r\n");
  }

  @Test
  void recordWithinStopsBeforeTheByteLimitCountingUtf8() {
    Csv csv = new Csv().record(List.of("h"));
    assertThat(csv.bytes()).isEqualTo(3);
    assertThat(csv.recordWithin(List.of("\u00e9\u00e9"), 9)).as("4 bytes + CRLF = 6, total 9").isTrue();
    assertThat(csv.bytes()).isEqualTo(9);
    assertThat(csv.recordWithin(List.of("a"), 11)).as("3 more bytes would be 12").isFalse();
    assertThat(csv.toString()).isEqualTo("h\r\n\u00e9\u00e9\r\n");
  }
}
