package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What someone typed into a search box ({@code q}): its words, each the beginning of a word of a name, company,
 * email or domain. Folding case and accents is the database's ({@code search_fold}, V19), so that the words
 * and the texts they are matched against are folded by one definition.
 *
 * <p>Every word must match (in any of the searched fields); the longest one finds the candidates through the
 * trigram index, the others only filter them, so one-letter words are fine beside a longer one but not alone
 * (they would match a large part of any list).
 */
public record SearchQuery(List<String> words) {

  public static final int MAX_LENGTH = 100;
  public static final int MAX_WORDS = 8;
  /** The longest word needs this many characters: shorter ones would find nearly everything. */
  public static final int MIN_LONGEST_WORD = 2;

  public SearchQuery {
    words = List.copyOf(words);
  }

  /** {@code q} as typed; null when absent or blank (no search: the whole list). 400 naming {@code q} otherwise. */
  public static SearchQuery parse(String q) {
    if (q == null || q.isBlank()) {
      return null;
    }
    if (q.length() > MAX_LENGTH) {
      throw new InvalidInput("q", "at most " + MAX_LENGTH + " characters");
    }
    if (q.indexOf('\0') >= 0) {
      throw new InvalidInput("q", "must not contain the NUL character");
    }
    List<String> words = new ArrayList<>();
    for (String word : q.strip().split("\\s+")) {
      if (!word.isEmpty() && !words.contains(word)) {
        words.add(word);
      }
    }
    if (words.size() > MAX_WORDS) {
      throw new InvalidInput("q", "at most " + MAX_WORDS + " words");
    }
    if (words.stream().mapToInt(String::length).max().orElse(0) < MIN_LONGEST_WORD) {
      throw new InvalidInput("q", "needs a word of at least " + MIN_LONGEST_WORD
          + " characters: single letters would match most of the list");
    }
    return new SearchQuery(words);
  }

  /** The word the index looks up: the longest (the most selective, as a rule). */
  public String leadingWord() {
    return words.stream().max(Comparator.comparingInt(String::length)).orElseThrow();
  }

  /**
   * {@code word} as the tail of a LIKE pattern: its {@code %}, {@code _} and {@code \} taken literally. The
   * statement folds it and puts {@code "% "} before and {@code %} after.
   */
  public static String likeLiteral(String word) {
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
