package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How an imported file's columns are read, decided once from its header: the source it was exported from
 * ({@link ImportSource}, recognised from the header unless the request names it), and each column's
 * target — an override from the request's mapping, else the source's name for it, else the general
 * default for its spelling, else an attribute or nothing, as the request says. Of two columns for one
 * target, the first by that order fills it and the other is its <em>fallback</em>: it fills the target in
 * a row where the first is empty, and is kept as an attribute where both have a value.
 *
 * @param headers the header row as in the file
 * @param plan per column, how it is read
 * @param source the source whose names were used; null for the general headers only
 * @param warnings mapping entries that name no column of the file
 */
public record ImportColumns(List<String> headers, List<Column> plan, ImportSource source, List<String> warnings) {

  /** Where the target of a column came from, best first: a fallback is the column of the later kind. */
  public static final List<String> FROM = List.of("mapping", "source", "default", "unknown");

  /**
   * One column.
   *
   * @param header its header, without a byte order mark and surrounding spaces
   * @param target where its value goes; null for a column not read
   * @param from {@code mapping}, {@code source}, {@code default} or {@code unknown}
   * @param fallback true: it fills {@code target} only in a row where an earlier column left it empty
   * @param otherwise a fallback's attribute when the target is already filled (null: the value is dropped)
   * @param ignoredBecause why a column is not read; null for one that is
   */
  public record Column(String header, ImportTarget target, String from, boolean fallback, ImportTarget otherwise,
      String ignoredBecause) {

    public boolean isRead() {
      return target != null;
    }

    /** As the job and the preview describe it. */
    public Map<String, Object> describe() {
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("column", header);
      described.put("target", target == null ? ImportTarget.IGNORE : target.wireName());
      described.put("from", from);
      if (fallback) {
        described.put("fallback", true);
        described.put("otherwise", otherwise == null ? ImportTarget.IGNORE : otherwise.wireName());
      }
      if (ignoredBecause != null) {
        described.put("ignoredBecause", ignoredBecause);
      }
      return described;
    }
  }

  public ImportColumns {
    headers = List.copyOf(headers);
    plan = List.copyOf(plan);
    warnings = List.copyOf(warnings);
  }

  public static ImportColumns plan(List<String> header, ImportRequest request) {
    ImportSource source = request.source() != null ? request.source()
        : request.recogniseSource() ? ImportSource.recognise(header).orElse(null) : null;
    Map<String, ImportTarget> overrides = new LinkedHashMap<>();
    request.mapping().forEach((name, target) -> overrides.put(name.strip().toLowerCase(Locale.ROOT), target));
    Set<String> overridden = new java.util.HashSet<>();
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String column = header.get(i) == null ? "" : header.get(i).replace("\uFEFF", "").strip();
      String key = column.toLowerCase(Locale.ROOT);
      if (column.isEmpty()) {
        candidates.add(Candidate.ignored(i, column, "unknown", "no header"));
      } else if (overrides.containsKey(key)) {
        overridden.add(key);
        ImportTarget target = overrides.get(key);
        candidates.add(target.isIgnored() ? Candidate.ignored(i, column, "mapping", "mapped to ignore")
            : new Candidate(i, column, target, "mapping", 0, null));
      } else if (source != null && source.isBookkeeping(column)) {
        candidates.add(Candidate.ignored(i, column, "source", "a " + source.name() + " bookkeeping column"));
      } else if (source != null && source.target(column).isPresent()) {
        ImportSource.Ranked ranked = source.target(column).get();
        candidates.add(ranked.target().isIgnored()
            ? Candidate.ignored(i, column, "source", "derived by " + source.name() + " from another column")
            : new Candidate(i, column, ranked.target(), "source", ranked.rank(), null));
      } else if (ImportTarget.byDefault(column).isPresent()) {
        candidates.add(new Candidate(i, column, ImportTarget.byDefault(column).get(), "default",
            ImportTarget.defaultRank(column), null));
      } else {
        String attribute = request.attributesForUnknownColumns() ? ImportTarget.attributeNameOf(column) : null;
        candidates.add(attribute == null
            ? Candidate.ignored(i, column, "unknown", request.attributesForUnknownColumns()
                ? "no letter in its header to name an attribute after" : "unknown column (unknownColumns: ignore)")
            : new Candidate(i, column, ImportTarget.attribute(attribute), "unknown", 0, null));
      }
    }
    wholeNames(candidates);
    // Of the columns for one target, the best fills it; the others are its fallbacks, in the same order.
    Map<String, List<Candidate>> byTarget = new LinkedHashMap<>();
    candidates.stream().filter(c -> c.target != null)
        .forEach(c -> byTarget.computeIfAbsent(c.target.wireName(), t -> new ArrayList<>()).add(c));
    Set<Integer> fallbacks = new java.util.HashSet<>();
    byTarget.values().forEach(same -> same.stream()
        .sorted(Comparator.comparingInt((Candidate c) -> FROM.indexOf(c.from)).thenComparingInt(c -> c.rank)
            .thenComparingInt(c -> c.index))
        .skip(1).forEach(c -> fallbacks.add(c.index)));
    List<Column> plan = new ArrayList<>();
    for (Candidate c : candidates) {
      boolean fallback = fallbacks.contains(c.index);
      String attribute = fallback && request.attributesForUnknownColumns() ? ImportTarget.attributeNameOf(c.header)
          : null;
      plan.add(new Column(c.header, c.target, c.from, fallback, attribute == null ? null : ImportTarget.attribute(attribute),
          c.ignoredBecause));
    }
    List<String> warnings = new ArrayList<>();
    request.mapping().keySet().stream()
        .filter(name -> !overridden.contains(name.strip().toLowerCase(Locale.ROOT)))
        .forEach(name -> warnings.add("the mapping names column \"" + name + "\", which the file does not have"));
    return new ImportColumns(header, plan, source, warnings);
  }

  /**
   * A whole-name column is split only without first and last name columns; beside a first name column
   * alone it is the last name (German lists write "Vorname; Name"); beside both it is not read.
   */
  private static void wholeNames(List<Candidate> candidates) {
    boolean first = candidates.stream().anyMatch(c -> c.target != null && c.target.wireName().equals("firstName"));
    boolean last = candidates.stream().anyMatch(c -> c.target != null && c.target.wireName().equals("lastName"));
    if (!first && !last) {
      return;
    }
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      if (c.target == null || !c.target.wireName().equals(ImportTarget.FULL_NAME) || c.from.equals("mapping")) {
        continue;
      }
      candidates.set(i, first && !last ? new Candidate(c.index, c.header, new ImportTarget("lastName", null), c.from,
          c.rank, null) : Candidate.ignored(c.index, c.header, c.from, "first and last name have their own columns"));
    }
  }

  private record Candidate(int index, String header, ImportTarget target, String from, int rank,
      String ignoredBecause) {

    static Candidate ignored(int index, String header, String from, String because) {
      return new Candidate(index, header, null, from, 0, because);
    }
  }

  /** Per column, its target; null for a column not read. */
  public List<ImportTarget> targets() {
    return plan.stream().map(Column::target).toList();
  }

  /** How each column is read, for the job: {@code {column, target, from, fallback?, otherwise?, ignoredBecause?}}. */
  public List<Map<String, Object>> columns() {
    return plan.stream().map(Column::describe).toList();
  }

  /** Headers kept as contact attributes because no mapping, source or default named them. */
  public List<String> attributeColumns() {
    return plan.stream().filter(c -> c.isRead() && c.from().equals("unknown") && !c.fallback()).map(Column::header)
        .toList();
  }

  /** Headers not read, each with why. */
  public List<String> ignoredColumns() {
    return plan.stream().filter(c -> !c.isRead()).map(c -> c.header() + " (" + c.ignoredBecause() + ")").toList();
  }

  /** What the job stores: the source, each column, attributes, ignored columns, mapping warnings. */
  public Map<String, Object> describe() {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("detectedSource", source == null ? null : source.id());
    described.put("columns", columns());
    described.put("attributeColumns", attributeColumns());
    described.put("ignoredColumns", ignoredColumns());
    described.put("warnings", warnings);
    return described;
  }

  /** The header of the first column that fills {@code wireName} (not a fallback), or null. */
  public String columnOf(String wireName) {
    for (Column column : plan) {
      if (column.isRead() && !column.fallback() && column.target().wireName().equals(wireName)) {
        return column.header();
      }
    }
    if (wireName.equals("firstName") || wireName.equals("lastName")) {
      return columnOf(ImportTarget.FULL_NAME);
    }
    return null;
  }
}
