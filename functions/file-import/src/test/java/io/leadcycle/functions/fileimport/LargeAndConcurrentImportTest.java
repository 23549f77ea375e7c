package io.leadcycle.functions.fileimport;

import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.ScoringFixtures;

import static io.leadcycle.testing.HandlerCalls.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.Submission;
import io.leadcycle.forms.FormService;
import io.leadcycle.imports.ImportService;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import streams (a generated file far larger than what a 256 MB heap could hold as rows goes
 * through) and keeps intake's lock discipline (a person submitting a form while an import names them
 * ends as one contact).
 */
class LargeAndConcurrentImportTest {

  @TempDir
  Path bucket;
  private ImportFixtures.DirectoryFiles files;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    files = new ImportFixtures.DirectoryFiles(bucket);
  }

  /** A CSV of {@code rows} rows made as it is read: never in memory as a whole. */
  static InputStream generated(int rows) {
    Enumeration<InputStream> parts = new Enumeration<>() {
      int next = -1;

      @Override
      public boolean hasMoreElements() {
        return next < rows;
      }

      @Override
      public InputStream nextElement() {
        StringBuilder chunk = new StringBuilder();
        if (next < 0) {
          chunk.append("Email,First Name,Last Name,Company,Job Title,Notes\n");
          next = 0;
        }
        for (int i = 0; i < 1_000 && next < rows; i++, next++) {
          // Every 10th row repeats an earlier person; every 100th is bad.
          int person = next % 10 == 9 ? next - 5 : next;
          String email = next % 100 == 42 ? "no-at-sign" + next : "person" + person + "@example.com";
          chunk.append(email).append(",First").append(person).append(",Last").append(person)
              .append(",\"Company ").append(person % 500).append(", Inc.\",Engineer,\"a note, with a comma and ")
              .append("some length to it so that the rows are not tiny\"\n");
        }
        return new java.io.ByteArrayInputStream(chunk.toString().getBytes(StandardCharsets.UTF_8));
      }
    };
    return new SequenceInputStream(parts);
  }

  @Test
  void aLargeFileStreamsThroughASmallHeap() {
    assertThat(Runtime.getRuntime().maxMemory()).as("the tests run with -Xmx256m").isLessThanOrEqualTo(270L << 20);
    int rows = 150_000;
    files.override = () -> generated(rows);
    ImportService service = new ImportService(TestDatabase.database(), files);
    ImportJob job = service.create(ImportRequest.parse(Map.of("entity", "contacts", "fileName", "big.csv"))).job();

    new FileImportHandler(TestDatabase::database, files)
        .handleRequest(ImportFixtures.objectCreated(ImportFiles.keyOf(job.id(), job.fileName()), 30_000_000), null);

    ImportJob done = service.get(job.id());
    assertThat(done.status()).isEqualTo(ImportJob.COMPLETED_WITH_ERRORS);
    assertThat(done.rowsRead()).isEqualTo(rows);
    assertThat(done.counts().failed()).isEqualTo(rows / 100);
    long people = count("SELECT count(*) FROM contacts");
    assertThat(done.counts().created()).isEqualTo(people);
    assertThat(done.counts().created() + done.counts().updated() + done.counts().unchanged() + done.counts().failed())
        .isEqualTo(rows);
    assertThat(count("SELECT count(*) FROM (SELECT email_norm FROM contacts GROUP BY 1 HAVING count(*) > 1) d")).isZero();
  }

  /** {@code prefix}, then {@code length} bytes of {@code x}: made as it is read. */
  static InputStream endless(String prefix, long length) {
    byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
    return new InputStream() {
      long position;

      @Override
      public int read() {
        return position >= start.length + length ? -1 : position < start.length ? start[(int) position++] : bump();
      }

      private int bump() {
        position++;
        return 'x';
      }

      @Override
      public int read(byte[] buffer, int offset, int max) {
        if (position >= start.length + length) {
          return -1;
        }
        int n = 0;
        while (n < max && position < start.length + length) {
          buffer[offset + n++] = position < start.length ? start[(int) position] : (byte) 'x';
          position++;
        }
        return n;
      }
    };
  }

  private ImportJob importStream(java.util.function.Supplier<InputStream> file) {
    files.override = file;
    ImportService service = new ImportService(TestDatabase.database(), files);
    ImportJob job = service.create(ImportRequest.parse(Map.of("entity", "contacts", "fileName", "odd.csv"))).job();
    new FileImportHandler(TestDatabase::database, files)
        .handleRequest(ImportFixtures.objectCreated(ImportFiles.keyOf(job.id(), job.fileName()), 1), null);
    return service.get(job.id());
  }

  @Test
  void aQuoteNeverClosedFailsTheJobAtItsRowInsteadOfFillingTheHeap() {
    // 200 million characters after an opening quote: one cell, were it kept, larger than the heap.
    ImportJob done = importStream(() -> endless("Email,Notes\nada@example.com,ok\nbob@example.com,\"", 200_000_000L));

    assertThat(done.status()).isEqualTo(ImportJob.FAILED);
    assertThat(done.failure()).contains("row 3").contains("never closed");
  }

  @Test
  void aHeaderOfTooManyOrTooLongColumnsFailsTheJob() {
    StringBuilder wide = new StringBuilder("Email");
    for (int i = 0; i < 5_000; i++) {
      wide.append(",c").append(i);
    }
    String header = wide.append("\nada@example.com\n").toString();
    ImportJob tooWide = importStream(() -> new java.io.ByteArrayInputStream(header.getBytes(StandardCharsets.UTF_8)));
    assertThat(tooWide.status()).isEqualTo(ImportJob.FAILED);
    assertThat(tooWide.failure()).contains("5001 columns");

    String longHeader = "Email," + "y".repeat(50_000) + "\nada@example.com,1\n";
    ImportJob tooLong = importStream(() -> new java.io.ByteArrayInputStream(longHeader.getBytes(StandardCharsets.UTF_8)));
    assertThat(tooLong.status()).isEqualTo(ImportJob.FAILED);
    assertThat(tooLong.failure()).contains("longer than");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void aContactEditedBetweenTheImportsMatchAndItsRowLockIsNotTurnedBack() throws Exception {
    java.util.UUID ada = io.leadcycle.testing.ScoringFixtures.contact("ada@example.com", null, null);
    ImportService service = new ImportService(TestDatabase.database(), files);
    ImportJob job = service.create(ImportRequest.parse(Map.of("entity", "contacts", "fileName", "late.csv"))).job();
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    files.put(key, "Email,First Name\nada@example.com,Imported\n".getBytes(StandardCharsets.UTF_8));
    // A user's edit of Ada's email holds her row (PATCH /v1/contacts: her new email's key lock, then her row).
    io.vertx.sqlclient.SqlConnection edit = TestDatabase.database().pool().getConnection().await();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      io.vertx.sqlclient.Transaction tx = edit.begin().await();
      edit.preparedQuery("SELECT id FROM contacts WHERE id = $1 FOR NO KEY UPDATE")
          .execute(io.vertx.sqlclient.Tuple.of(ada)).await();
      Future<?> run = thread.submit(() -> new FileImportHandler(TestDatabase::database, files)
          .handleRequest(ImportFixtures.objectCreated(key, 40), null));
      // The import has matched Ada and waits for her row.
      long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (count("SELECT count(*) FROM pg_locks WHERE NOT granted") == 0) {
        assertThat(System.nanoTime()).as("the import waits for the row").isLessThan(until);
        Thread.sleep(20);
      }
      edit.preparedQuery("UPDATE contacts SET email = 'ada@new.example', email_norm = 'ada@new.example' WHERE id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(ada)).await();
      tx.commit().await();
      run.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      edit.close();
      thread.shutdownNow();
    }

    // As intake would: Ada keeps her new email, and the file's person is someone else now.
    assertThat(io.leadcycle.testing.HandlerCalls.row("SELECT email FROM contacts WHERE id = $1", ada).getString("email"))
        .isEqualTo("ada@new.example");
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'ada@example.com'")).isEqualTo(1);
    assertThat(service.get(job.id()).counts()).isEqualTo(new ImportJob.Counts(1, 0, 0, 0));
  }

  @Test
  void aSubmissionRacingAnImportOfTheSamePersonMakesOneContact() throws Exception {
    var form = new FormService(TestDatabase.database()).put(FormDefinition.parse("demo", new JsonObject(
        "{\"name\": \"Demo\", \"kind\": \"marketing_page\", \"requireSignature\": false}").getMap()),
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .await().form();
    IntakeService intake = new IntakeService(TestDatabase.database());
    ImportService imports = new ImportService(TestDatabase.database(), files, 50);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        StringBuilder csv = new StringBuilder("Email,First Name\n");
        for (int i = 0; i < 200; i++) {
          csv.append("racer").append(round).append('-').append(i).append("@example.com,Imported\n");
        }
        ImportJob job = imports.create(ImportRequest.parse(Map.of("entity", "contacts", "fileName", "race.csv"))).job();
        String key = ImportFiles.keyOf(job.id(), job.fileName());
        files.put(key, csv.toString().getBytes(StandardCharsets.UTF_8));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        work.add(threads.submit(() -> {
          start.await();
          new FileImportHandler(TestDatabase::database, files)
              .handleRequest(ImportFixtures.objectCreated(key, csv.length()), null);
          return null;
        }));
        for (int i = 0; i < 200; i += 29) {
          String email = "racer" + round + "-" + i + "@example.com";
          work.add(threads.submit(() -> {
            start.await();
            Submission submission = Submission.parse(null, null, Map.of("email", email, "lastName", "Submitted"), null,
                form);
            return intake.submit(form, submission, null).await();
          }));
        }
        start.countDown();
        for (Future<?> f : work) {
          f.get();
        }
        assertThat(imports.get(job.id()).status()).isEqualTo(ImportJob.COMPLETED);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1_000);
    assertThat(count("SELECT count(*) FROM (SELECT email_norm FROM contacts GROUP BY 1 HAVING count(*) > 1) d")).isZero();
    // Both wrote to the one contact: the import's first name and the submission's last name.
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm LIKE 'racer0-29@%' AND first_name = 'Imported'"
        + " AND last_name = 'Submitted'")).isEqualTo(1);
  }
}
