package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How an imported file's columns are read, decided once from its header: each column's target (an
 * override from the request's mapping, else the default for its spelling, else an attribute or nothing,
 * as the request says), and what the job reports about it.
 *
 * @param headers the header row as in the file
 * @param targets per column, its target; null for an ignored column
 * @param columns per column, for the job: {@code {column, target, from}} ({@code from}: mapping, default,
 *     unknown)
 * @param attributeColumns headers kept as contact attributes because no default or override named them
 * @param ignoredColumns headers not read, each with why
 * @param warnings mapping entries that name no column of the file
 */
public record ImportColumns(List<String> headers, List<ImportTarget> targets, List<Map<String, Object>> columns,
    List<String> attributeColumns, List<String> ignoredColumns, List<String> warnings) {

  public ImportColumns {
    headers = List.copyOf(headers);
    targets = java.util.Collections.unmodifiableList(new ArrayList<>(targets));
    columns = List.copyOf(columns);
    attributeColumns = List.copyOf(attributeColumns);
    ignoredColumns = List.copyOf(ignoredColumns);
    warnings = List.copyOf(warnings);
  }

  public static ImportColumns plan(List<String> header, ImportRequest request) {
    Map<String, ImportTarget> overrides = new LinkedHashMap<>();
    request.mapping().forEach((name, target) -> overrides.put(name.strip().toLowerCase(Locale.ROOT), target));
    Set<String> overridden = new HashSet<>();
    Set<String> taken = new HashSet<>();
    List<ImportTarget> targets = new ArrayList<>();
    List<Map<String, Object>> columns = new ArrayList<>();
    List<String> attributes = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (String raw : header) {
      String column = raw.replace("\uFEFF", "").strip();
      String key = column.toLowerCase(Locale.ROOT);
      ImportTarget target;
      String from;
      if (overrides.containsKey(key)) {
        target = overrides.get(key);
        overridden.add(key);
        from = "mapping";
      } else {
        target = ImportTarget.byDefault(column).orElse(null);
        from = "default";
        if (target == null) {
          from = "unknown";
          String attribute = request.attributesForUnknownColumns() ? ImportTarget.attributeNameOf(column) : null;
          target = attribute == null ? new ImportTarget(ImportTarget.IGNORE, null) : ImportTarget.attribute(attribute);
        }
      }
      String why = null;
      if (column.isEmpty()) {
        why = "no header";
      } else if (target.isIgnored()) {
        why = from.equals("mapping") ? "mapped to ignore" : "unknown column (unknownColumns: ignore)";
      } else if (!taken.add(target.wireName())) {
        why = "another column already fills " + target.wireName();
      }
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("column", column);
      if (why != null) {
        ignored.add(column + " (" + why + ")");
        targets.add(null);
        described.put("target", ImportTarget.IGNORE);
      } else {
        if (from.equals("unknown")) {
          attributes.add(column);
        }
        targets.add(target);
        described.put("target", target.wireName());
      }
      described.put("from", from);
      columns.add(described);
    }
    List<String> warnings = new ArrayList<>();
    request.mapping().keySet().stream()
        .filter(name -> !overridden.contains(name.strip().toLowerCase(Locale.ROOT)))
        .forEach(name -> warnings.add("the mapping names column \"" + name + "\", which the file does not have"));
    return new ImportColumns(header, targets, columns, attributes, ignored, warnings);
  }

  /** The header of the first column that fills {@code wireName}, or null. */
  public String columnOf(String wireName) {
    for (int i = 0; i < targets.size(); i++) {
      if (targets.get(i) != null && targets.get(i).wireName().equals(wireName)) {
        return headers.get(i).replace("\uFEFF", "").strip();
      }
    }
    return null;
  }
}
