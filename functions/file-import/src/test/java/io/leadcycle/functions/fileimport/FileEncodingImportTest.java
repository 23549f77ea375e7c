package io.leadcycle.functions.fileimport;

import static io.leadcycle.testing.HandlerCalls.count;
import static io.leadcycle.testing.HandlerCalls.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.imports.ImportService;
import io.leadcycle.store.ImportStore.StoredError;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as spreadsheets and other tools save them: Excel's plain "CSV" (Windows-1252), "CSV UTF-8" (a
 * byte order mark), "Unicode text" (UTF-16 with one), and files in no encoding at all. Each is read in
 * its encoding or fails before a single row is written; a NUL in a cell is that row's error.
 */
class FileEncodingImportTest {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  /** Excel's plain "CSV" in a German locale: semicolons, CR LF, umlauts in cells and in a header. */
  static final String GERMAN_EXPORT = "E-Mail;Vorname;Stadt;Straße\r\n"
      + "kaethe@example.com;Käthe;Genève;Hauptstraße 1\r\n"
      + "jurgen@example.com;Jürgen;Zürich;Bahnhofstraße 2\r\n";

  @TempDir
  Path bucket;
  private ImportFixtures.DirectoryFiles files;
  private FileImportHandler handler;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    files = new ImportFixtures.DirectoryFiles(bucket);
    handler = new FileImportHandler(TestDatabase::database, files);
  }

  private ImportService service() {
    return new ImportService(TestDatabase.database(), files);
  }

  /** Creates a job, puts {@code content} where its upload goes, and delivers S3's event for it. */
  private ImportJob importBytes(String requestJson, byte[] content) {
    return ImportFixtures.importThroughBucket(service(), files, handler, requestJson, content);
  }

  /** The street column mapped by its header: a header read wrongly would name no column of the file. */
  private static final String STREETS = """
      {"entity": "contacts", "fileName": "export.csv", "mapping": {"Straße": "attributes.street"}}""";

  private static Row contact(String email) {
    return row("SELECT * FROM contacts WHERE email_norm = $1", email);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private void assertTheGermanExportWasReadRight(ImportJob job, String encoding) {
    assertThat(job.status()).as(job.failure()).isEqualTo(ImportJob.COMPLETED);
    assertThat(job.encoding()).isEqualTo(encoding);
    assertThat(job.counts().created()).isEqualTo(2);
    assertThat(job.columns().get("warnings")).isEqualTo(List.of());
    Row kaethe = contact("kaethe@example.com");
    assertThat(kaethe.getString("first_name")).isEqualTo("Käthe");
    assertThat(kaethe.getJsonObject("attributes"))
        .isEqualTo(new JsonObject().put("Stadt", "Genève").put("street", "Hauptstraße 1"));
    assertThat(contact("jurgen@example.com").getString("first_name")).isEqualTo("Jürgen");
    assertThat(count("SELECT count(*) FROM contacts WHERE strpos(first_name || attributes::text, U&'\\FFFD') > 0"))
        .isZero();
  }

  @Test
  void excelsPlainCsvInWindows1252IsReadWithItsUmlauts() {
    ImportJob job = importBytes(STREETS, GERMAN_EXPORT.getBytes(WINDOWS_1252));

    assertTheGermanExportWasReadRight(job, "windows-1252");
  }

  @Test
  void utf8WithAByteOrderMarkAndUtf16WithOneAreReadInTheirEncoding() {
    byte[] utf8 = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, GERMAN_EXPORT.getBytes(StandardCharsets.UTF_8));
    assertTheGermanExportWasReadRight(importBytes(STREETS, utf8), "UTF-8");

    TestDatabase.reset();
    byte[] utf16le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, GERMAN_EXPORT.getBytes(StandardCharsets.UTF_16LE));
    assertTheGermanExportWasReadRight(importBytes(STREETS, utf16le), "UTF-16LE");

    TestDatabase.reset();
    byte[] utf16be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, GERMAN_EXPORT.getBytes(StandardCharsets.UTF_16BE));
    assertTheGermanExportWasReadRight(importBytes(STREETS, utf16be), "UTF-16BE");
  }

  @Test
  void aFileInNoEncodingFailsBeforeAnyRowIsWrittenNamingTheRowsOfItsBadBytes() {
    // Valid UTF-8 for far more than a batch of rows (a quoted line break in row 3), then a Windows-1252 'ä'
    // in row 1500 (not UTF-8), then a byte Windows-1252 leaves undefined in row 1800.
    StringBuilder head = new StringBuilder("Email,First Name\n");
    head.append("person2@example.com,Käthe\n");
    head.append("person3@example.com,\"two\nlines\"\n");
    for (int row = 4; row < 1500; row++) {
      head.append("person").append(row).append("@example.com,Käthe\n");
    }
    StringBuilder middle = new StringBuilder();
    for (int row = 1501; row < 1800; row++) {
      middle.append("person").append(row).append("@example.com,Jürgen\n");
    }
    byte[] file = concat(head.toString().getBytes(StandardCharsets.UTF_8),
        "person1500@example.com,J".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xE4},
        "rgen\n".getBytes(StandardCharsets.US_ASCII), middle.toString().getBytes(StandardCharsets.UTF_8),
        "person1800@example.com,Bob".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0x81, '\n'});

    ImportJob job = importBytes("{\"entity\": \"contacts\", \"fileName\": \"mixed.csv\"}", file);

    assertThat(job.status()).isEqualTo(ImportJob.FAILED);
    assertThat(job.failure()).isEqualTo("the file is not text in UTF-8, UTF-16 or Windows-1252: it is not UTF-8"
        + " because row 1500 (line 1501 of the file) has byte 0xE4, and not Windows-1252 because row 1800 (line 1801"
        + " of the file) has byte 0x81; save it as CSV UTF-8");
    assertThat(job.encoding()).isNull();
    assertThat(job.rowsRead()).isZero();
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void aFileOfRandomBytesFailsTheJobSayingWhy() {
    byte[] noise = new byte[64 * 1024];
    new Random(22).nextBytes(noise);

    ImportJob job = importBytes("{\"entity\": \"contacts\", \"fileName\": \"noise.bin\"}", noise);

    assertThat(job.status()).isEqualTo(ImportJob.FAILED);
    assertThat(job.failure()).startsWith("the file is not text in UTF-8, UTF-16 or Windows-1252: it is not UTF-8"
        + " because row 1 has byte");
    assertThat(job.finishedAt()).isNotNull();
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void aFileThatStartsWithAByteOrderMarkMustBeInItsEncoding() {
    byte[] utf8 = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "Email,First Name\nada@example.com,K".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xE4, '\n'});
    ImportJob notUtf8 = importBytes("{\"entity\": \"contacts\", \"fileName\": \"bom.csv\"}", utf8);
    assertThat(notUtf8.failure()).isEqualTo("the file starts with UTF-8's byte order mark but is not UTF-8: row 2"
        + " has byte 0xE4, which UTF-8 has not there; save it as CSV UTF-8");

    // A high surrogate with no low one after it.
    byte[] utf16 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
        "Email\nada@example.com\n".getBytes(StandardCharsets.UTF_16LE), new byte[] {0x00, (byte) 0xD8, 'x', 0});
    ImportJob notUtf16 = importBytes("{\"entity\": \"contacts\", \"fileName\": \"utf16.csv\"}", utf16);
    assertThat(notUtf16.failure()).isEqualTo("the file starts with UTF-16LE's byte order mark but is not UTF-16LE:"
        + " row 3 has the code unit 0xD800, half of a character; save it as CSV UTF-8");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void aNulInACellIsThatRowsErrorAndTheOtherRowsAreImported() {
    ImportJob job = importBytes("{\"entity\": \"contacts\", \"fileName\": \"nul.csv\"}",
        "Email,First Name,Notes\nada@example.com,A\0da,\nbob@example.com,Bob,x\0y\ncarol@example.com,Carol,\n"
            .getBytes(StandardCharsets.UTF_8));

    assertThat(job.status()).as(job.failure()).isEqualTo(ImportJob.COMPLETED_WITH_ERRORS);
    assertThat(job.encoding()).isEqualTo("UTF-8");
    assertThat(job.counts()).isEqualTo(new ImportJob.Counts(1, 0, 0, 2));
    assertThat(service().errors(job.id(), 0, 10).stream().map(StoredError::error).toList()).containsExactly(
        new RowError(2, "First Name", "A\u2400da", "must not contain the NUL character"),
        new RowError(3, "Notes", "x\u2400y", "must not contain the NUL character"));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void aNulInAHeaderFailsTheJobSayingWhichColumn() {
    ImportJob job = importBytes("{\"entity\": \"contacts\", \"fileName\": \"nul.csv\"}",
        "Email,No\0tes\nada@example.com,x\n".getBytes(StandardCharsets.UTF_8));

    assertThat(job.status()).isEqualTo(ImportJob.FAILED);
    assertThat(job.failure()).isEqualTo("the header of column 2 must not contain the NUL character: the first row"
        + " must name the columns");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }
}
