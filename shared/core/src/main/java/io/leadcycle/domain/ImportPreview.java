package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * What an import of a file would do, told without writing anything: how it reads the file, the first
 * rows as they would land, and over the whole file the rows it would refuse and the warnings it would
 * record (docs/import.md, "Preview").
 *
 * @param encoding the text encoding the file is read in
 * @param delimiter the separator of its cells
 * @param columns how each column is read, and the source recognised
 * @param rows the first rows read (imported or refused), in file order
 * @param dataRows the rows with data in the whole file
 * @param refusedRows those a run would refuse
 * @param errors the first {@link #MAX_ERRORS} row errors
 * @param warnings what a run would leave out without refusing rows, one per kind, column and reason
 * @param failure why a run would stop (after the rows before it), or null
 */
public record ImportPreview(String encoding, char delimiter, ImportColumns columns, List<ImportRow.Read> rows,
    long dataRows, long refusedRows, List<ImportRow.RowError> errors, List<ImportWarning> warnings, String failure) {

  public static final int MAX_ERRORS = 100;
  public static final int DEFAULT_ROWS = 20;
  public static final int MAX_ROWS = 200;

  /** Collects a preview record by record. */
  public static final class Builder {
    private final String encoding;
    private final char delimiter;
    private final ImportColumns columns;
    private final int rowsShown;
    private final List<ImportRow.Read> rows = new ArrayList<>();
    private final List<ImportRow.RowError> errors = new ArrayList<>();
    private List<ImportWarning> warnings = new ArrayList<>();
    private long dataRows;
    private long refusedRows;
    private String failure;

    public Builder(String encoding, char delimiter, ImportColumns columns, int rowsShown) {
      this.encoding = encoding;
      this.delimiter = delimiter;
      this.columns = columns;
      this.rowsShown = rowsShown;
    }

    public void add(ImportRow.Read read) {
      dataRows++;
      if (rows.size() < rowsShown) {
        rows.add(read);
      }
      if (read.row() == null) {
        refusedRows++;
        read.errors().stream().limit(MAX_ERRORS - errors.size()).forEach(errors::add);
      }
      warnings.addAll(read.warnings());
      if (warnings.size() > 1_000) {
        warnings = new ArrayList<>(ImportWarning.merged(warnings)); // bounded by kinds × columns
      }
    }

    public void failure(String why) {
      this.failure = why;
    }

    public ImportPreview build() {
      return new ImportPreview(encoding, delimiter, columns, rows, dataRows, refusedRows, errors,
          ImportWarning.merged(warnings), failure);
    }
  }

  public ImportPreview {
    rows = List.copyOf(rows);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }
}
