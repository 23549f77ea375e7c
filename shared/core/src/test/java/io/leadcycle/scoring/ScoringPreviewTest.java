package io.leadcycle.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The preview's tally and its request, without a database. */
class ScoringPreviewTest {

  static final ModelDefinition MODEL = new ModelDefinition("m", ModelTarget.CONTACT, 20,
      List.of(new Grade("C", 0, 9), new Grade("B", 10, 19), new Grade("A", 20, 100)), null, List.of());

  @Test
  void countsEveryGradeInTheModelsOrderThenTheScoresWithoutOne() {
    ScoringPreview preview = new ScoringPreview(MODEL);
    preview.add(id(1), result(25, "A", true));
    preview.add(id(2), result(-5, null, false));
    preview.add(id(3), result(5, "C", false));
    preview.skip();

    ScoringPreview.Result result = preview.result();

    assertThat(result.distribution()).containsExactly(new ScoringPreview.GradeCount("C", 1),
        new ScoringPreview.GradeCount("B", 0), new ScoringPreview.GradeCount("A", 1),
        new ScoringPreview.GradeCount(null, 1));
    assertThat(result.scored()).isEqualTo(3);
    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.salesReady()).isEqualTo(1);
  }

  @Test
  void keepsTheTenBestScoresTiesByLeadId() {
    ScoringPreview preview = new ScoringPreview(MODEL);
    List<Integer> scores = new ArrayList<>();
    for (int i = 30; i >= 1; i--) {
      preview.add(id(i), result(i % 12, null, false)); // 11 twice (11, 23), 10 three times (10, 22), ...
      scores.add(i % 12);
    }

    List<ScoringPreview.Scored> best = preview.result().best();

    assertThat(best).hasSize(ScoringPreview.BEST);
    assertThat(best.stream().map(s -> s.result().score()).toList())
        .isEqualTo(scores.stream().sorted(java.util.Comparator.reverseOrder()).limit(10).toList());
    assertThat(best.get(0).leadId()).as("11: leads 11 and 23, the lower id first").isEqualTo(id(11));
    assertThat(best.get(1).leadId()).isEqualTo(id(23));
  }

  @Test
  void readsNamedLeadsOrASampleNotBoth() {
    assertThat(ScoringPreview.Request.parse(null)).isEqualTo(new ScoringPreview.Request(null, 500));
    assertThat(ScoringPreview.Request.parse(Map.of("sample", 5000)).sample()).isEqualTo(5000);
    String lead = id(1).toString();
    assertThat(ScoringPreview.Request.parse(Map.of("leadIds", List.of(lead, lead))).leadIds())
        .as("each once").containsExactly(id(1));
    assertThat(fields(Map.of("sample", 1, "leadIds", List.of(lead)))).containsExactly("sample");
    assertThat(fields(Map.of("sample", 1.5))).containsExactly("sample");
    assertThat(fields(Map.of("leadIds", List.of("1-1-1-1-1")))).containsExactly("leadIds[0]");
    assertThat(fields(Map.of("leadIds", "x"))).containsExactly("leadIds");
    assertThat(fields(Map.of("model", "x"))).containsExactly("model");
  }

  @Test
  void namesEachUnknownLeadByItsPlace() {
    assertThatThrownBy(() -> ScoringPreview.requireExisting(List.of(id(1), id(2), id(3)), Set.of(id(2))))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors().stream().map(FieldError::field))
            .containsExactly("leadIds[0]", "leadIds[2]"));
  }

  private static List<String> fields(Map<String, ?> body) {
    try {
      ScoringPreview.Request.parse(new HashMap<>(body));
      return List.of();
    } catch (InvalidInput e) {
      return e.errors().stream().map(FieldError::field).toList();
    }
  }

  private static ScoreResult result(int score, String grade, boolean ready) {
    return new ScoreResult(score, grade, ready, List.of());
  }

  private static UUID id(int n) {
    return new UUID(0, n);
  }
}
