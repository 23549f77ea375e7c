package io.leadcycle.imports;

import io.leadcycle.domain.Fields;
import io.leadcycle.imports.ImportService.UnreadableFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * An imported file's records, streamed in the encoding its first read found ({@link FileEncoding}):
 * the header, then each data record with its row as a spreadsheet numbers it. Whatever cannot be read
 * (a quote never closed, a record over {@link ImportService#MAX_RECORD_CHARS}, a header that names no
 * columns) is an {@link UnreadableFile} naming the row. Used by imports and by their preview alike.
 */
final class CsvRows implements AutoCloseable {

  private final Reader reader;
  private final FileEncoding.Detected encoding;
  private final char delimiter;
  private final Iterator<CSVRecord> records;
  private final RecordLimit limited;
  /** The row of the record read last, as a spreadsheet numbers it (the header is row 1). */
  private long row;

  private CsvRows(InputStream in, FileEncoding.Detected encoding) throws IOException {
    this.encoding = encoding;
    this.reader = reader(in, encoding);
    this.delimiter = delimiter(reader);
    this.limited = new RecordLimit(reader, ImportService.MAX_RECORD_CHARS);
    this.records = CSVFormat.RFC4180.builder()
        .setDelimiter(delimiter)
        .setIgnoreEmptyLines(false)
        // A quote still open at the end of the file is an error: leniency would make the rest of the file
        // one cell of one row, and the rows in it would be gone without a word.
        .setLenientEof(false)
        .setTrailingData(true)
        .get()
        .parse(limited)
        .iterator();
  }

  /** The records of {@code in}, read in {@code encoding} (after its byte order mark). */
  static CsvRows open(InputStream in, FileEncoding.Detected encoding) {
    try {
      return new CsvRows(in, encoding);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The encoding of the file in {@code in} (read to its end), or {@link UnreadableFile} saying why it has none. */
  static FileEncoding.Detected encodingOf(InputStream in) {
    try (in) {
      return FileEncoding.detect(in);
    } catch (FileEncoding.NotText e) {
      throw new UnreadableFile(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FileEncoding.Detected encoding() {
    return encoding;
  }

  char delimiter() {
    return delimiter;
  }

  /** The first record, checked to be a header: an empty file, too many columns or an odd header fail. */
  List<String> header() {
    if (!hasNext()) {
      throw new UnreadableFile("the file is empty: the first row must name the columns");
    }
    List<String> header = next().toList();
    if (header.size() > ImportService.MAX_COLUMNS) {
      throw new UnreadableFile("the file has " + header.size() + " columns; an import reads at most "
          + ImportService.MAX_COLUMNS);
    }
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      String fault = name == null ? null : Fields.textFault(name);
      if (fault != null) {
        throw new UnreadableFile("the header of column " + (i + 1) + " " + fault + ": the first row must name the columns");
      }
      if (name != null && name.length() > ImportService.MAX_HEADER_LENGTH) {
        throw new UnreadableFile("a column header is longer than " + ImportService.MAX_HEADER_LENGTH
            + " characters: the first row must name the columns");
      }
    }
    return header;
  }

  boolean hasNext() {
    try {
      return records.hasNext();
    } catch (UncheckedIOException | IllegalStateException e) {
      throw unreadable(e, row + 1);
    }
  }

  /** The next record; its row is {@link #row()} from now on. */
  CSVRecord next() {
    try {
      CSVRecord record = records.next();
      limited.recordEnded();
      row++;
      return record;
    } catch (UncheckedIOException | IllegalStateException e) {
      throw unreadable(e, row + 1);
    }
  }

  /** The row of the record read last (the header is row 1). */
  long row() {
    return row;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The file as text in the encoding its first read found ({@link FileEncoding}), after its byte order
   * mark; a byte that does not fit is reported, never replaced.
   */
  static Reader reader(InputStream in, FileEncoding.Detected encoding) throws IOException {
    in.skipNBytes(encoding.byteOrderMarkLength());
    return new BufferedReader(new InputStreamReader(in, encoding.charset().newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
  }

  /**
   * {@code ;} when the header has more semicolons than commas outside quotes (as spreadsheets in many
   * European locales write CSV), else {@code ,}. Reads the first line and goes back to its start.
   */
  static char delimiter(Reader reader) throws IOException {
    reader.mark(64 * 1024);
    int commas = 0;
    int semicolons = 0;
    boolean quoted = false;
    for (int i = 0, c = reader.read(); c != -1 && i < 64 * 1024 - 1; i++, c = reader.read()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '\n' || c == '\r')) {
        break;
      } else if (!quoted && c == ',') {
        commas++;
      } else if (!quoted && c == ';') {
        semicolons++;
      }
    }
    reader.reset();
    return semicolons > commas ? ';' : ',';
  }

  /**
   * Counts the characters the parser takes since the last record it completed, and fails the read once
   * they exceed the limit: memory stays bounded whatever the file (the parser reads ahead by at most
   * its buffer, so the count is that much early or late).
   */
  static final class RecordLimit extends java.io.FilterReader {
    private final long limit;
    private long read;

    RecordLimit(Reader in, long limit) {
      super(in);
      this.limit = limit;
    }

    void recordEnded() {
      read = 0;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c != -1) {
        count(1);
      }
      return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws RecordTooLong {
      read += n;
      if (read > limit) {
        throw new RecordTooLong(limit);
      }
    }
  }

  /** A record over {@link ImportService#MAX_RECORD_CHARS}: most likely a quote that is never closed. */
  static final class RecordTooLong extends IOException {
    RecordTooLong(long limit) {
      super("a row is longer than " + limit + " characters (is a quote never closed?)");
    }
  }

  private UnreadableFile unreadable(RuntimeException e, long row) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLong) {
        return new UnreadableFile("row " + row + " is not complete within " + ImportService.MAX_RECORD_CHARS
            + " characters, most likely a quote that is never closed: the import stops there");
      }
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new UnreadableFile(cause instanceof CharacterCodingException
        ? "the file is no longer " + encoding.name() + " as its first read found it (near row " + row + "): upload it again"
        : "the file is not CSV as RFC 4180 writes it (at row " + row + "): " + cause.getMessage());
  }
}
