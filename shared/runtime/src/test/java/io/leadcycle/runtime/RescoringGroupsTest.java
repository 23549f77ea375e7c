package io.leadcycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RESCORING_PARALLELISM and the groups a full rescoring's runs go through. */
class RescoringGroupsTest {

  @Test
  void fourGroupsUnlessSet() {
    assertThat(RescoringGroups.fromEnvironment(Map.of()).groups())
        .containsExactly("rescoring-1", "rescoring-2", "rescoring-3", "rescoring-4");
    assertThat(RescoringGroups.fromEnvironment(Map.of("RESCORING_PARALLELISM", " 2 ")).groups())
        .containsExactly("rescoring-1", "rescoring-2");
    assertThat(RescoringGroups.fromEnvironment(Map.of("RESCORING_PARALLELISM", "1")).groups()).containsExactly("rescoring-1");
  }

  @Test
  void aParallelismOutsideOneToThirtyTwoStopsTheStart() {
    for (String bad : List.of("0", "-1", "33", "four", "2.5")) {
      assertThatThrownBy(() -> RescoringGroups.fromEnvironment(Map.of("RESCORING_PARALLELISM", bad)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("RESCORING_PARALLELISM must be a whole number from 1 to 32 (got \"" + bad + "\").");
    }
  }

  @Test
  void onlyTheRescoringGroupsAreRescoringGroups() {
    assertThat(RescoringGroups.isRescoringGroup("rescoring-1")).isTrue();
    assertThat(RescoringGroups.isRescoringGroup("rescoring-12")).isTrue();
    assertThat(RescoringGroups.isRescoringGroup(Nudge.Target.SCORING.messageGroup())).isFalse();
    assertThat(RescoringGroups.isRescoringGroup("rescoring-")).isFalse();
    assertThat(RescoringGroups.isRescoringGroup("rescoring-x")).isFalse();
    assertThat(RescoringGroups.isRescoringGroup(null)).isFalse();
  }

  @Test
  void nudgeEachSendsOneNudgePerGroup() {
    List<String> sent = new ArrayList<>();
    Nudge nudge = new Nudge() {
      @Override
      public void send(String reason) {
        sent.add("own " + reason);
      }

      @Override
      public void send(String reason, String group) {
        sent.add(group + " " + reason);
      }
    };
    new RescoringGroups(3).nudgeEach(nudge, "published");

    assertThat(sent).containsExactly("rescoring-1 published", "rescoring-2 published", "rescoring-3 published");
  }

  @Test
  void aNudgeWithoutGroupsSendsTheGroupsNudgeAsItsOwn() {
    List<String> sent = new ArrayList<>();
    Nudge plain = sent::add;
    new RescoringGroups(2).nudgeEach(plain, "published");

    assertThat(sent).containsExactly("published", "published");
  }
}
