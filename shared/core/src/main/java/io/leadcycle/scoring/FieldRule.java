package io.leadcycle.scoring;

/**
 * A demographic rule (a contact field, {@code attributes.<name>} included) or a firmographic one (an
 * account field): {@code points} when the field's value satisfies {@code op value}.
 *
 * @param value the comparison value as validated: a String, a java.math.BigDecimal, a List of those
 *     ({@code in}), or null ({@code exists})
 */
public record FieldRule(String id, Kind kind, String field, Op op, Object value, int points) implements Rule {

  public enum Kind {
    DEMOGRAPHIC("demographic"),
    FIRMOGRAPHIC("firmographic");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static java.util.Optional<Kind> fromWireName(String name) {
      return java.util.Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
    }
  }
}
