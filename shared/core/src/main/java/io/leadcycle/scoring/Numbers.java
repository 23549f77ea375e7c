package io.leadcycle.scoring;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Numbers as models and facts carry them. A model is stored as JSON and read back through a JSON
 * parser that may turn any number into a {@code Double}, so a rule's number is kept to what a double
 * carries exactly (15 significant digits) and in one canonical form (no trailing zeros, no negative
 * scale), which makes {@code parse(toBody())} give back an equal model whatever the parser does.
 */
final class Numbers {

  static final int MAX_SIGNIFICANT_DIGITS = 15;
  static final int MAX_DECIMAL_PLACES = 10;
  static final BigDecimal MAX_MAGNITUDE = new BigDecimal("1e18");

  /** What a fact's text must look like to be read as a number: plain decimal notation, an optional exponent. */
  private static final Pattern NUMBER_TEXT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");

  private static final MathContext DOUBLE_DIGITS = new MathContext(MAX_SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);

  private Numbers() {
  }

  /**
   * A JSON number as an exact decimal; null for anything else (text, booleans, NaN, infinities). A
   * double is read as the 15-digit decimal it stands for (0.1, not 0.1000000000000000055...).
   */
  static BigDecimal decimal(Object raw) {
    if (!(raw instanceof Number n)) {
      return null;
    }
    try {
      if (n instanceof Double || n instanceof Float) {
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
          return null;
        }
        return n instanceof Float ? new BigDecimal(n.toString()) : new BigDecimal(d).round(DOUBLE_DIGITS);
      }
      if (n instanceof BigDecimal b) {
        return b;
      }
      if (n instanceof BigInteger b) {
        return new BigDecimal(b);
      }
      return new BigDecimal(n.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An integral number within [min, max] as a long; null when {@code raw} is not one. */
  static Long integer(Object raw, long min, long max) {
    BigDecimal value = decimal(raw);
    if (value == null) {
      return null;
    }
    try {
      BigInteger whole = value.toBigIntegerExact();
      if (whole.bitLength() > 62) {
        return null;
      }
      long v = whole.longValue();
      return v < min || v > max ? null : v;
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /**
   * A rule's comparison value in canonical form, or null when it is not a number a model may hold
   * (see {@link #RULE_NUMBER_RULE}).
   */
  static BigDecimal ruleNumber(Object raw) {
    BigDecimal value = decimal(raw);
    if (value == null || value.abs().compareTo(MAX_MAGNITUDE) > 0) {
      return null;
    }
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    if (stripped.precision() > MAX_SIGNIFICANT_DIGITS || stripped.scale() > MAX_DECIMAL_PLACES) {
      return null;
    }
    return canonical(stripped);
  }

  static final String RULE_NUMBER_RULE = "a number from -10^18 to 10^18 with at most " + MAX_SIGNIFICANT_DIGITS
      + " significant digits and " + MAX_DECIMAL_PLACES + " decimal places";

  static BigDecimal canonical(BigDecimal value) {
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /**
   * A fact's value as a number: a (finite) Number, or text in plain decimal notation ({@code "12"},
   * {@code "-3.5"}, {@code "1e3"}; not {@code "1,000"} or {@code "ten"}). Null otherwise.
   */
  static BigDecimal factNumber(Object value) {
    if (value instanceof Number) {
      return decimal(value);
    }
    if (value instanceof String text) {
      String t = text.strip();
      if (NUMBER_TEXT.matcher(t).matches()) {
        try {
          return new BigDecimal(t);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
