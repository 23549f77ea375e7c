package io.leadcycle.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CSV as RFC 4180 writes it, for exports that people open in spreadsheets: records end in CRLF; a
 * cell that holds a comma, a double quote, CR or LF is enclosed in double quotes, its quotes doubled;
 * null is an empty cell.
 *
 * <p><b>Formula injection.</b> Spreadsheets run a cell that starts with {@code =}, {@code +},
 * {@code -} or {@code @} (and, in some, a tab or CR) as a formula, so a text cell a visitor could have
 * typed ({@code =HYPERLINK(...)} as a lead's topic) would run on the analyst's machine. Such a text
 * cell gets a leading single quote ({@code '=HYPERLINK(...)}), which spreadsheets show as text (OWASP's
 * advice). Only text cells ({@link #text}) are guarded: numbers ({@link #value}, e.g. a score of
 * {@code -5}) and values we generate (ids, times, booleans) are written as they are.
 */
public final class Csv {

  private final StringBuilder out = new StringBuilder();
  private long bytes;

  /** Appends one record of cells already made by {@link #text} or {@link #value}. */
  public Csv record(List<String> cells) {
    String line = line(cells);
    out.append(line);
    bytes += line.getBytes(StandardCharsets.UTF_8).length;
    return this;
  }

  /**
   * Appends one record unless the text would then be longer than {@code maxBytes} in UTF-8 (a response
   * has a size limit); answers whether it did.
   */
  public boolean recordWithin(List<String> cells, long maxBytes) {
    String line = line(cells);
    long size = line.getBytes(StandardCharsets.UTF_8).length;
    if (bytes + size > maxBytes) {
      return false;
    }
    out.append(line);
    bytes += size;
    return true;
  }

  /** The UTF-8 size of what was written so far. */
  public long bytes() {
    return bytes;
  }

  private static String line(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(quote(cells.get(i)));
    }
    return line.append("\r\n").toString();
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** A text cell that people or other systems wrote: guarded against formula injection. */
  public static String text(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
        ? "'" + value : value;
  }

  /** A cell we generated (a number, an id, a time, a boolean): written as it is. */
  public static String value(Object value) {
    return value == null ? null : value.toString();
  }

  /** RFC 4180 quoting of one cell. */
  static String quote(String cell) {
    if (cell == null) {
      return "";
    }
    boolean needsQuotes = false;
    for (int i = 0; i < cell.length() && !needsQuotes; i++) {
      char c = cell.charAt(i);
      needsQuotes = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return needsQuotes ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
  }
}
