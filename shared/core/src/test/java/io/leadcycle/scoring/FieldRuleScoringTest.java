package io.leadcycle.scoring;

import static io.leadcycle.scoring.ModelBodies.contactModel;
import static io.leadcycle.scoring.ModelBodies.list;
import static io.leadcycle.scoring.ModelBodies.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op on every type of field: text (normalized and case-folded), email, phone (digits), domain,
 * numbers, attributes compared as text or as numbers; and every op on a missing value.
 */
class FieldRuleScoringTest {

  /** A field that is not in the facts at all. */
  private static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "(absent)";
    }
  };

  /** Whether a one-rule model's rule fires on a lead whose field holds {@code fact}; checks the points too. */
  static boolean fires(String kind, String field, String op, Object value, Object fact) {
    Map<String, Object> rule = map("id", "r", "kind", kind, "field", field, "op", op, "points", 7);
    if (value != null) {
      rule.put("value", value);
    }
    ModelDefinition model = ModelDefinition.parse(contactModel(rule));
    Map<String, Object> fields = new HashMap<>();
    if (fact != ABSENT) {
      fields.put(field, fact);
    }
    Facts facts = kind.equals("demographic") ? new Facts(fields, null, Map.of(), Map.of())
        : new Facts(Map.of(), null, fields, Map.of());
    ScoreResult result = ScoringEngine.score(model, facts);
    RuleResult explanation = result.explanation().get(0);
    boolean fired = explanation.occurrences() == 1;
    assertThat(explanation.points()).isEqualTo(fired ? 7.0 : 0.0);
    assertThat(result.score()).isEqualTo(fired ? 7 : 0);
    return fired;
  }

  static Arguments c(String kind, String field, String op, Object value, Object fact, boolean expected) {
    return Arguments.of(kind, field, op, value, fact, expected);
  }

  static Arguments d(String field, String op, Object value, Object fact, boolean expected) {
    return c("demographic", field, op, value, fact, expected);
  }

  static Arguments f(String field, String op, Object value, Object fact, boolean expected) {
    return c("firmographic", field, op, value, fact, expected);
  }

  static Stream<Arguments> presentValues() {
    return Stream.of(
        // text: trimmed, whitespace collapsed, case-folded (Normalize.text)
        d("jobTitle", "eq", "Head of Sales", "  head OF   sales ", true),
        d("jobTitle", "eq", "Head of Sales", "Head of Sales EMEA", false),
        d("lastName", "eq", "Straße", "STRASSE", true),
        d("jobTitle", "neq", "Intern", "CEO", true),
        d("jobTitle", "neq", "Intern", " INTERN ", false),
        d("jobTitle", "contains", "director", "Marketing Director, EMEA", true),
        d("jobTitle", "contains", "Director", "Manager", false),
        d("jobTitle", "contains", "head  of", "Head of Sales", true),
        d("country", "in", list("DE", "AT", "CH"), "at", true),
        d("country", "in", list("DE", "AT", "CH"), "FR", false),
        d("companyName", "exists", null, "Acme", true),
        f("industry", "eq", "Software", "software", true),
        f("name", "contains", "gmbh", "Acme GmbH", true),
        f("country", "neq", "DE", "de", false),
        // email: trimmed, lower-cased
        d("email", "eq", "Ada@Example.com", " ada@EXAMPLE.com ", true),
        d("email", "contains", "@Gmail.", "someone@gmail.com", true),
        d("email", "contains", "@gmail.", "someone@example.com", false),
        d("email", "neq", "ada@example.com", "bob@example.com", true),
        d("email", "in", list("a@x.io", "B@X.IO"), "b@x.io", true),
        d("email", "exists", null, "a@x.io", true),
        // phone: digits only
        d("phone", "eq", "+49 30 1234", "(49) 30-1234", true),
        d("phone", "eq", "+49 30 1234", "+49 30 12345", false),
        d("phone", "contains", "+49", "0049 30 555", true),
        d("phone", "neq", "030 1234", "030 9999", true),
        d("phone", "in", list("111", "222"), "2-2-2", true),
        d("phone", "exists", null, "+1 555", true),
        // domain: lower-cased, without www. and a trailing dot
        f("domain", "eq", "example.com", "WWW.Example.com.", true),
        f("domain", "contains", ".de", "shop.example.de", true),
        f("domain", "in", list("a.io", "b.io"), "www.b.io", true),
        f("domain", "neq", "example.com", "www.example.com", false),
        // numbers (the account's employeeCount, annualRevenue), however they are given
        f("employeeCount", "eq", 250, 250, true),
        f("employeeCount", "eq", 250, 250L, true),
        f("employeeCount", "eq", 250, 250.0, true),
        f("employeeCount", "eq", 250, new BigDecimal("250.00"), true),
        f("employeeCount", "eq", 250, "250", true),
        f("employeeCount", "eq", 250, 251, false),
        f("employeeCount", "neq", 250, 251, true),
        f("employeeCount", "neq", 250, 250, false),
        f("employeeCount", "in", list(10, 250), 250, true),
        f("employeeCount", "in", list(10, 250), 11, false),
        f("employeeCount", "gt", 250, 251, true),
        f("employeeCount", "gt", 250, 250, false),
        f("employeeCount", "gte", 250, 250, true),
        f("employeeCount", "gte", 250, 249, false),
        f("employeeCount", "lt", 250, 249, true),
        f("employeeCount", "lt", 250, 250, false),
        f("employeeCount", "lte", 250, 250, true),
        f("employeeCount", "lte", 250, 251, false),
        f("employeeCount", "exists", null, 0, true),
        f("annualRevenue", "gte", 1000000.5, new BigDecimal("1000000.50"), true),
        f("annualRevenue", "gte", 1000000.5, new BigDecimal("1000000.49"), false),
        f("annualRevenue", "lt", -0.5, new BigDecimal("-1"), true),
        // a value of the wrong type never fires, neq included (exists sees a value)
        f("employeeCount", "eq", 250, "many", false),
        f("employeeCount", "neq", 250, "many", false),
        f("employeeCount", "gt", 250, "many", false),
        f("employeeCount", "in", list(1, 2), "many", false),
        f("employeeCount", "gte", 1, Double.NaN, false),
        f("employeeCount", "exists", null, "many", true),
        // attributes: text ...
        d("attributes.source", "eq", "Partner", "partner", true),
        d("attributes.source", "neq", "partner", "Customer", true),
        d("attributes.source", "contains", "web", "Webinar signup", true),
        d("attributes.source", "in", list("ads", "partner"), " PARTNER", true),
        d("attributes.source", "exists", null, "x", true),
        d("attributes.budget", "eq", "10", "10.0", false),
        // ... or numbers, when the rule's value is a number and the attribute reads as one
        d("attributes.budget", "eq", 10, "10.0", true),
        d("attributes.budget", "eq", 10, " 1e1 ", true),
        d("attributes.budget", "eq", 10, "ten", false),
        d("attributes.budget", "neq", 10, "11", true),
        d("attributes.budget", "neq", 10, "ten", false),
        d("attributes.budget", "neq", 10, "10", false),
        d("attributes.budget", "gt", 1000, "1500", true),
        d("attributes.budget", "gt", 1000, "1,500", false),
        d("attributes.budget", "gt", 1000, "1e4", true),
        d("attributes.budget", "gt", 1000, "1000", false),
        d("attributes.budget", "gte", 5, " 5 ", true),
        d("attributes.budget", "lt", 0, "-3", true),
        d("attributes.budget", "lt", 0, "+3", false),
        d("attributes.budget", "lte", 0.5, ".5", true),
        d("attributes.budget", "lte", 0.5, "0.51", false),
        d("attributes.budget", "in", list("ten", 10), "10.00", true),
        d("attributes.budget", "in", list("ten", 10), "TEN", true),
        d("attributes.budget", "in", list("ten", 10), "11", false),
        d("attributes.budget", "exists", null, "0", true),
        d("attributes.visits", "gte", 3, 3, true));
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} on {4}: {5}")
  @MethodSource("presentValues")
  void anOpOnAPresentValue(String kind, String field, String op, Object value, Object fact, boolean expected) {
    assertThat(fires(kind, field, op, value, fact)).isEqualTo(expected);
  }

  /** Every field type with every op it takes, and a value for it. */
  static List<Arguments> rulesOfEveryTypeAndOp() {
    List<Arguments> rules = new ArrayList<>();
    Object[][] fields = {
        {"demographic", "jobTitle", "Director"},
        {"demographic", "email", "a@x.io"},
        {"demographic", "phone", "+49 30 1"},
        {"demographic", "attributes.source", "web"},
        {"demographic", "attributes.budget", 10},
        {"firmographic", "domain", "example.com"},
        {"firmographic", "industry", "Software"},
        {"firmographic", "employeeCount", 250},
        {"firmographic", "annualRevenue", 1000.5},
    };
    for (Object[] field : fields) {
      boolean number = field[2] instanceof Number;
      boolean textField = !field[1].equals("employeeCount") && !field[1].equals("annualRevenue");
      for (Op op : Op.values()) {
        boolean numeric = op == Op.GT || op == Op.GTE || op == Op.LT || op == Op.LTE;
        if ((numeric && !number) || (op == Op.CONTAINS && (number || !textField))) {
          continue;
        }
        Object value = switch (op) {
          case EXISTS -> null;
          case IN -> list(field[2]);
          default -> field[2];
        };
        rules.add(Arguments.of(field[0], field[1], op.wireName(), value));
      }
    }
    return rules;
  }

  static Stream<Arguments> missingValues() {
    List<Arguments> cases = new ArrayList<>();
    for (Arguments rule : rulesOfEveryTypeAndOp()) {
      for (Object missing : list(ABSENT, null, "", "   ", "\t\n")) {
        Object[] a = rule.get();
        cases.add(Arguments.of(a[0], a[1], a[2], a[3], missing));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} on {4}")
  @MethodSource("missingValues")
  void noOpFiresOnAMissingValue(String kind, String field, String op, Object value, Object missing) {
    assertThat(fires(kind, field, op, value, missing)).isFalse();
  }

  @Test
  void theMatrixCoversEveryOpAndEveryType() {
    assertThat(rulesOfEveryTypeAndOp()).extracting(a -> a.get()[2]).containsAll(
        Stream.of(Op.values()).map(Op::wireName).toList());
    // six text-like fields take 5 ops each, three number-valued ones 8 each
    assertThat(rulesOfEveryTypeAndOp()).hasSize(6 * 5 + 3 * 8);
  }

  @Test
  void aPhoneWithoutDigitsIsMissing() {
    assertThat(fires("demographic", "phone", "exists", null, "n/a")).isFalse();
    assertThat(fires("demographic", "phone", "neq", "123", "unknown")).isFalse();
  }

  @Test
  void demographicRulesReadTheContactAndFirmographicRulesTheAccount() {
    ModelDefinition model = ModelDefinition.parse(contactModel(
        map("id", "d", "kind", "demographic", "field", "country", "op", "eq", "value", "DE", "points", 1),
        map("id", "f", "kind", "firmographic", "field", "country", "op", "eq", "value", "DE", "points", 10)));

    assertThat(ScoringEngine.score(model, new Facts(Map.of("country", "DE"), null, Map.of(), Map.of())).score())
        .isEqualTo(1);
    assertThat(ScoringEngine.score(model, new Facts(Map.of(), null, Map.of("country", "DE"), Map.of())).score())
        .isEqualTo(10);
    assertThat(ScoringEngine.score(model, new Facts(null, null, null, null)).score()).isZero();
  }
}
