package io.leadcycle.scoring;

import static io.leadcycle.scoring.ModelBodies.accountModel;
import static io.leadcycle.scoring.ModelBodies.contactModel;
import static io.leadcycle.scoring.ModelBodies.faults;
import static io.leadcycle.scoring.ModelBodies.list;
import static io.leadcycle.scoring.ModelBodies.map;
import static io.leadcycle.scoring.ModelBodies.throughJson;
import static io.leadcycle.scoring.ModelBodies.titleRule;
import static io.leadcycle.scoring.ModelBodies.visitsRule;
import static io.leadcycle.scoring.ModelBodies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.domain.InteractionType;
import io.leadcycle.domain.InvalidInput;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelDefinitionTest {

  /** The model of docs/scoring.md, "Writing a model". */
  static Map<String, Object> documentedContactModel() {
    return map(
        "name", "Inbound B2B",
        "target", "contact",
        "salesReadyThreshold", 60,
        "grades", list(map("name", "C", "min", -1000, "max", 29), map("name", "B", "min", 30, "max", 59),
            map("name", "A", "min", 60, "max", 100000)),
        "minimumConsent", "marketing",
        "rules", list(
            map("id", "decision-maker", "kind", "demographic", "field", "jobTitle", "op", "in",
                "value", list("CEO", "CTO", "Head of Marketing"), "points", 20),
            map("id", "free-mail", "kind", "demographic", "field", "email", "op", "contains", "value", "@gmail.",
                "points", -10),
            map("id", "big-company", "kind", "firmographic", "field", "employeeCount", "op", "gte", "value", 250,
                "points", 15),
            map("id", "page-visits", "kind", "behavioral", "interaction", "website_visited", "frequency", "each",
                "withinDays", 30, "points", 2, "maxPoints", 20, "decayHalfLifeDays", 7),
            map("id", "webinar", "kind", "behavioral", "interaction", "event_attended", "frequency",
                "at_least_once", "contextId", "webinar-2026-q4", "points", 25),
            map("id", "gone-quiet", "kind", "behavioral", "interaction", "email_opened", "frequency", "none",
                "withinDays", 90, "points", -15)));
  }

  @Test
  void theDocumentedModelParsesToItsRecords() {
    ModelDefinition model = ModelDefinition.parse(documentedContactModel());

    assertThat(model.name()).isEqualTo("Inbound B2B");
    assertThat(model.target()).isEqualTo(ModelTarget.CONTACT);
    assertThat(model.salesReadyThreshold()).isEqualTo(60);
    assertThat(model.grades()).containsExactly(new Grade("C", -1000, 29), new Grade("B", 30, 59),
        new Grade("A", 60, 100000));
    assertThat(model.minimumConsent()).isEqualTo("marketing");
    assertThat(model.rules()).containsExactly(
        new FieldRule("decision-maker", FieldRule.Kind.DEMOGRAPHIC, "jobTitle", Op.IN,
            List.of("CEO", "CTO", "Head of Marketing"), 20),
        new FieldRule("free-mail", FieldRule.Kind.DEMOGRAPHIC, "email", Op.CONTAINS, "@gmail.", -10),
        new FieldRule("big-company", FieldRule.Kind.FIRMOGRAPHIC, "employeeCount", Op.GTE, new BigDecimal("250"), 15),
        new BehavioralRule("page-visits", InteractionType.WEBSITE_VISITED, BehavioralRule.Frequency.EACH, 30, null, 2,
            20, 7.0),
        new BehavioralRule("webinar", InteractionType.EVENT_ATTENDED, BehavioralRule.Frequency.AT_LEAST_ONCE, null,
            "webinar-2026-q4", 25, null, null),
        new BehavioralRule("gone-quiet", InteractionType.EMAIL_OPENED, BehavioralRule.Frequency.NONE, 90, null, -15,
            null, null));
  }

  @Test
  void theDocumentedAccountModelParses() {
    ModelDefinition model = ModelDefinition.parse(documentedAccountModel());
    assertThat(model.target()).isEqualTo(ModelTarget.ACCOUNT);
    assertThat(model.rules()).hasSize(5);
  }

  static Map<String, Object> documentedAccountModel() {
    return map(
        "name", "Target accounts",
        "target", "account",
        "salesReadyThreshold", 40,
        "grades", list(map("name", "cold", "min", -1000, "max", 19), map("name", "warm", "min", 20, "max", 39),
            map("name", "hot", "min", 40, "max", 100000)),
        "rules", list(
            map("id", "industry", "kind", "firmographic", "field", "industry", "op", "in",
                "value", list("Software", "Financial services"), "points", 15),
            map("id", "revenue", "kind", "firmographic", "field", "annualRevenue", "op", "gte", "value", 10000000,
                "points", 10),
            map("id", "home-market", "kind", "firmographic", "field", "country", "op", "eq", "value", "DE",
                "points", 5),
            map("id", "team-clicks", "kind", "behavioral", "interaction", "email_clicked", "frequency", "each",
                "withinDays", 30, "points", 3, "maxPoints", 15),
            map("id", "team-forms", "kind", "behavioral", "interaction", "form_submitted", "frequency", "each",
                "withinDays", 60, "points", 10, "maxPoints", 30, "decayHalfLifeDays", 14)));
  }

  @Test
  void textIsTrimmedAndOptionalMembersMayBeNull() {
    Map<String, Object> body = contactModel(map("id", " title ", "kind", "demographic", "field", " jobTitle ",
        "op", "eq", "value", "  Director ", "points", 10),
        map("id", "v", "kind", "behavioral", "interaction", "email_opened", "frequency", "each", "withinDays", null,
            "contextId", null, "points", 1, "maxPoints", null, "decayHalfLifeDays", null));
    body.put("name", "  Spaced  ");
    body.put("minimumConsent", null);

    ModelDefinition model = ModelDefinition.parse(body);

    assertThat(model.name()).isEqualTo("Spaced");
    assertThat(model.minimumConsent()).isNull();
    assertThat(model.rules().get(0)).isEqualTo(
        new FieldRule("title", FieldRule.Kind.DEMOGRAPHIC, "jobTitle", Op.EQ, "Director", 10));
    assertThat(model.rules().get(1)).isEqualTo(new BehavioralRule("v", InteractionType.EMAIL_OPENED,
        BehavioralRule.Frequency.EACH, null, null, 1, null, null));
  }

  @Test
  void everyNumberTypeIsReadAndNumbersGetOneCanonicalForm() {
    for (Object fifty : List.of(50, 50L, (short) 50, (byte) 50, 50.0, 50.0f, new BigDecimal("50.000"),
        BigInteger.valueOf(50), new BigDecimal("5E+1"))) {
      Map<String, Object> body = contactModel(
          map("id", "n", "kind", "firmographic", "field", "employeeCount", "op", "gt", "value", fifty, "points", fifty),
          map("id", "b", "kind", "behavioral", "interaction", "email_opened", "frequency", "each",
              "withinDays", fifty, "points", fifty, "maxPoints", fifty, "decayHalfLifeDays", fifty));
      body.put("salesReadyThreshold", fifty);
      ModelDefinition model = ModelDefinition.parse(body);
      assertThat(model.salesReadyThreshold()).as("%s", fifty.getClass()).isEqualTo(50);
      assertThat(model.rules()).as("%s", fifty.getClass()).containsExactly(
          new FieldRule("n", FieldRule.Kind.FIRMOGRAPHIC, "employeeCount", Op.GT, new BigDecimal("50"), 50),
          new BehavioralRule("b", InteractionType.EMAIL_OPENED, BehavioralRule.Frequency.EACH, 50, null, 50, 50, 50.0));
    }
  }

  @Test
  void aDoubleIsReadAsTheDecimalItStandsFor() {
    FieldRule rule = (FieldRule) ModelDefinition.parse(contactModel(map("id", "r", "kind", "firmographic",
        "field", "annualRevenue", "op", "in", "value", list(0.1, 0.30000000000000004, 1234567.89, -2.5e-3),
        "points", 1))).rules().get(0);

    assertThat(rule.value()).isEqualTo(List.of(new BigDecimal("0.1"), new BigDecimal("0.3"),
        new BigDecimal("1234567.89"), new BigDecimal("-0.0025")));
  }

  @Test
  void toBodyIsTheCanonicalBodyAndParsesBackToAnEqualModel() {
    ModelDefinition model = ModelDefinition.parse(documentedContactModel());

    Map<String, Object> body = model.toBody();

    assertThat(body).containsOnlyKeys("name", "target", "salesReadyThreshold", "grades", "minimumConsent", "rules");
    assertThat(body.get("rules")).asInstanceOf(InstanceOfAssertFactories.LIST).element(2).isEqualTo(map("id", "big-company", "kind", "firmographic",
        "field", "employeeCount", "op", "gte", "value", new BigDecimal("250"), "points", 15));
    assertThat(body.get("rules")).asInstanceOf(InstanceOfAssertFactories.LIST).element(4).isEqualTo(map("id", "webinar", "kind", "behavioral",
        "interaction", "event_attended", "frequency", "at_least_once", "contextId", "webinar-2026-q4", "points", 25));
    assertThat(ModelDefinition.parse(body)).isEqualTo(model);
    assertThat(ModelDefinition.parse(throughJson(body))).isEqualTo(model);
    assertThat(ModelDefinition.parse(documentedAccountModel()).toBody()).doesNotContainKey("minimumConsent");
    ModelDefinition account = ModelDefinition.parse(documentedAccountModel());
    assertThat(ModelDefinition.parse(throughJson(account.toBody()))).isEqualTo(account);
  }

  @Test
  void gradeOfFindsTheBandThatHoldsTheScore() {
    ModelDefinition model = ModelDefinition.parse(map("name", "m", "target", "contact", "salesReadyThreshold", 10,
        "grades", list(map("name", "B", "min", 10, "max", 19), map("name", "A", "min", 20, "max", 29),
            map("name", "C", "min", 0, "max", 9)),
        "rules", list(titleRule())));

    assertThat(model.gradeOf(-1)).isNull();
    assertThat(model.gradeOf(0)).isEqualTo("C");
    assertThat(model.gradeOf(9)).isEqualTo("C");
    assertThat(model.gradeOf(10)).isEqualTo("B");
    assertThat(model.gradeOf(19)).isEqualTo("B");
    assertThat(model.gradeOf(20)).isEqualTo("A");
    assertThat(model.gradeOf(29)).isEqualTo("A");
    assertThat(model.gradeOf(30)).isNull();
    assertThat(model.grades()).extracting(Grade::name).as("the user's order is kept").containsExactly("B", "A", "C");
  }

  @Test
  void aMissingBodyIsRefusedAsAWhole() {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> ModelDefinition.parse(null));
    assertThat(invalid.errors()).isEmpty();
    assertThat(invalid.getMessage()).contains("name", "rules");
  }

  @Nested
  class ModelFaults {

    @Test
    void everyRequiredMemberIsNamed() {
      assertThat(faults(map()).keySet())
          .containsExactly("name", "target", "salesReadyThreshold", "grades", "rules");
    }

    @Test
    void unknownMembersAreNamedWithTheirPath() {
      Map<String, Object> body = contactModel(with(titleRule(), "weight", 3), with(visitsRule(), "field", "x"));
      body.put("colour", "red");
      ((List<Object>) body.get("grades")).set(0, map("name", "C", "min", -1000, "max", 24, "label", "cold"));

      Map<String, String> faults = faults(body);

      assertThat(faults.keySet()).containsExactlyInAnyOrder("colour", "grades[0].label", "rules[0].weight",
          "rules[1].field");
      assertThat(faults.get("colour")).contains("unknown field", "salesReadyThreshold");
      assertThat(faults.get("rules[1].field")).contains("unknown field", "interaction", "decayHalfLifeDays");
    }

    @Test
    void nameAndTargetAreChecked() {
      assertThat(faults(with(contactModel(titleRule()), "name", "  "))).containsOnlyKeys("name");
      assertThat(faults(with(contactModel(titleRule()), "name", "x".repeat(201))).get("name")).contains("200");
      assertThat(faults(with(contactModel(titleRule()), "name", 5))).containsOnlyKeys("name");
      assertThat(faults(with(contactModel(titleRule()), "target", "lead")).get("target"))
          .isEqualTo("must be one of: contact, account");
      assertThat(faults(with(contactModel(titleRule()), "target", null)).get("target"))
          .isEqualTo("required, one of: contact, account");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.5", "0", "-5", "\"50\"", "true", "3000000000"})
    void theThresholdIsAnIntegerOfOneOrMore(String json) {
      Object value = new io.vertx.core.json.JsonArray("[" + json + "]").getValue(0);
      assertThat(faults(with(contactModel(titleRule()), "salesReadyThreshold", value)).get("salesReadyThreshold"))
          .startsWith("must be an integer, 1 or more");
    }

    @Test
    void minimumConsentIsTextAndOnlyForContactModels() {
      assertThat(ModelDefinition.parse(with(contactModel(titleRule()), "minimumConsent", " marketing "))
          .minimumConsent()).isEqualTo("marketing");
      assertThat(faults(with(contactModel(titleRule()), "minimumConsent", true))).containsOnlyKeys("minimumConsent");
      assertThat(faults(with(contactModel(titleRule()), "minimumConsent", "m".repeat(101))))
          .containsOnlyKeys("minimumConsent");
      assertThat(faults(with(accountModel(visitsRule()), "minimumConsent", "marketing")).get("minimumConsent"))
          .contains("account model", "no contact");
    }

    @Test
    void rulesAreARequiredNonEmptyListOfAtMostAHundred() {
      assertThat(faults(with(contactModel(), "rules", List.of())).get("rules")).startsWith("needs at least one rule");
      assertThat(faults(with(contactModel(), "rules", "all")).get("rules")).startsWith("must be a list of rules");
      List<Object> many = new ArrayList<>();
      for (int i = 0; i < 101; i++) {
        many.add(with(visitsRule(), "id", "r" + i));
      }
      assertThat(faults(with(contactModel(), "rules", many))).containsExactly(
          Map.entry("rules", "at most 100 rules (got 101)"));
      assertThat(ModelDefinition.parse(with(contactModel(), "rules", many.subList(0, 100))).rules()).hasSize(100);
    }
  }

  @Nested
  class GradeFaults {

    private Map<String, String> gradeFaults(Object grades) {
      return faults(with(contactModel(titleRule()), "grades", grades));
    }

    @Test
    void gradesAreARequiredNonEmptyList() {
      assertThat(gradeFaults(null).get("grades")).startsWith("required");
      assertThat(gradeFaults(List.of()).get("grades")).startsWith("needs at least one grade");
      assertThat(gradeFaults(map("name", "A")).get("grades")).startsWith("must be a list");
      List<Object> many = new ArrayList<>();
      for (int i = 0; i < 21; i++) {
        many.add(map("name", "G" + i, "min", i, "max", i));
      }
      assertThat(gradeFaults(many).get("grades")).isEqualTo("at most 20 grades (got 21)");
    }

    @Test
    void eachGradeIsNamedWithIntegerBounds() {
      Map<String, String> faults = gradeFaults(list("A", map("min", 0, "max", 9), map("name", "B", "min", 9.5,
          "max", "20"), map("name", "x".repeat(51), "min", 30, "max", 39)));

      assertThat(faults.keySet()).containsExactly("grades[0]", "grades[1].name", "grades[2].min", "grades[2].max",
          "grades[3].name");
      assertThat(faults.get("grades[2].min")).isEqualTo("must be an integer");
    }

    @Test
    void minIsAtMostMax() {
      assertThat(gradeFaults(list(map("name", "A", "min", 10, "max", 9))))
          .containsOnlyKeys("grades[0].max");
      assertThat(ModelDefinition.parse(with(contactModel(titleRule()), "grades", list(map("name", "A", "min", 10,
          "max", 10)))).gradeOf(10)).isEqualTo("A");
    }

    @Test
    void namesAreUniqueIgnoringCase() {
      assertThat(gradeFaults(list(map("name", "A", "min", 0, "max", 9), map("name", " a", "min", 10, "max", 19)))
          .get("grades[1].name")).contains("grades[0]", "unique");
    }

    @Test
    void gapsAreNamedAtTheGradeAfterTheGap() {
      Map<String, String> faults = gradeFaults(list(map("name", "A", "min", 20, "max", 29),
          map("name", "C", "min", 0, "max", 9), map("name", "B", "min", 11, "max", 19)));

      assertThat(faults).containsOnlyKeys("grades[2].min");
      assertThat(faults.get("grades[2].min")).contains("gap", "'C'", "grades[1]", "ends at 9", "must be 10");
    }

    @Test
    void overlapsAreNamedAtTheLaterGrade() {
      Map<String, String> faults = gradeFaults(list(map("name", "C", "min", 0, "max", 10),
          map("name", "B", "min", 10, "max", 19), map("name", "A", "min", 15, "max", 29)));

      assertThat(faults).containsOnlyKeys("grades[1].min", "grades[2].min");
      assertThat(faults.get("grades[1].min")).contains("overlaps", "'C'", "must be 11");
      assertThat(faults.get("grades[2].min")).contains("overlaps", "'B'", "must be 20");
    }

    @Test
    void bandsMayReachTheEndsOfTheIntegers() {
      ModelDefinition model = ModelDefinition.parse(with(contactModel(titleRule()), "grades", list(
          map("name", "low", "min", Integer.MIN_VALUE, "max", -1), map("name", "high", "min", 0, "max",
              Integer.MAX_VALUE))));
      assertThat(model.gradeOf(Integer.MIN_VALUE)).isEqualTo("low");
      assertThat(model.gradeOf(Integer.MAX_VALUE)).isEqualTo("high");
      assertThat(gradeFaults(list(map("name", "A", "min", 0, "max", 3_000_000_000L)))).containsOnlyKeys(
          "grades[0].max");
    }
  }

  @Nested
  class RuleFaults {

    private Map<String, String> ruleFaults(Object... rules) {
      return faults(contactModel(rules));
    }

    @Test
    void aRuleIsAnObjectWithAnIdAndAKind() {
      Map<String, String> faults = ruleFaults("title", map("kind", "demographic", "field", "jobTitle", "op",
          "exists", "points", 1), map("id", "a b", "kind", "behavioural", "points", 1), map("id", "x".repeat(101),
          "kind", "behavioral", "interaction", "email_opened", "frequency", "each", "points", 1));

      assertThat(faults.keySet()).containsExactly("rules[0]", "rules[1].id", "rules[2].id", "rules[2].kind",
          "rules[3].id");
      assertThat(faults.get("rules[2].kind")).isEqualTo("must be one of: demographic, firmographic, behavioral");
      assertThat(faults.get("rules[2].id")).contains("letters, digits");
    }

    @Test
    void ruleIdsAreUnique() {
      assertThat(ruleFaults(titleRule(), visitsRule(), with(visitsRule(), "id", "title")))
          .containsExactly(Map.entry("rules[2].id", "rule ids must be unique: rules[0] has id 'title' too"));
    }

    @Test
    void pointsAreARequiredIntegerWithinAMillion() {
      assertThat(ruleFaults(with(titleRule(), "points", null))).containsOnlyKeys("rules[0].points");
      assertThat(ruleFaults(with(titleRule(), "points", 1.5))).containsOnlyKeys("rules[0].points");
      assertThat(ruleFaults(with(titleRule(), "points", "10"))).containsOnlyKeys("rules[0].points");
      assertThat(ruleFaults(with(visitsRule(), "points", 1_000_001))).containsOnlyKeys("rules[0].points");
      assertThat(ruleFaults(with(visitsRule(), "points", -1_000_001))).containsOnlyKeys("rules[0].points");
      assertThat(ModelDefinition.parse(contactModel(with(titleRule(), "points", -1_000_000))).rules().get(0).points())
          .isEqualTo(-1_000_000);
      assertThat(ModelDefinition.parse(contactModel(with(titleRule(), "points", 0))).rules().get(0).points())
          .isZero();
    }

    @Test
    void fieldsComeFromTheFixedLists() {
      Map<String, String> faults = ruleFaults(
          with(titleRule(), "field", "industry"),
          map("id", "f", "kind", "firmographic", "field", "jobTitle", "op", "exists", "points", 1),
          map("id", "a", "kind", "demographic", "field", "attributes.1st", "op", "exists", "points", 1),
          map("id", "b", "kind", "demographic", "field", "email_norm", "op", "exists", "points", 1),
          map("id", "c", "kind", "demographic", "field", null, "op", "exists", "points", 1));

      assertThat(faults.keySet()).containsExactly("rules[0].field", "rules[1].field", "rules[2].field",
          "rules[3].field", "rules[4].field");
      assertThat(faults.get("rules[0].field")).contains("not a contact field", "jobTitle", "attributes.<name>",
          "use kind firmographic");
      assertThat(faults.get("rules[1].field")).contains("not an account field", "employeeCount",
          "use kind demographic");
      assertThat(faults.get("rules[2].field")).contains("start with a letter");
      assertThat(faults.get("rules[4].field")).startsWith("required: demographic rules use one of: email, ");
    }

    @Test
    void everyDocumentedFieldIsAccepted() {
      List<Object> rules = new ArrayList<>();
      for (String field : List.of("email", "firstName", "lastName", "phone", "companyName", "jobTitle", "country",
          "attributes.budget", "attributes.Lead_Source.v2")) {
        rules.add(map("id", "d-" + field, "kind", "demographic", "field", field, "op", "exists", "points", 1));
      }
      for (String field : List.of("name", "domain", "industry", "employeeCount", "annualRevenue", "country")) {
        rules.add(map("id", "f-" + field, "kind", "firmographic", "field", field, "op", "exists", "points", 1));
      }
      assertThat(ModelDefinition.parse(contactModel(rules.toArray())).rules()).hasSize(15);
    }

    @Test
    void opsAreKnownAndFitTheFieldsType() {
      Map<String, String> faults = ruleFaults(
          with(titleRule(), "op", "like"),
          map("id", "t", "kind", "demographic", "field", "jobTitle", "op", "gt", "value", 3, "points", 1),
          map("id", "n", "kind", "firmographic", "field", "employeeCount", "op", "contains", "value", "1",
              "points", 1),
          map("id", "e", "kind", "demographic", "field", "email", "op", "lte", "value", 3, "points", 1));

      assertThat(faults.keySet()).containsExactly("rules[0].op", "rules[1].op", "rules[2].op", "rules[3].op");
      assertThat(faults.get("rules[0].op")).isEqualTo("must be one of: eq, neq, contains, in, gt, gte, lt, lte, exists");
      assertThat(faults.get("rules[1].op")).contains("compares numbers", "jobTitle is text");
      assertThat(faults.get("rules[2].op")).contains("employeeCount is a number");
    }

    @Test
    void valuesFitTheOpAndTheFieldsType() {
      Map<String, String> faults = ruleFaults(
          map("id", "a", "kind", "demographic", "field", "jobTitle", "op", "eq", "points", 1),
          map("id", "b", "kind", "demographic", "field", "jobTitle", "op", "eq", "value", 5, "points", 1),
          map("id", "c", "kind", "demographic", "field", "jobTitle", "op", "exists", "value", "x", "points", 1),
          map("id", "d", "kind", "firmographic", "field", "employeeCount", "op", "gte", "value", "250", "points", 1),
          map("id", "e", "kind", "demographic", "field", "attributes.budget", "op", "lt", "value", "ten",
              "points", 1),
          map("id", "f", "kind", "demographic", "field", "attributes.budget", "op", "contains", "value", 10,
              "points", 1),
          map("id", "g", "kind", "demographic", "field", "jobTitle", "op", "contains", "value", "   ", "points", 1),
          map("id", "h", "kind", "demographic", "field", "phone", "op", "eq", "value", "n/a", "points", 1),
          map("id", "i", "kind", "firmographic", "field", "annualRevenue", "op", "gt", "value",
              new BigDecimal("1234567890.123456"), "points", 1),
          map("id", "j", "kind", "firmographic", "field", "annualRevenue", "op", "gt", "value", 1e19, "points", 1),
          map("id", "k", "kind", "demographic", "field", "jobTitle", "op", "eq", "value", "x".repeat(2001),
              "points", 1),
          map("id", "l", "kind", "demographic", "field", "jobTitle", "op", "eq", "value", list("a"), "points", 1),
          map("id", "m", "kind", "firmographic", "field", "employeeCount", "op", "eq", "value", Double.NaN,
              "points", 1));

      assertThat(faults.keySet()).containsExactly("rules[0].value", "rules[1].value", "rules[2].value",
          "rules[3].value", "rules[4].value", "rules[5].value", "rules[6].value", "rules[7].value", "rules[8].value",
          "rules[9].value", "rules[10].value", "rules[11].value", "rules[12].value");
      assertThat(faults.get("rules[0].value")).isEqualTo("required for eq: non-empty text (2000 characters at most)");
      assertThat(faults.get("rules[1].value")).isEqualTo("must be non-empty text (2000 characters at most)");
      assertThat(faults.get("rules[2].value")).contains("exists takes no value");
      assertThat(faults.get("rules[3].value")).contains("must be a number", "15 significant digits");
      assertThat(faults.get("rules[4].value")).contains("must be a number");
      assertThat(faults.get("rules[5].value")).contains("must be non-empty text");
      assertThat(faults.get("rules[7].value")).contains("digits");
    }

    @Test
    void attributesTakeTextOrNumbers() {
      ModelDefinition model = ModelDefinition.parse(contactModel(
          map("id", "a", "kind", "demographic", "field", "attributes.budget", "op", "eq", "value", 10, "points", 1),
          map("id", "b", "kind", "demographic", "field", "attributes.budget", "op", "eq", "value", "ten",
              "points", 1),
          map("id", "c", "kind", "demographic", "field", "attributes.budget", "op", "in",
              "value", list("ten", 10.5), "points", 1)));
      assertThat(model.rules()).extracting(r -> ((FieldRule) r).value())
          .containsExactly(new BigDecimal("10"), "ten", List.of("ten", new BigDecimal("10.5")));
    }

    @Test
    void inTakesAListOfOneToAHundredValuesEachChecked() {
      List<Object> hundredOne = new ArrayList<>();
      for (int i = 0; i < 101; i++) {
        hundredOne.add("v" + i);
      }
      Map<String, String> faults = ruleFaults(
          map("id", "a", "kind", "demographic", "field", "country", "op", "in", "value", "DE", "points", 1),
          map("id", "b", "kind", "demographic", "field", "country", "op", "in", "value", List.of(), "points", 1),
          map("id", "c", "kind", "demographic", "field", "country", "op", "in", "value", hundredOne, "points", 1),
          map("id", "d", "kind", "demographic", "field", "country", "op", "in", "value", list("DE", 49, null, " "),
              "points", 1),
          map("id", "e", "kind", "firmographic", "field", "employeeCount", "op", "in", "value", list(10, "20"),
              "points", 1),
          map("id", "f", "kind", "demographic", "field", "country", "op", "in", "points", 1));

      assertThat(faults.keySet()).containsExactly("rules[0].value", "rules[1].value", "rules[2].value",
          "rules[3].value[1]", "rules[3].value[2]", "rules[3].value[3]", "rules[4].value[1]", "rules[5].value");
      assertThat(faults.get("rules[2].value")).contains("1 to 100", "got 101");
    }

    @Test
    void demographicRulesAreForContactModels() {
      assertThat(faults(accountModel(titleRule(), visitsRule())).get("rules[0].kind"))
          .contains("account model", "firmographic or behavioral");
    }

    @Test
    void behavioralRulesNameAKnownInteractionAndFrequency() {
      Map<String, String> faults = ruleFaults(
          with(visitsRule(), "interaction", "page_viewed"),
          with(with(visitsRule(), "id", "b"), "frequency", null),
          with(with(visitsRule(), "id", "c"), "frequency", "twice"));

      assertThat(faults.keySet()).containsExactly("rules[0].interaction", "rules[1].frequency", "rules[2].frequency");
      assertThat(faults.get("rules[0].interaction")).isEqualTo("must be one of: email_opened, email_clicked, "
          + "form_submitted, website_visited, event_registered, event_attended, linkedin_form_submitted");
      assertThat(faults.get("rules[1].frequency")).isEqualTo("required, one of: each, at_least_once, none");
    }

    @Test
    void withinDaysIsAnIntegerFromOneTo3650() {
      for (Object bad : list(0, 3651, 1.5, "7", -1)) {
        assertThat(ruleFaults(with(visitsRule(), "withinDays", bad))).as("%s", bad)
            .containsExactly(Map.entry("rules[0].withinDays", "must be an integer from 1 to 3650 (days back from now)"));
      }
      for (int good : new int[] {1, 3650}) {
        assertThat(((BehavioralRule) ModelDefinition.parse(contactModel(with(visitsRule(), "withinDays", good)))
            .rules().get(0)).withinDays()).isEqualTo(good);
      }
    }

    @Test
    void contextIdIsText() {
      assertThat(ruleFaults(with(visitsRule(), "contextId", " "))).containsOnlyKeys("rules[0].contextId");
      assertThat(ruleFaults(with(visitsRule(), "contextId", 5))).containsOnlyKeys("rules[0].contextId");
      assertThat(ruleFaults(with(visitsRule(), "contextId", "c".repeat(201)))).containsOnlyKeys("rules[0].contextId");
    }

    @Test
    void maxPointsHasTheSignOfPointsAndIsForEachOnly() {
      Map<String, String> faults = ruleFaults(
          with(visitsRule(), "maxPoints", -10),
          with(with(with(visitsRule(), "id", "b"), "points", -2), "maxPoints", 10),
          with(with(with(visitsRule(), "id", "c"), "points", 0), "maxPoints", 10),
          with(with(with(visitsRule(), "id", "d"), "maxPoints", 0), "points", 3),
          with(with(with(visitsRule(), "id", "e"), "frequency", "at_least_once"), "maxPoints", 10),
          with(with(with(visitsRule(), "id", "f"), "frequency", "none"), "maxPoints", 10),
          with(with(visitsRule(), "id", "g"), "maxPoints", 2.5));

      assertThat(faults.keySet()).containsExactly("rules[0].maxPoints", "rules[1].maxPoints", "rules[2].maxPoints",
          "rules[3].maxPoints", "rules[4].maxPoints", "rules[5].maxPoints", "rules[6].maxPoints");
      assertThat(faults.get("rules[0].maxPoints")).contains("same sign as points (2)");
      assertThat(faults.get("rules[2].maxPoints")).contains("nothing to cap");
      assertThat(faults.get("rules[4].maxPoints")).contains("only for frequency each", "at_least_once");
      assertThat(ModelDefinition.parse(contactModel(with(with(visitsRule(), "points", -2), "maxPoints", -10)))
          .rules().get(0)).extracting(r -> ((BehavioralRule) r).maxPoints()).isEqualTo(-10);
    }

    @Test
    void decayHalfLifeIsPositiveAtMost3650DaysAndNotForNone() {
      Map<String, String> faults = ruleFaults(
          with(visitsRule(), "decayHalfLifeDays", 0),
          with(with(visitsRule(), "id", "b"), "decayHalfLifeDays", -7),
          with(with(visitsRule(), "id", "c"), "decayHalfLifeDays", 3650.5),
          with(with(visitsRule(), "id", "d"), "decayHalfLifeDays", "7"),
          with(with(with(visitsRule(), "id", "e"), "frequency", "none"), "decayHalfLifeDays", 7));

      assertThat(faults.keySet()).containsExactly("rules[0].decayHalfLifeDays", "rules[1].decayHalfLifeDays",
          "rules[2].decayHalfLifeDays", "rules[3].decayHalfLifeDays", "rules[4].decayHalfLifeDays");
      assertThat(faults.get("rules[4].decayHalfLifeDays")).contains("none", "leave decayHalfLifeDays out");
      assertThat(((BehavioralRule) ModelDefinition.parse(contactModel(with(with(visitsRule(), "frequency",
          "at_least_once"), "decayHalfLifeDays", 0.5))).rules().get(0)).decayHalfLifeDays()).isEqualTo(0.5);
    }

    @Test
    void oneRuleWithSeveralFaultsGetsOneEntryForEach() {
      Map<String, String> faults = ruleFaults(map("id", "x", "kind", "behavioral", "interaction", "call",
          "frequency", "each", "withinDays", 0, "points", 5, "maxPoints", -5, "decayHalfLifeDays", 0, "op", "eq"));

      assertThat(faults.keySet()).containsExactlyInAnyOrder("rules[0].op", "rules[0].interaction",
          "rules[0].withinDays", "rules[0].maxPoints", "rules[0].decayHalfLifeDays");
    }
  }
}
