package io.leadcycle.domain;

import java.util.Locale;

/**
 * Spots a submitted field that was probably meant to be a standard field ({@code firstname},
 * {@code emial}, {@code first_name}): it is still kept as an attribute, but the answer says what the
 * sender may have meant, so they can fix their page without reading the logs.
 */
final class FieldNameHints {

  private FieldNameHints() {
  }

  /** The standard field {@code name} probably means, or null when it looks like a deliberate custom field. */
  static String standardFieldMeant(String name) {
    String plain = plain(name);
    if (plain.isEmpty()) {
      return null;
    }
    for (String standard : ContactDetails.STANDARD_FIELDS) {
      String target = plain(standard);
      // Same letters in other case or with separators, or one slip (two for long names).
      int allowed = target.length() >= 8 ? 2 : 1;
      if (plain.equals(target) || (plain.length() >= 4 && distance(plain, target) <= allowed)) {
        return standard;
      }
    }
    return null;
  }

  /** The warning for {@code name}, or null. */
  static String warning(String name) {
    String meant = standardFieldMeant(name);
    return meant == null ? null
        : name + ": not a standard field; did you mean " + meant + "? It was kept as a custom attribute.";
  }

  private static String plain(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /** Optimal string alignment distance: edits, where swapping two neighbours counts as one. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
