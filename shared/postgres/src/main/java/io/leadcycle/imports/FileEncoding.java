package io.leadcycle.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Which text encoding an imported file is in, told by one pass over the whole file before any row is
 * imported (docs/import.md, "Text encodings"), so that a file in none of them fails before a single
 * row is written, and the error names the row of the first byte that does not fit. The pass streams
 * (one buffer), so the file is read twice but never held.
 *
 * <ol>
 *   <li>A byte order mark decides: {@code EF BB BF} UTF-8, {@code FF FE} UTF-16LE, {@code FE FF}
 *       UTF-16BE; the rest of the file must then be valid in it.
 *   <li>Without one: UTF-8 if the whole file is valid UTF-8 (plain ASCII is).
 *   <li>Else Windows-1252 (Excel's plain "CSV" in Western Europe and the Americas) if no byte is one
 *       Windows-1252 leaves undefined ({@code 81 8D 8F 90 9D}) or a control character other than tab,
 *       CR and LF ({@code 00–08 0B 0C 0E–1F 7F}): text in another single-byte code page or binary data
 *       has those, a spreadsheet's text never does.
 *   <li>Else the file is none of them.
 * </ol>
 */
final class FileEncoding {

  /** An encoding the importer reads: {@code name} is what the job reports. */
  record Detected(String name, Charset charset, int byteOrderMarkLength) {
  }

  static final Detected UTF_8 = new Detected("UTF-8", StandardCharsets.UTF_8, 0);
  static final Detected UTF_8_WITH_BOM = new Detected("UTF-8", StandardCharsets.UTF_8, 3);
  static final Detected UTF_16LE = new Detected("UTF-16LE", StandardCharsets.UTF_16LE, 2);
  static final Detected UTF_16BE = new Detected("UTF-16BE", StandardCharsets.UTF_16BE, 2);
  static final Detected WINDOWS_1252 = new Detected("windows-1252", Charset.forName("windows-1252"), 0);

  /** Where a byte (or UTF-16 code unit) that does not fit an encoding is. */
  record BadByte(long row, long line, int value, boolean codeUnit) {

    /** "row 3 (line 4 of the file) has byte 0x81", the line only when a quoted line break makes it differ. */
    String describe() {
      String where = line == row ? "row " + row : "row " + row + " (line " + line + " of the file)";
      if (value < 0) {
        return where + " ends in the middle of a character";
      }
      return where + " has " + (codeUnit ? "the code unit 0x%04X" : "byte 0x%02X").formatted(value);
    }
  }

  /** A file in none of the encodings an import reads. */
  static final class NotText extends RuntimeException {
    NotText(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private int length;
  private int next;

  // Where the scan is: the row as a spreadsheet numbers it (a quoted line break stays in its row), the
  // line of the file, and whether it is inside quotes. CR LF is one line end, as a lone CR or LF is.
  private long row = 1;
  private long line = 1;
  private boolean quoted;
  private boolean afterCr;

  private FileEncoding(InputStream in) {
    this.in = in;
  }

  /** Reads {@code in} to its end and answers its encoding; {@link NotText} when it has none of them. */
  static Detected detect(InputStream in) throws IOException {
    return new FileEncoding(in).detect();
  }

  private Detected detect() throws IOException {
    int first = nextByte();
    int second = nextByte();
    if (first == 0xFF && second == 0xFE) {
      return utf16(UTF_16LE, true);
    }
    if (first == 0xFE && second == 0xFF) {
      return utf16(UTF_16BE, false);
    }
    int third = nextByte();
    if (first == 0xEF && second == 0xBB && third == 0xBF) {
      Scan scan = new Scan(true);
      scanRest(scan);
      if (scan.notUtf8 != null) {
        throw new NotText("the file starts with UTF-8's byte order mark but is not UTF-8: " + scan.notUtf8.describe()
            + ", which UTF-8 has not there; save it as CSV UTF-8");
      }
      return UTF_8_WITH_BOM;
    }
    // No byte order mark: UTF-8, else Windows-1252, else neither.
    Scan scan = new Scan(false);
    for (int b : new int[] {first, second, third}) {
      if (b >= 0) {
        scan.take(b);
      }
    }
    scanRest(scan);
    if (scan.notUtf8 == null) {
      return UTF_8;
    }
    if (scan.notWindows1252 == null) {
      return WINDOWS_1252;
    }
    throw new NotText("the file is not text in UTF-8, UTF-16 or Windows-1252: it is not UTF-8 because "
        + scan.notUtf8.describe() + ", and not Windows-1252 because " + scan.notWindows1252.describe()
        + "; save it as CSV UTF-8");
  }

  /** Scans to the end of the file, or until no encoding the scan checks can read it. */
  private void scanRest(Scan scan) throws IOException {
    for (int b = nextByte(); b >= 0; b = nextByte()) {
      scan.take(b);
      if (scan.notUtf8 != null && (scan.utf8Only || scan.notWindows1252 != null)) {
        return;
      }
    }
    scan.end();
  }

  /** UTF-16 after its byte order mark: whole code units, surrogates in pairs. */
  private Detected utf16(Detected encoding, boolean littleEndian) throws IOException {
    int highSurrogate = -1;
    while (true) {
      int a = nextByte();
      if (a < 0) {
        break;
      }
      int b = nextByte();
      if (b < 0) {
        throw notUtf16(encoding, new BadByte(row, line, -1, true));
      }
      int unit = littleEndian ? a | b << 8 : a << 8 | b;
      if (highSurrogate >= 0) {
        if (unit < 0xDC00 || unit > 0xDFFF) {
          throw notUtf16(encoding, new BadByte(row, line, highSurrogate, true));
        }
        highSurrogate = -1;
      } else if (unit >= 0xD800 && unit <= 0xDBFF) {
        highSurrogate = unit;
      } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
        throw notUtf16(encoding, new BadByte(row, line, unit, true));
      }
      advance(unit);
    }
    if (highSurrogate >= 0) {
      throw notUtf16(encoding, new BadByte(row, line, highSurrogate, true));
    }
    return encoding;
  }

  private static NotText notUtf16(Detected encoding, BadByte bad) {
    return new NotText("the file starts with " + encoding.name() + "'s byte order mark but is not " + encoding.name()
        + ": " + bad.describe() + ", half of a character; save it as CSV UTF-8");
  }

  /** Keeps the row and line of the scan: {@code c} is a byte or a UTF-16 code unit. */
  private void advance(int c) {
    if (c == '"') {
      quoted = !quoted;
    }
    if (c == '\r' || (c == '\n' && !afterCr)) {
      line++;
      if (!quoted) {
        row++;
      }
    }
    afterCr = c == '\r';
  }

  /** Both byte encodings checked at once, each remembering its first byte that does not fit. */
  private final class Scan {
    final boolean utf8Only;
    BadByte notUtf8;
    BadByte notWindows1252;
    // UTF-8: continuation bytes still expected, and the range the next one must be in (which excludes
    // overlong forms, surrogates and code points above U+10FFFF).
    private int continuations;
    private int lowest = 0x80;
    private int highest = 0xBF;
    private int lead;

    Scan(boolean utf8Only) {
      this.utf8Only = utf8Only;
    }

    void take(int b) {
      if (notUtf8 == null) {
        utf8(b);
      }
      if (notWindows1252 == null && !utf8Only && !windows1252(b)) {
        notWindows1252 = new BadByte(row, line, b, false);
      }
      advance(b);
    }

    private void utf8(int b) {
      if (continuations > 0) {
        if (b < lowest || b > highest) {
          // The character that starts with the lead byte is cut short: the lead byte is the one named.
          notUtf8 = new BadByte(row, line, lead, false);
          return;
        }
        continuations--;
        lowest = 0x80;
        highest = 0xBF;
        return;
      }
      if (b < 0x80) {
        return;
      }
      lead = b;
      if (b >= 0xC2 && b <= 0xDF) {
        continuations = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        continuations = 2;
        lowest = b == 0xE0 ? 0xA0 : 0x80;
        highest = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        continuations = 3;
        lowest = b == 0xF0 ? 0x90 : 0x80;
        highest = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        notUtf8 = new BadByte(row, line, b, false);
      }
    }

    /** The end of the file: a character cut off there is not UTF-8. */
    void end() {
      if (notUtf8 == null && continuations > 0) {
        notUtf8 = new BadByte(row, line, lead, false);
      }
    }
  }

  /** Whether {@code b} is text in Windows-1252 as a spreadsheet writes it (see the class comment). */
  static boolean windows1252(int b) {
    if (b < 0x20) {
      return b == '\t' || b == '\n' || b == '\r';
    }
    return b != 0x7F && b != 0x81 && b != 0x8D && b != 0x8F && b != 0x90 && b != 0x9D;
  }

  private int nextByte() throws IOException {
    if (next == length) {
      length = in.read(buffer);
      next = 0;
      if (length <= 0) {
        length = 0;
        return -1;
      }
    }
    return buffer[next++] & 0xFF;
  }
}
