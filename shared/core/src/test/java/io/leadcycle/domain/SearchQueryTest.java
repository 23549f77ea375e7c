package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SearchQueryTest {

  @Test
  void wordsAreSplitOnBlanksOnceEachAndTheLongestLeads() {
    SearchQuery q = SearchQuery.parse("  grace \t hopper  grace ");

    assertThat(q.words()).containsExactly("grace", "hopper");
    assertThat(q.leadingWord()).isEqualTo("hopper");
  }

  @Test
  void aBlankOrAbsentQueryIsNoSearch() {
    assertThat(SearchQuery.parse(null)).isNull();
    assertThat(SearchQuery.parse("   ")).isNull();
  }

  @Test
  void singleLettersAloneTooManyWordsOrTooLongAre400NamingQ() {
    for (String bad : new String[] {"a", "a b", "x".repeat(101), "a1 b2 c3 d4 e5 f6 g7 h8 i9", "gr\0ace"}) {
      assertThatThrownBy(() -> SearchQuery.parse(bad)).isInstanceOfSatisfying(InvalidInput.class,
          e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("q"));
    }
    assertThat(SearchQuery.parse("g hopper").words()).containsExactly("g", "hopper");
    assertThat(SearchQuery.parse("wu").words()).containsExactly("wu");
  }

  @Test
  void likeWildcardsAreTakenLiterally() {
    assertThat(SearchQuery.likeLiteral("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
  }
}
