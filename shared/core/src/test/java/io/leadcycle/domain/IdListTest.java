package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdListTest {

  private static final UUID A = UUID.fromString("0b5c3c1e-6f0a-4c43-9a55-1f5e0e8a0001");
  private static final UUID B = UUID.fromString("0b5c3c1e-6f0a-4c43-9a55-1f5e0e8a0002");

  @Test
  void idsKeepTheirOrderAndARepeatedIdCountsOnce() {
    assertThat(IdList.parse(B + "," + A + "," + B).ids()).containsExactly(B, A);
    assertThat(IdList.parse(A.toString().toUpperCase()).ids()).containsExactly(A);
  }

  @Test
  void absentIsNoList() {
    assertThat(IdList.parse(null)).isNull();
  }

  @Test
  void twoHundredDistinctIdsAreAllowedAndRepeatsDoNotCountAgainstThem() {
    List<UUID> many = IntStream.range(0, IdList.MAX).mapToObj(i -> UUID.randomUUID()).toList();
    List<UUID> twice = new ArrayList<>(many);
    twice.addAll(many);

    assertThat(IdList.parse(join(many)).ids()).isEqualTo(many);
    assertThat(IdList.parse(join(twice)).ids()).isEqualTo(many);
  }

  @Test
  void emptyMalformedShortFormOrTooManyIdsAre400NamingIds() {
    List<UUID> tooMany = IntStream.range(0, IdList.MAX + 1).mapToObj(i -> UUID.randomUUID()).toList();
    for (String bad : new String[] {"", " ", ",", A + ",", A + ",," + B, " " + A, A + " ", "1-2-3-4-5",
        "not-a-uuid", A.toString().replace('-', 'x'), A + ";" + B, join(tooMany), "x,".repeat(1000)}) {
      assertThatThrownBy(() -> IdList.parse(bad)).as(bad).isInstanceOfSatisfying(InvalidInput.class,
          e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("ids"));
    }
  }

  private static String join(List<UUID> ids) {
    return ids.stream().map(UUID::toString).collect(Collectors.joining(","));
  }
}
