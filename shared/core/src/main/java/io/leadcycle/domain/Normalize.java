package io.leadcycle.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How two values are compared when matching: an email is trimmed and lower-cased, a phone number
 * keeps only its digits, other text is trimmed, has its inner whitespace collapsed and is case-folded.
 * A value that normalizes to nothing is absent ({@code null}).
 */
public final class Normalize {

  // Compiled once: String.replaceAll compiles its pattern on every call, and intake normalizes every field.
  private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");

  private Normalize() {
  }

  public static String email(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    return v.isEmpty() ? null : v;
  }

  public static String phone(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder digits = new StringBuilder(value.length());
    value.codePoints().filter(Character::isDigit)
        .map(c -> Character.forDigit(Character.digit(c, 10), 10))
        .forEach(digits::appendCodePoint);
    return digits.length() == 0 ? null : digits.toString();
  }

  public static String text(String value) {
    if (value == null) {
      return null;
    }
    String v = Normalizer.normalize(value, Normalizer.Form.NFKC).strip();
    v = WHITESPACE_RUN.matcher(v).replaceAll(" ");
    if (v.isEmpty()) {
      return null;
    }
    // Upper then lower approximates Unicode case folding ("Straße" and "STRASSE" compare equal).
    // The capital sharp s has no upper-case expansion, so it is folded by hand.
    return v.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT).replace("ß", "ss");
  }

  /**
   * A web domain as accounts are matched on it: trimmed, lower-cased, without a leading {@code www.}
   * or a trailing dot. Null when nothing is left.
   */
  public static String domain(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    while (v.endsWith(".")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.startsWith("www.")) {
      v = v.substring(4);
    }
    return v.isEmpty() ? null : v;
  }

  /** The normalized domain of an email address (after its last '@'); null without one. */
  public static String emailDomain(String email) {
    if (email == null) {
      return null;
    }
    int at = email.lastIndexOf('@');
    return at < 0 ? null : domain(email.substring(at + 1));
  }

  /** Ids (of forms, events, campaigns) are compared exactly, only trimmed. */
  public static String identifier(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.strip();
  }
}
