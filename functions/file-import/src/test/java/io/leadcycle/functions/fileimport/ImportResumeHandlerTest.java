package io.leadcycle.functions.fileimport;

import static io.leadcycle.testing.HandlerCalls.count;
import static io.leadcycle.testing.HandlerCalls.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.imports.ImportService;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import sweeper ({@link ImportResumeHandler}): a job whose run died — its lease ended, no retry came —
 * is resumed from its committed rows and completes with each row once; a job a live run holds, or whose
 * file is still on its way, is left alone; a job that stops every run is given up.
 */
class ImportResumeHandlerTest {

  private final ScheduledEvent schedule =
      LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));

  @TempDir
  Path bucket;
  private ImportFixtures.DirectoryFiles files;
  private ImportResumeHandler sweeper;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    files = new ImportFixtures.DirectoryFiles(bucket);
    sweeper = new ImportResumeHandler(TestDatabase::database, files);
  }

  private ImportService service() {
    return new ImportService(TestDatabase.database(), files);
  }

  private ImportJob newJob(String fileName, String csv) {
    ImportJob job = service().create(ImportRequest.parse(new JsonObject(
        "{\"entity\": \"contacts\", \"fileName\": \"" + fileName + "\"}").getMap())).job();
    files.put(ImportFiles.keyOf(job.id(), job.fileName()), csv.getBytes(StandardCharsets.UTF_8));
    return job;
  }

  private static String people(int rows) {
    StringBuilder csv = new StringBuilder("Email,First name\n");
    for (int i = 1; i <= rows; i++) {
      csv.append("person").append(i).append("@example.com,Person ").append(i).append('\n');
    }
    return csv.toString();
  }

  private static void sql(String statement, Object... params) {
    TestDatabase.database().pool().preparedQuery(statement).execute(Tuple.from(params)).await();
  }

  @Test
  void anImportWhoseRunDiedMidWayIsResumedAndImportsEachRowOnce() throws Exception {
    String csv = people(1_500);
    ImportJob job = newJob("crashed.csv", csv);
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    // The first run reads the file as S3 streams it, and its function dies in the middle of row 1,200: the
    // stream stops there, after the first batch (1,000 rows) has committed. Its lease is never released.
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    int diesAt = csv.indexOf("person1200@");
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch gone = new CountDownLatch(1);
    AtomicInteger opens = new AtomicInteger();
    files.override = () -> {
      if (opens.incrementAndGet() == 1) {
        return new ByteArrayInputStream(bytes); // the encoding check's first pass reads the whole file
      }
      files.override = null; // later runs read the whole file
      return new DyingStream(bytes, diesAt, stuck, gone);
    };
    AtomicReference<Throwable> firstRunFailure = new AtomicReference<>();
    Thread firstRun = new Thread(() -> {
      try {
        new FileImportHandler(TestDatabase::database, files).handleRequest(ImportFixtures.objectCreated(key, bytes.length),
            null);
      } catch (Throwable e) {
        firstRunFailure.set(e);
      }
    });
    firstRun.start();
    assertThat(stuck.await(30, TimeUnit.SECONDS)).isTrue();
    awaitCommittedRows(job, 1_000);
    // Its lease (2 minutes) has ended; S3's retries are long over.
    sql("UPDATE imports SET claimed_until = now() - interval '1 second' WHERE id = $1", job.id());

    Map<String, Object> summary = sweeper.handleRequest(schedule, null);

    assertThat(summary).containsEntry("importsResumed", 1).containsEntry("importsGivenUp", 0);
    ImportJob done = service().get(job.id());
    assertThat(done.status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(done.rowsRead()).isEqualTo(1_500);
    assertThat(done.counts()).isEqualTo(new ImportJob.Counts(1_500, 0, 0, 0));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1_500);
    assertThat(count("SELECT count(DISTINCT email_norm) FROM contacts")).isEqualTo(1_500);
    assertThat(row("SELECT runs, stalled_runs FROM imports WHERE id = $1", job.id()).toJson())
        .isEqualTo(new JsonObject().put("runs", 2).put("stalled_runs", 0));

    // The first run wakes up (its connection lost): the job is no longer its to end.
    gone.countDown();
    firstRun.join(30_000);
    assertThat(firstRun.isAlive()).isFalse();
    assertThat(firstRunFailure.get()).isNull();
    assertThat(service().get(job.id()).status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1_500);
  }

  @Test
  void aJobALiveRunHoldsOrWhoseFileIsStillOnItsWayIsLeftAlone() {
    ImportJob held = newJob("held.csv", people(2));
    sql("UPDATE imports SET status = 'running', claimed_until = now() + interval '1 minute' WHERE id = $1", held.id());
    // A CSV body's job is running from its 202, before S3's event starts its first run.
    ImportJob arriving = service().createWithFile(ImportRequest.parse(new JsonObject(
        "{\"entity\": \"contacts\", \"fileName\": \"arriving.csv\"}").getMap()),
        people(2).getBytes(StandardCharsets.UTF_8));
    ImportJob awaiting = newJob("awaiting.csv", people(2));

    Map<String, Object> summary = sweeper.handleRequest(schedule, null);

    assertThat(summary).containsEntry("importsResumed", 0).containsEntry("importsGivenUp", 0);
    assertThat(service().get(held.id()).status()).isEqualTo(ImportJob.RUNNING);
    assertThat(service().get(arriving.id()).status()).isEqualTo(ImportJob.RUNNING);
    assertThat(service().get(awaiting.id()).status()).isEqualTo(ImportJob.AWAITING_UPLOAD);
    assertThat(count("SELECT count(*) FROM contacts")).isZero();

    // Once a lease has passed since it was created, no event came: the sweeper starts its run.
    sql("UPDATE imports SET created_at = now() - interval '3 minutes' WHERE id = $1", arriving.id());
    assertThat(sweeper.handleRequest(schedule, null)).containsEntry("importsResumed", 1);
    assertThat(service().get(arriving.id()).status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(2);
  }

  @Test
  void aJobWhoseRunsKeepStoppingBeforeAnyBatchIsGivenUpWithTheReason() {
    ImportJob stopsEveryRun = newJob("poison.csv", people(2));
    ImportJob oneMoreTry = newJob("another-try.csv", people(2));
    sql("UPDATE imports SET status = 'running', claimed_until = now() - interval '1 second', runs = $2,"
        + " stalled_runs = $2 WHERE id = $1", stopsEveryRun.id(), ImportService.MAX_STALLED_RUNS);
    sql("UPDATE imports SET status = 'running', claimed_until = now() - interval '1 second', runs = $2,"
        + " stalled_runs = $2 WHERE id = $1", oneMoreTry.id(), ImportService.MAX_STALLED_RUNS - 1);

    Map<String, Object> summary = sweeper.handleRequest(schedule, null);

    assertThat(summary).containsEntry("importsGivenUp", 1).containsEntry("importsResumed", 1);
    ImportJob gaveUp = service().get(stopsEveryRun.id());
    assertThat(gaveUp.status()).isEqualTo(ImportJob.FAILED);
    assertThat(gaveUp.failure()).contains("stopped 5 times in a row").contains("start a new import of the same file");
    assertThat(gaveUp.finishedAt()).isNotNull();
    assertThat(service().get(oneMoreTry.id()).status()).isEqualTo(ImportJob.COMPLETED);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(2); // the second file's people only
  }

  @Test
  void aJobWhoseFileIsGoneFailsInsteadOfStayingRunning() throws IOException {
    ImportJob job = newJob("deleted.csv", people(2));
    java.nio.file.Files.delete(bucket.resolve(ImportFiles.keyOf(job.id(), job.fileName())));
    sql("UPDATE imports SET status = 'running', claimed_until = now() - interval '1 second' WHERE id = $1", job.id());

    Map<String, Object> summary = sweeper.handleRequest(schedule, null);

    assertThat(summary).containsEntry("importsFailed", 1);
    ImportJob failed = service().get(job.id());
    assertThat(failed.status()).isEqualTo(ImportJob.FAILED);
    assertThat(failed.failure()).startsWith("the import stopped");
  }

  private static void awaitCommittedRows(ImportJob job, long rows) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (row("SELECT rows_committed FROM imports WHERE id = $1", job.id()).getLong(0) >= rows) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the first batch never committed");
  }

  /**
   * A file as a function reads it from S3 when the function dies: bytes in small reads, never more than
   * asked for ahead ({@code available()} 0, so the reader passes on what it has), until {@code diesAt};
   * there it waits, and fails once {@code gone} opens, as a read on a lost connection would.
   */
  private static final class DyingStream extends InputStream {
    private final ByteArrayInputStream bytes;
    private final int diesAt;
    private final CountDownLatch stuck;
    private final CountDownLatch gone;
    private int position;

    DyingStream(byte[] content, int diesAt, CountDownLatch stuck, CountDownLatch gone) {
      this.bytes = new ByteArrayInputStream(content);
      this.diesAt = diesAt;
      this.stuck = stuck;
      this.gone = gone;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (position >= diesAt) {
        stuck.countDown();
        try {
          gone.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("Connection reset");
      }
      int n = bytes.read(buffer, offset, Math.min(Math.min(length, 1024), diesAt - position));
      position += n;
      return n;
    }

    @Override
    public int available() {
      return 0;
    }
  }
}
