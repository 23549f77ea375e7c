package io.leadcycle.scoring;

import io.leadcycle.domain.Normalize;

import io.leadcycle.domain.InteractionType;
import io.leadcycle.scoring.BehavioralRule.Frequency;
import io.leadcycle.scoring.RuleFields.ValueType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Valid models and lead facts for jqwik properties. Texts, numbers and contexts come from the given
 * arbitraries, so that the engine's properties can draw rules and facts from one small vocabulary (and
 * rules fire), while the round trip draws from anything.
 */
final class ScoringArbitraries {

  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  /** The interaction types the engine properties use: few, so that rules see interactions. */
  static final List<InteractionType> TYPES =
      List.of(InteractionType.WEBSITE_VISITED, InteractionType.EMAIL_CLICKED, InteractionType.FORM_SUBMITTED);

  private final Arbitrary<String> texts;
  private final Arbitrary<BigDecimal> numbers;
  private final Arbitrary<String> contexts;
  private final Arbitrary<InteractionType> types;

  ScoringArbitraries(Arbitrary<String> texts, Arbitrary<BigDecimal> numbers, Arbitrary<String> contexts,
      Arbitrary<InteractionType> types) {
    this.texts = texts;
    this.numbers = numbers;
    this.contexts = contexts;
    this.types = types;
  }

  /** Anything a model may hold. */
  static ScoringArbitraries anything() {
    Arbitrary<String> texts = Arbitraries.strings().ofMinLength(1).ofMaxLength(30).map(String::strip)
        .filter(s -> !s.isEmpty() && storable(s));
    Arbitrary<BigDecimal> numbers = Arbitraries.oneOf(
        Arbitraries.integers().between(-1_000_000, 1_000_000).map(BigDecimal::valueOf),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e9"), new BigDecimal("1e9")).ofScale(4),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e14"), new BigDecimal("1e14")).ofScale(0),
        Arbitraries.bigDecimals().between(new BigDecimal("-1"), new BigDecimal("1")).ofScale(10),
        Arbitraries.of(new BigDecimal("1e18"), new BigDecimal("-1e18"), new BigDecimal("0.1"),
            new BigDecimal("123456789012345"), new BigDecimal("0.0000000001")));
    return new ScoringArbitraries(texts, numbers.map(Numbers::canonical).filter(n -> Numbers.ruleNumber(n) != null),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(40).map(String::strip)
            .filter(s -> !s.isEmpty() && storable(s)),
        Arbitraries.of(InteractionType.values()));
  }

  /** Text a request may carry at all: no NUL, no lone surrogate (the one text rule refuses them). */
  static boolean storable(String text) {
    return io.leadcycle.domain.Fields.textFault(text) == null;
  }

  /** A small vocabulary, shared by rules and facts. */
  static ScoringArbitraries vocabulary() {
    return new ScoringArbitraries(
        Arbitraries.of("Director", "cto", "CTO", "de", "Software", "a@x.io", "@x.io", "+49 30 1", "4930",
            "example.com", "10", "ten", "web"),
        Arbitraries.of(-5, 0, 1, 10, 250, 1000).map(BigDecimal::valueOf),
        Arbitraries.of("c1", "c2"),
        Arbitraries.of(TYPES));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Models

  Arbitrary<ModelDefinition> models() {
    return models(Arbitraries.of(ModelTarget.values()), behavioralRules());
  }

  /** Contact models whose behavioral rules come from {@code behavioral}. */
  Arbitrary<ModelDefinition> models(Arbitrary<ModelTarget> targets, Arbitrary<Function<String, Rule>> behavioral) {
    return targets.flatMap(target -> Combinators.combine(
            Arbitraries.strings().ofMinLength(1).ofMaxLength(40).map(String::strip)
            .filter(s -> !s.isEmpty() && storable(s)),
            Arbitraries.integers().between(1, 10_000),
            grades(),
            target == ModelTarget.CONTACT ? texts.map(s -> s.length() > 100 ? s.substring(0, 100).strip() : s)
                .filter(s -> !s.isEmpty()).injectNull(0.5) : Arbitraries.just(null),
            rules(target, behavioral))
        .as((name, threshold, grades, consent, rules) ->
            new ModelDefinition(name, target, threshold, grades, consent, rules)));
  }

  static Arbitrary<List<Grade>> grades() {
    return Combinators.combine(
            Arbitraries.integers().between(-1000, 1000),
            Arbitraries.integers().between(0, 100).list().ofMinSize(1).ofMaxSize(6),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list().ofMinSize(6).ofMaxSize(6)
                .uniqueElements(io.leadcycle.domain.Normalize::text))
        .as((start, widths, names) -> {
          List<Grade> grades = new ArrayList<>();
          int min = start;
          for (int i = 0; i < widths.size(); i++) {
            grades.add(new Grade(names.get(i), min, min + widths.get(i)));
            min += widths.get(i) + 1;
          }
          return grades;
        })
        .flatMap(Arbitraries::shuffle);
  }

  Arbitrary<List<Rule>> rules(ModelTarget target, Arbitrary<Function<String, Rule>> behavioral) {
    Arbitrary<Function<String, Rule>> any = Arbitraries.oneOf(fieldRules(target), behavioral);
    return any.list().ofMinSize(1).ofMaxSize(12).flatMap(templates ->
        Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(12).list()
            .ofSize(templates.size()).uniqueElements()
            .map(ids -> {
              List<Rule> rules = new ArrayList<>();
              for (int i = 0; i < templates.size(); i++) {
                rules.add(templates.get(i).apply(ids.get(i)));
              }
              return rules;
            }));
  }

  Arbitrary<Function<String, Rule>> fieldRules(ModelTarget target) {
    List<String> demographic = new ArrayList<>(RuleFields.DEMOGRAPHIC_NAMES);
    demographic.add("attributes.budget");
    demographic.add("attributes.source");
    Arbitrary<FieldRule.Kind> kinds = target == ModelTarget.CONTACT ? Arbitraries.of(FieldRule.Kind.values())
        : Arbitraries.just(FieldRule.Kind.FIRMOGRAPHIC);
    return kinds.flatMap(kind -> Arbitraries.of(kind == FieldRule.Kind.DEMOGRAPHIC ? demographic
            : RuleFields.FIRMOGRAPHIC_NAMES)
        .flatMap(field -> {
          ValueType type = RuleFields.type(kind, field);
          return Arbitraries.of(ops(type)).flatMap(op -> Combinators.combine(value(type, op), points())
              .as((value, points) -> (Function<String, Rule>) id ->
                  new FieldRule(id, kind, field, op, value, points)));
        }));
  }

  static List<Op> ops(ValueType type) {
    List<Op> ops = new ArrayList<>(List.of(Op.EQ, Op.NEQ, Op.IN, Op.EXISTS));
    if (type.takesText()) {
      ops.add(Op.CONTAINS);
    }
    if (type.takesNumbers()) {
      ops.addAll(List.of(Op.GT, Op.GTE, Op.LT, Op.LTE));
    }
    return ops;
  }

  private Arbitrary<Object> value(ValueType type, Op op) {
    Arbitrary<Object> text = type == ValueType.PHONE ? texts.map(s -> s + " 1")
        : texts.filter(s -> type.normalize(s) != null).map(s -> s);
    Arbitrary<Object> number = numbers.map(n -> n);
    Arbitrary<Object> scalar = switch (op) {
      case CONTAINS -> text;
      case GT, GTE, LT, LTE -> number;
      default -> type == ValueType.NUMBER ? number : type == ValueType.ATTRIBUTE ? Arbitraries.oneOf(text, number)
          : text;
    };
    return switch (op) {
      case EXISTS -> Arbitraries.just(null);
      case IN -> scalar.list().ofMinSize(1).ofMaxSize(5).map(l -> (Object) List.copyOf(l));
      default -> scalar;
    };
  }

  static Arbitrary<Integer> points() {
    return Arbitraries.integers().between(-100, 100);
  }

  Arbitrary<Function<String, Rule>> behavioralRules() {
    return behavioralRules(Arbitraries.of(Frequency.values()), points());
  }

  /**
   * Behavioral rules that reward activity: each and at_least_once with points >= 0, none with points
   * <= 0 (a none rule with positive points rewards inactivity, so an interaction takes its points away).
   */
  Arbitrary<Function<String, Rule>> rewardingBehavioralRules() {
    return Arbitraries.of(Frequency.values()).flatMap(frequency -> behavioralRules(Arbitraries.just(frequency),
        frequency == Frequency.NONE ? Arbitraries.integers().between(-100, 0) : Arbitraries.integers().between(0, 100)));
  }

  private Arbitrary<Function<String, Rule>> behavioralRules(Arbitrary<Frequency> frequencies,
      Arbitrary<Integer> points) {
    return Combinators.combine(types, frequencies, Arbitraries.integers().between(1, 3650).injectNull(0.3),
            contexts.injectNull(0.5), points, Arbitraries.integers().between(1, 500).injectNull(0.5),
            Arbitraries.oneOf(Arbitraries.doubles().between(0.01, 3650).ofScale(10), Arbitraries.of(1.0, 7.0, 30.0))
                .injectNull(0.4))
        .as((type, frequency, withinDays, context, p, cap, halfLife) -> id -> new BehavioralRule(id, type, frequency,
            withinDays, context, p,
            frequency == Frequency.EACH && p != 0 && cap != null ? cap * Integer.signum(p) : null,
            frequency == Frequency.NONE ? null : halfLife));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Facts

  /** A contact's or an account's fields: some present, some missing, values from the vocabulary. */
  Arbitrary<java.util.Map<String, Object>> fieldValues(List<String> fields) {
    Arbitrary<Object> value = Arbitraries.oneOf(texts.map(s -> (Object) s),
        texts.map(s -> (Object) ("  " + s.toUpperCase(java.util.Locale.ROOT) + " ")), numbers.map(n -> (Object) n),
        numbers.map(n -> (Object) n.toPlainString()), Arbitraries.of("", " "));
    return value.injectNull(0.3).list().ofSize(fields.size()).map(values -> {
      java.util.Map<String, Object> map = new java.util.HashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        if (values.get(i) != null) {
          map.put(fields.get(i), values.get(i));
        }
      }
      return map;
    });
  }

  Arbitrary<java.util.Map<String, Object>> contacts() {
    List<String> fields = new ArrayList<>(RuleFields.DEMOGRAPHIC_NAMES);
    fields.add("attributes.budget");
    fields.add("attributes.source");
    return fieldValues(fields);
  }

  Arbitrary<java.util.Map<String, Object>> accounts() {
    return fieldValues(RuleFields.FIRMOGRAPHIC_NAMES);
  }

  /** An interaction up to 400 days old (or up to 2 days in the future), to the second. */
  Arbitrary<InteractionFact> interactions() {
    return Combinators.combine(types, contexts.injectNull(0.3),
            Arbitraries.longs().between(-2 * 86_400L, 400 * 86_400L))
        .as((type, context, ageSeconds) -> new InteractionFact(type, context, NOW.minus(Duration.ofSeconds(ageSeconds))));
  }

  /** The facts of every behavioral rule of {@code model} over {@code interactions}. */
  static java.util.Map<String, BehaviorFacts> behavior(ModelDefinition model, List<InteractionFact> interactions) {
    java.util.Map<String, BehaviorFacts> behavior = new java.util.HashMap<>();
    for (Rule rule : model.rules()) {
      if (rule instanceof BehavioralRule b) {
        behavior.put(b.id(), BehaviorFacts.of(b, interactions, NOW));
      }
    }
    return behavior;
  }
}
