package io.leadcycle.scoring;

/** The comparisons a field rule may make (docs/scoring.md says what each means per type). */
public enum Op {
  EQ("eq"), NEQ("neq"), CONTAINS("contains"), IN("in"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), EXISTS("exists");

  private final String wireName;

  Op(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static java.util.Optional<Op> fromWireName(String name) {
    return java.util.Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
  }
}
