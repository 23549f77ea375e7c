package io.leadcycle.scoring;

import static io.leadcycle.scoring.ModelBodies.faults;
import static io.leadcycle.scoring.ModelBodies.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.InteractionType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/scoring.md says what the engine does: its models parse, its examples compute, its errors are the real ones. */
class ScoringDocumentTest {

  private static final Path DOC = Path.of("../../docs/scoring.md");
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  private static List<String> jsonBlocks() throws IOException {
    Matcher blocks = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    List<String> json = new ArrayList<>();
    while (blocks.find()) {
      json.add(blocks.group(1));
    }
    return json;
  }

  @Test
  void theDocumentedModelsAreTheTestedOnes() throws IOException {
    List<String> blocks = jsonBlocks();
    assertThat(blocks).hasSize(4);
    assertThat(ModelDefinition.parse(ModelBodies.throughJson(new JsonObject(blocks.get(0)).getMap())))
        .isEqualTo(ModelDefinition.parse(ModelDefinitionTest.documentedContactModel()));
    assertThat(ModelDefinition.parse(ModelBodies.throughJson(new JsonObject(blocks.get(1)).getMap())))
        .isEqualTo(ModelDefinition.parse(ModelDefinitionTest.documentedAccountModel()));
  }

  @Test
  void theDocumentedErrorsAreTheParsersOwn() throws IOException {
    Map<String, Object> body = ModelDefinitionTest.documentedContactModel();
    List<Object> grades = castList(body.get("grades"));
    grades.set(2, map("name", "A", "min", 61, "max", 100000));
    List<Object> rules = castList(body.get("rules"));
    rules.set(1, map("id", "free-mail", "kind", "demographic", "field", "jobTitle", "op", "gt", "value", 3,
        "points", -10));
    castMap(rules.get(3)).put("maxPoints", -20);
    castMap(rules.get(4)).put("withinDays", 0);
    castMap(rules.get(5)).put("colour", "red");

    Map<String, String> documented = new LinkedHashMap<>();
    for (Object error : new JsonArray(jsonBlocks().get(2))) {
      documented.put(((JsonObject) error).getString("field"), ((JsonObject) error).getString("message"));
    }
    assertThat(faults(body)).containsExactlyEntriesOf(documented);
  }

  @Test
  void theDocumentedExplanationIsTheEnginesOwn() throws IOException {
    ModelDefinition model = ModelDefinition.parse(ModelDefinitionTest.documentedContactModel());
    List<InteractionFact> interactions = List.of(
        new InteractionFact(InteractionType.WEBSITE_VISITED, "home", NOW),
        new InteractionFact(InteractionType.WEBSITE_VISITED, "pricing", NOW.minus(Duration.ofDays(7))),
        new InteractionFact(InteractionType.WEBSITE_VISITED, "home", NOW.minus(Duration.ofDays(14))),
        new InteractionFact(InteractionType.EVENT_ATTENDED, "webinar-2026-q4", NOW.minus(Duration.ofDays(40))),
        new InteractionFact(InteractionType.EMAIL_OPENED, "newsletter-11", NOW.minus(Duration.ofDays(20))),
        new InteractionFact(InteractionType.EMAIL_OPENED, "newsletter-10", NOW.minus(Duration.ofDays(50))));
    Facts facts = new Facts(Map.of("jobTitle", "CTO", "email", "ada@example.com"), Map.of("marketing", true),
        Map.of("employeeCount", 300), behaviorAt(model, interactions));

    ScoreResult result = ScoringEngine.score(model, facts);

    JsonObject documented = new JsonObject(jsonBlocks().get(3));
    assertThat(ScoringEngine.unscorableReason(model, facts)).isNull();
    assertThat(result.score()).isEqualTo(documented.getInteger("score"));
    assertThat(result.grade()).isEqualTo(documented.getString("grade"));
    assertThat(result.reachesThreshold()).isEqualTo(documented.getBoolean("salesReady"));
    List<RuleResult> explanation = new ArrayList<>();
    for (Object entry : documented.getJsonArray("explanation")) {
      JsonObject e = (JsonObject) entry;
      explanation.add(new RuleResult(e.getString("ruleId"), e.getDouble("points"), e.getInteger("occurrences")));
    }
    assertThat(result.explanation()).containsExactlyElementsOf(explanation);
  }

  private static Map<String, BehaviorFacts> behaviorAt(ModelDefinition model, List<InteractionFact> interactions) {
    Map<String, BehaviorFacts> behavior = new LinkedHashMap<>();
    for (Rule rule : model.rules()) {
      if (rule instanceof BehavioralRule b) {
        behavior.put(b.id(), BehaviorFacts.of(b, interactions, NOW));
      }
    }
    return behavior;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> castList(Object list) {
    return (List<Object>) list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object map) {
    return (Map<String, Object>) map;
  }
}
