package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** Property-style checks over random strings (a fixed seed per repetition, so failures reproduce). */
class NormalizePropertiesTest {

  private static final String INTERESTING =
      " \t\n\r\u000B\f\u00A0\u2003\u3000\u0130\u0131\u03A3\u00DF\u1E9E\uFF10\u0663@.+-()ÄÖÜäöü";

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    while (text.length() < length) {
      int codePoint = switch (random.nextInt(4)) {
        case 0 -> random.nextInt(0x80);
        case 1 -> random.nextInt(0x3000);
        case 2 -> random.nextInt(Character.MAX_CODE_POINT + 1);
        default -> INTERESTING.charAt(random.nextInt(INTERESTING.length()));
      };
      if (Character.getType(codePoint) == Character.SURROGATE) {
        continue;
      }
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  @RepeatedTest(20)
  void emailNormalizationIsIdempotent(RepetitionInfo repetition) {
    Random random = new Random(7919L * repetition.getCurrentRepetition());
    for (int i = 0; i < 5_000; i++) {
      String input = randomString(random);
      String once = Normalize.email(input);
      assertThat(Normalize.email(once)).as("email(email(%s))", escaped(input)).isEqualTo(once);
      if (once != null) {
        assertThat(once).isEqualTo(once.strip()).isNotEmpty();
      }
    }
  }

  @RepeatedTest(20)
  void phoneNormalizationKeepsOnlyAsciiDigits(RepetitionInfo repetition) {
    Random random = new Random(104729L * repetition.getCurrentRepetition());
    for (int i = 0; i < 5_000; i++) {
      String input = randomString(random);
      String digits = Normalize.phone(input);
      long digitsIn = input.codePoints().filter(Character::isDigit).count();
      if (digitsIn == 0) {
        assertThat(digits).as("phone(%s)", escaped(input)).isNull();
      } else {
        assertThat(digits).as("phone(%s)", escaped(input)).matches("[0-9]+").hasSize((int) digitsIn);
        assertThat(Normalize.phone(digits)).isEqualTo(digits);
      }
    }
  }

  private static String escaped(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7F ? Character.toString(c) : String.format("\\u{%X}", c)));
    return out.toString();
  }
}
