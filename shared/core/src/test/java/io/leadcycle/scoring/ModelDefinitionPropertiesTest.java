package io.leadcycle.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.domain.InvalidInput;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A model survives being stored: {@code parse(toBody())} gives an equal model, also when the body went
 * through JSON text (as the store keeps it) or when its numbers come back as other Number types. And
 * parse answers any damaged body with InvalidInput, never with anything else.
 */
class ModelDefinitionPropertiesTest {

  @Provide
  Arbitrary<ModelDefinition> models() {
    return ScoringArbitraries.anything().models();
  }

  @Property(tries = 500)
  void parseReadsBackWhatToBodyWrites(@ForAll("models") ModelDefinition model) {
    assertThat(ModelDefinition.parse(model.toBody())).isEqualTo(model);
  }

  @Property(tries = 500)
  void theBodySurvivesJson(@ForAll("models") ModelDefinition model) {
    assertThat(ModelDefinition.parse(ModelBodies.throughJson(model.toBody()))).isEqualTo(model);
  }

  @Property(tries = 300)
  void anyNumberTypeReadsTheSame(@ForAll("models") ModelDefinition model) {
    List<Function<Number, Number>> recodings = List.of(
        n -> n.doubleValue(),
        n -> n instanceof BigDecimal d ? d.setScale(Math.max(d.scale(), 0) + 2)
            : n instanceof Integer i ? BigInteger.valueOf(i) : new BigDecimal(n.toString()),
        n -> n instanceof BigDecimal d ? Double.valueOf(d.toString()) : n instanceof Integer i ? Long.valueOf(i) : n,
        n -> n instanceof Double d ? new BigDecimal(d) : n instanceof Integer i ? new BigDecimal(i + ".0") : n);
    for (Function<Number, Number> recoding : recodings) {
      @SuppressWarnings("unchecked")
      Map<String, Object> recoded = (Map<String, Object>) recode(model.toBody(), recoding);
      assertThat(ModelDefinition.parse(recoded)).isEqualTo(model);
    }
  }

  private static Object recode(Object value, Function<Number, Number> recoding) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, recode(v, recoding)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(recode(v, recoding)));
      return copy;
    }
    return value instanceof Number n ? recoding.apply(n) : value;
  }

  @Provide
  Arbitrary<Object> junk() {
    return Arbitraries.of(null, "", " ", "x", "each", "eq", -1, 0, 1.5, 1e300, Double.NaN, true, List.of(),
        List.of(1, "a"), Map.of(), Map.of("x", 1), new BigDecimal("1e400"), Long.MAX_VALUE);
  }

  /** Damaging one member anywhere in a valid body (replacing or adding it) gives InvalidInput or a model. */
  @Property(tries = 1000)
  void aDamagedBodyIsRefusedWithFieldErrorsOnly(@ForAll("models") ModelDefinition model,
      @ForAll("junk") Object junk, @ForAll long seed) {
    Map<String, Object> body = model.toBody();
    java.util.Random random = new java.util.Random(seed);
    damage(body, junk, random);
    Throwable thrown = catchThrowable(() -> ModelDefinition.parse(body));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(InvalidInput.class);
      assertThat(((InvalidInput) thrown).errors()).isNotEmpty();
    }
  }

  @SuppressWarnings("unchecked")
  private static void damage(Map<String, Object> body, Object junk, java.util.Random random) {
    Map<String, Object> target = body;
    while (true) {
      List<String> keys = new ArrayList<>(target.keySet());
      String key = random.nextInt(keys.size() + 1) == keys.size() ? "extra" : keys.get(random.nextInt(keys.size()));
      Object value = target.get(key);
      if (value instanceof List<?> list && !list.isEmpty() && random.nextBoolean()) {
        int index = random.nextInt(list.size());
        if (list.get(index) instanceof Map<?, ?> && random.nextBoolean()) {
          target = (Map<String, Object>) list.get(index);
          continue;
        }
        ((List<Object>) list).set(index, junk);
        return;
      }
      target.put(key, junk);
      return;
    }
  }
}
