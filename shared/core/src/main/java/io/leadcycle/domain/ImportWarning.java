package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Something an import did without refusing a row, kept on the job and counted over its rows: a value
 * left out (junk such as {@code n/a} in an optional cell), attribute columns over the limit, a file that
 * arrived again after the job had finished.
 *
 * @param kind {@link #VALUE_LEFT_OUT}, {@link #ATTRIBUTES_OVER_LIMIT} or {@link #UPLOAD_IGNORED}
 * @param column the column it is about; null for none
 * @param reason why
 * @param rows how many rows it concerns (upload_ignored: how many files arrived)
 * @param exampleRow the first row it concerned, or null
 * @param exampleValue that row's value (up to 500 characters), or null
 * @param columns attributes_over_limit: the columns not imported; else empty
 */
public record ImportWarning(String kind, String column, String reason, long rows, Long exampleRow,
    String exampleValue, List<String> columns) {

  public static final String VALUE_LEFT_OUT = "value_left_out";
  public static final String ATTRIBUTES_OVER_LIMIT = "attributes_over_limit";
  public static final String UPLOAD_IGNORED = "upload_ignored";

  public ImportWarning {
    columns = columns == null ? List.of() : List.copyOf(columns);
  }

  /** A value of one row left out: the row is imported without it. */
  public static ImportWarning valueLeftOut(long row, String column, String value, String reason) {
    return new ImportWarning(VALUE_LEFT_OUT, column, reason, 1, row, value, List.of());
  }

  /** The attribute columns of one row beyond the limit, in column order. */
  public static ImportWarning attributesOverLimit(long row, List<String> columns) {
    return new ImportWarning(ATTRIBUTES_OVER_LIMIT, null, "more than " + Submission.MAX_ATTRIBUTES
        + " attributes with a value: the columns after the " + Submission.MAX_ATTRIBUTES + "th were not imported",
        1, row, null, columns);
  }

  /** What the same warning is counted under on a job. */
  public String key() {
    return kind + "\n" + (column == null ? "" : column) + "\n" + reason;
  }

  /** One warning per key: rows added up, the first example kept, columns in the order first seen. */
  public static List<ImportWarning> merged(List<ImportWarning> warnings) {
    Map<String, ImportWarning> byKey = new LinkedHashMap<>();
    for (ImportWarning w : warnings) {
      byKey.merge(w.key(), w, (first, next) -> {
        LinkedHashSet<String> columns = new LinkedHashSet<>(first.columns);
        columns.addAll(next.columns);
        return new ImportWarning(first.kind, first.column, first.reason, first.rows + next.rows, first.exampleRow,
            first.exampleValue, new ArrayList<>(columns));
      });
    }
    return List.copyOf(byKey.values());
  }

  /** The warning in a sentence, for people reading the job. */
  public String message() {
    return switch (kind) {
      case VALUE_LEFT_OUT -> column + ": " + reason + " in " + rows + (rows == 1 ? " row" : " rows") + " (first row "
          + exampleRow + ": \"" + exampleValue + "\"); the value was left out, the " + (rows == 1 ? "row" : "rows")
          + " imported";
      case ATTRIBUTES_OVER_LIMIT -> rows + (rows == 1 ? " row has " : " rows have ") + reason + ": "
          + String.join(", ", columns);
      default -> reason;
    };
  }
}
