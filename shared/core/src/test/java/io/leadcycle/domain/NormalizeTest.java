package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class NormalizeTest {

  @Test
  void emailIsTrimmedAndLowerCased() {
    assertThat(Normalize.email("  Ann.Smith@Example.COM \t")).isEqualTo("ann.smith@example.com");
  }

  @Test
  void emailKeepsInnerCharactersUntouched() {
    assertThat(Normalize.email("first+tag@example.com")).isEqualTo("first+tag@example.com");
  }

  @Test
  void emailLowerCasesIndependentlyOfTheDefaultLocale() {
    java.util.Locale previous = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
      // In Turkish, "I".toLowerCase() is a dotless i; email normalization must not depend on that.
      assertThat(Normalize.email("INFO@EXAMPLE.IO")).isEqualTo("info@example.io");
    } finally {
      java.util.Locale.setDefault(previous);
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\t\n", "\u2003"})
  void blankEmailIsAbsent(String value) {
    assertThat(Normalize.email(value)).isNull();
  }

  @Test
  void phoneKeepsOnlyDigits() {
    assertThat(Normalize.phone("+49 (30) 123-456 78")).isEqualTo("493012345678");
    assertThat(Normalize.phone("030/1234.5678 ext")).isEqualTo("03012345678");
  }

  @Test
  void phoneTurnsNonAsciiDigitsIntoAsciiDigits() {
    // Fullwidth and Arabic-Indic digits are digits too; the result is plain ASCII.
    assertThat(Normalize.phone("\uFF10\uFF13\uFF10 \u0661\u0662\u0663")).isEqualTo("030123");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "call me", "+() -"})
  void phoneWithoutDigitsIsAbsent(String value) {
    assertThat(Normalize.phone(value)).isNull();
  }

  @Test
  void textIsTrimmedCollapsedAndCaseFolded() {
    assertThat(Normalize.text("  ACME \t  Corp\n GmbH  ")).isEqualTo("acme corp gmbh");
  }

  @Test
  void textFoldsSharpS() {
    assertThat(Normalize.text("Straße")).isEqualTo(Normalize.text("STRASSE")).isEqualTo("strasse");
  }

  @Test
  void textTreatsCompatibilityCharactersAsTheirPlainForm() {
    // NFKC: a no-break space is a space, the "ﬁ" ligature is "fi", fullwidth letters are letters.
    assertThat(Normalize.text("Acme\u00A0 ﬁnance")).isEqualTo("acme finance");
    assertThat(Normalize.text("\uFF21\uFF23\uFF2D\uFF25")).isEqualTo("acme");
  }

  @Test
  void textDistinguishesDifferentWords() {
    assertThat(Normalize.text("Müller")).isNotEqualTo(Normalize.text("Muller"));
  }

  @Test
  void textFoldsCapitalSharpS() {
    assertThat(Normalize.text("STRAẞE")).isEqualTo(Normalize.text("Straße"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\u00A0\u2003", "\n\t"})
  void blankTextIsAbsent(String value) {
    assertThat(Normalize.text(value)).isNull();
  }

  @Test
  void identifierIsOnlyTrimmed() {
    assertThat(Normalize.identifier("  Spring-Campaign_2026  ")).isEqualTo("Spring-Campaign_2026");
    assertThat(Normalize.identifier("Page A")).isEqualTo("Page A");
    assertThat(Normalize.identifier("Page-A")).isNotEqualTo(Normalize.identifier("page-a"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "\t"})
  void blankIdentifierIsAbsent(String value) {
    assertThat(Normalize.identifier(value)).isNull();
  }

  @Test
  void matchFieldsUseTheirNormalizer() {
    assertThat(MatchField.EMAIL.normalize(" A@B.IO ")).isEqualTo("a@b.io");
    assertThat(MatchField.PHONE.normalize("+1 555")).isEqualTo("1555");
    assertThat(MatchField.FIRST_NAME.normalize(" ANN ")).isEqualTo("ann");
    assertThat(MatchField.LAST_NAME.normalize("Groß")).isEqualTo("gross");
    assertThat(MatchField.COMPANY_NAME.normalize("Acme  Inc")).isEqualTo("acme inc");
    assertThat(MatchField.MARKETING_CONTEXT_ID.normalize(" Page-A ")).isEqualTo("Page-A");
  }
}
