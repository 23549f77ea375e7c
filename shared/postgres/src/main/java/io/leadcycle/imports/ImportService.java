package io.leadcycle.imports;

import io.leadcycle.domain.ImportColumns;
import io.leadcycle.domain.ImportEntity;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportPreview;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.ImportRow;
import io.leadcycle.domain.ImportWarning;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.StrategyEntity;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.Failures;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.process.ProcessVersion;
import io.leadcycle.processes.ProcessCatalog;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.store.ImportStore;
import io.leadcycle.store.ImportStore.StoredError;
import io.leadcycle.store.MatchingStrategyStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * File imports of contacts and leads (docs/import.md): jobs created by the API, files read by the
 * function their arrival triggers. A file is streamed — parsed record by record with commons-csv, in
 * batches of {@code batchRows} ({@link ImportBatch}, one transaction each), the next batch parsed while
 * the previous one is written — so memory does not grow with the file. Each batch commits the job's
 * progress with its writes; a run that dies is taken over after its lease by the next (Lambda's retry),
 * which starts after the rows already committed. Re-running a file creates nothing new: its people are
 * matched, its leads found.
 */
public final class ImportService {

  /** Who created an imported lead, on its timeline and in its {@code lead.created} event. */
  public static final String ACTOR = "import";

  /** A CSV body sent to {@code POST /v1/imports} itself; larger files go through an upload URL. */
  public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
  /** How long an upload URL may be used. */
  public static final Duration UPLOAD_URL_VALIDITY = Duration.ofHours(1);
  /**
   * Rows per batch (transaction). Each holds one advisory lock per person and per account it names, from
   * PostgreSQL's shared lock table ({@code max_locks_per_transaction} × connections, 6,400 by default):
   * 1,000 stays well inside it beside concurrent intake.
   */
  public static final int DEFAULT_BATCH_ROWS = 1_000;
  /**
   * The most characters one record (row) may take in the file. A valid row is far smaller (at most 50
   * attributes of 2,000 characters beside the standard fields); a quote that is never closed takes in
   * the rest of the file as one cell, which would otherwise grow without bound in memory.
   */
  public static final int MAX_RECORD_CHARS = 4 * 1024 * 1024;
  /** The most columns a file may have (spreadsheets have at most 16,384; the job describes each). */
  public static final int MAX_COLUMNS = 1_000;
  /** The longest column header: longer ones are a sign that the first row is not a header. */
  public static final int MAX_HEADER_LENGTH = 1_000;
  /** How long a run holds its job without committing a batch before another run may take it over. */
  static final Duration LEASE = Duration.ofMinutes(2);

  /** Recorded on a finished job when a file arrives for it again: it is not read. */
  static final ImportWarning UPLOAD_IGNORED = new ImportWarning(ImportWarning.UPLOAD_IGNORED, null,
      "a file arrived after the import had finished (uploaded again, or the same upload announced twice) and was"
          + " not read: create a new import for it", 1, null, null, List.of());

  /**
   * Runs in a row that may stop before committing a batch before the sweeper gives the job up: a file that
   * stops every run (one that exhausts the function's memory) ends failed instead of being resumed for ever.
   */
  public static final int MAX_STALLED_RUNS = 5;
  static final String STALLED_FAILURE = "the import stopped " + MAX_STALLED_RUNS
      + " times in a row without importing another row; start a new import of the same file (it creates nothing twice)";

  /**
   * What one sweep did: jobs resumed (to their end, or as far as the run got), resumed runs that failed
   * their job, jobs given up, and jobs another run took first.
   */
  public record Sweep(int resumed, int failed, int gaveUp, int heldByAnotherRun) {
  }

  /** A job just created, with the URL its file goes to (null when the file came with the request). */
  public record Created(ImportJob job, URI uploadUrl) {
  }

  /** What one run did: null job when there was none to run. */
  public record RunSummary(ImportJob job, boolean ran, String skippedBecause) {
  }

  private final Database database;
  private final ImportFiles files;
  private final int batchRows;
  private final Nudge scoringNudge;
  private final ImportStore imports = new ImportStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();
  private final ProcessCatalog catalog = new ProcessCatalog();

  public ImportService(Database database, ImportFiles files) {
    this(database, files, DEFAULT_BATCH_ROWS);
  }

  public ImportService(Database database, ImportFiles files, int batchRows) {
    this(database, files, batchRows, Nudge.NONE);
  }

  /** As the others, nudging score recalculation after each batch that committed imported rows (their contacts are marked). */
  public ImportService(Database database, ImportFiles files, int batchRows, Nudge scoringNudge) {
    this.database = database;
    this.files = files;
    this.batchRows = batchRows;
    this.scoringNudge = scoringNudge;
  }

  /** A job awaiting its file, and the URL to PUT it to. */
  public Created create(ImportRequest request) {
    ImportJob job = createJob(request, ImportJob.AWAITING_UPLOAD);
    return new Created(job, files.uploadUrl(ImportFiles.keyOf(job.id(), job.fileName()), UPLOAD_URL_VALIDITY));
  }

  /** A job whose (small) file came with the request: stored where uploads go, so the same run reads it. */
  public ImportJob createWithFile(ImportRequest request, byte[] file) {
    ImportJob job = createJob(request, ImportJob.RUNNING);
    try {
      files.put(ImportFiles.keyOf(job.id(), job.fileName()), file);
    } catch (RuntimeException e) {
      database.inTransaction(conn -> imports.finish(conn, job.id(), ImportJob.FAILED, "the file could not be stored"))
          .await();
      throw e;
    }
    return job;
  }

  private ImportJob createJob(ImportRequest request, String status) {
    String strategyId = request.contactStrategyId() != null ? request.contactStrategyId() : MatchingStrategy.DEFAULT_CONTACT;
    return database.inTransaction(conn -> strategies.find(conn, strategyId).compose(strategy -> {
      checkStrategy(strategy, strategyId);
      // The leads' process must be live when the import is created; the run puts them on its latest version.
      return catalog.live(conn, request.processId(), "processId");
    }).compose(process -> imports.create(conn, UUID.randomUUID(), request, strategyId, status))).await();
  }

  private static void checkStrategy(MatchingStrategy strategy, String id) {
    if (strategy == null) {
      throw new InvalidInput("contactStrategyId", "no matching strategy " + id);
    }
    if (strategy.entity() != StrategyEntity.CONTACT || strategy.fields().contains(MatchField.MARKETING_CONTEXT_ID)) {
      throw new InvalidInput("contactStrategyId", "must be a contact strategy that matches on contact fields only");
    }
  }

  public ImportJob get(UUID id) {
    ImportJob job = database.read(conn -> imports.find(conn, id)).await();
    if (job == null) {
      throw new NotFound("No import with id " + id + ".");
    }
    return job;
  }

  public List<ImportJob> list(Instant afterCreated, UUID afterId, int limit) {
    return database.read(conn -> imports.list(conn, afterCreated, afterId, limit)).await();
  }

  /** Errors of a job in row order, after {@code after} (a position from a previous page; 0 first). */
  public List<StoredError> errors(UUID id, long after, int limit) {
    get(id);
    return database.read(conn -> imports.errors(conn, id, after, limit)).await();
  }

  /**
   * Reads the file of job {@code jobId} and imports it, unless the job is finished (a duplicate event).
   * While another run holds it, {@link Unavailable} is thrown, for the trigger to retry later. A file
   * that cannot be read as CSV fails the job; a database that fails frees the job and is thrown too.
   *
   * @param metrics counts each batch's rows once it has committed, so a run that fails later keeps what it did
   */
  public RunSummary run(UUID jobId, Supplier<InputStream> file, Metrics metrics) {
    ImportStore.Claimed claimed = database.inTransaction(conn -> imports.claim(conn, jobId, LEASE)).await();
    if (claimed == null) {
      ImportJob job = database.read(conn -> imports.find(conn, jobId)).await();
      if (job == null) {
        throw new NotFound("No import " + jobId + " for this file.");
      }
      if (!job.finished()) {
        // Held by a run that is working, or that died and whose lease has not ended yet: the trigger's
        // retry comes back later and takes it over if it is still held by nobody.
        throw new Unavailable("import " + jobId + " is held by another run for now");
      }
      // In AWS the upload URL is S3's own: a second PUT to it cannot be refused, only not read. The job
      // says so, so that whoever uploaded again learns why nothing changed.
      ImportJob noted = database.inTransaction(conn -> imports.addWarnings(conn, jobId, List.of(UPLOAD_IGNORED))
          .compose(none -> imports.find(conn, jobId))).await();
      return new RunSummary(noted, false, "the import is " + job.status());
    }
    ImportJob job = claimed.job();
    int run = claimed.run();
    try {
      ImportJob done = read(job, run, file, metrics);
      return done != null ? new RunSummary(done, true, null) : takenOver(job);
    } catch (UnreadableFile e) {
      ImportJob failed = finish(job.id(), run, ImportJob.FAILED, e.getMessage());
      return failed != null ? new RunSummary(failed, true, null) : takenOver(job);
    } catch (ImportStore.TakenOver e) {
      return takenOver(job);
    } catch (RuntimeException | Error e) {
      if (Failures.isDatabaseUnavailable(e) || Failures.isTimeout(e) || Failures.isAbortedByServer(e)) {
        database.inTransaction(conn -> imports.release(conn, job.id(), run)).otherwiseEmpty().await();
        throw e;
      }
      // Unless another run has the job by now: then it is theirs to end.
      finish(job.id(), run, ImportJob.FAILED, "the import stopped: " + e.getClass().getSimpleName()
          + " (see the log with this job's id)");
      throw e;
    }
  }

  /** Another run took the job over while this one was slow: this one's last batch rolled back; the job is theirs. */
  private RunSummary takenOver(ImportJob job) {
    ImportJob now = database.read(conn -> imports.find(conn, job.id())).await();
    return new RunSummary(now, false, "another run took the import over");
  }

  /**
   * Resumes jobs no run holds (their run died and its lease ended, or the file's event never started
   * one): up to {@code maxJobs}, oldest first, one after another, each from its committed rows, reading
   * its file by key. Jobs whose last {@link #MAX_STALLED_RUNS} runs committed nothing are failed instead.
   * A job another run (a retry, another sweep) takes meanwhile is left to it. A database that fails is
   * thrown (the job is freed for the next sweep); any other failure has failed its job and the sweep goes on.
   */
  public Sweep resumeAbandoned(int maxJobs, Metrics metrics) {
    List<UUID> gaveUp = database.inTransaction(conn -> imports.giveUpStalled(conn, LEASE, MAX_STALLED_RUNS,
        STALLED_FAILURE)).await();
    List<ImportJob> abandoned = database.read(conn -> imports.abandoned(conn, LEASE, maxJobs)).await();
    int resumed = 0;
    int failed = 0;
    int held = 0;
    for (ImportJob job : abandoned) {
      String key = ImportFiles.keyOf(job.id(), job.fileName());
      try {
        if (run(job.id(), () -> files.open(key), metrics).ran()) {
          resumed++;
        }
      } catch (Unavailable e) {
        held++;
      } catch (RuntimeException e) {
        if (Failures.isDatabaseUnavailable(e) || Failures.isTimeout(e) || Failures.isAbortedByServer(e)) {
          throw e;
        }
        // The run failed its job, saying so on it: nothing is left running, and the sweep goes on.
        failed++;
        JsonLog.error(null, "resuming import " + job.id() + " failed", e,
            new JsonObject().put("importId", job.id().toString()));
      }
    }
    return new Sweep(resumed, failed, gaveUp.size(), held);
  }

  /** A file that is not CSV as an import reads it (no known encoding, no header, no column to match on). */
  public static final class UnreadableFile extends RuntimeException {
    UnreadableFile(String message) {
      super(message);
    }
  }

  /** Reads the file as run {@code run}; null when another run took the job over before it ended it. */
  private ImportJob read(ImportJob job, int run, Supplier<InputStream> file, Metrics metrics) {
    ImportRequest request = job.request();
    MatchingStrategy strategy = database.read(conn -> strategies.find(conn, job.contactStrategyId())).await();
    if (strategy == null) {
      throw new UnreadableFile("the contact strategy " + job.contactStrategyId() + " no longer exists");
    }
    // Read once a run: the import's leads go on its process's latest version, even if it was retired since the
    // import was created (the file is not lost for it).
    ProcessVersion process = request.entity() != ImportEntity.LEADS || ProcessDefinition.DEFAULT_ID.equals(
        request.processId()) ? ProcessVersion.DEFAULT
        : database.read(conn -> catalog.latest(conn, request.processId())).await();
    // A first pass over the whole file tells its encoding: a file in none fails here, before any row is
    // written, naming the row of its first bad byte (a second read streams it again, never holding it).
    FileEncoding.Detected encoding = CsvRows.encodingOf(file.get());
    database.inTransaction(conn -> imports.setEncoding(conn, job.id(), encoding.name())).await();
    try (CsvRows records = CsvRows.open(file.get(), encoding)) {
      ImportColumns columns = ImportColumns.plan(records.header(), request);
      checkColumns(request, strategy, columns);
      Map<String, Object> described = columns.describe();
      described.put("delimiter", String.valueOf(records.delimiter()));
      database.inTransaction(conn -> imports.setColumns(conn, job.id(), described)).await();
      for (long i = 0; i < job.rowsRead() && records.hasNext(); i++) {
        records.next(); // committed by an earlier run
      }
      // The next batch is parsed while the previous one is written; batches commit in file order.
      Future<ImportBatch.Result> pending = null;
      long committed = job.rowsRead();
      while (true) {
        List<ImportRow.Read> batch = new ArrayList<>();
        while (batch.size() < batchRows && records.hasNext()) {
          List<String> values = records.next().toList();
          if (!isBlank(values)) {
            batch.add(ImportRow.read(records.row(), values, columns, request, strategy));
          }
        }
        if (pending != null) {
          ImportBatch.Result written = pending.await();
          written.countIn(metrics, request.entity());
          if (written.imported()) {
            scoringNudge.send("import"); // committed: scoring starts while the rest of the file is read
          }
        }
        if (batch.isEmpty()) {
          break;
        }
        pending = database.inTransaction(new ImportBatch(job.id(), run, request, strategy, process, LEASE, batch, committed,
            records.row() - 1)::write);
        committed = records.row() - 1;
      }
      ImportJob done = database.read(conn -> imports.find(conn, job.id())).await();
      return finish(job.id(), run, done.counts().failed() > 0 ? ImportJob.COMPLETED_WITH_ERRORS : ImportJob.COMPLETED,
          null);
    }
  }

  /**
   * An empty line, or one of separators only (as spreadsheets write rows they think used): no data, nothing
   * to report.
   */
  private static boolean isBlank(List<String> values) {
    return values.stream().allMatch(value -> value == null || value.isBlank());
  }

  /**
   * What importing {@code file} would do, without writing anything ({@code POST /v1/imports/preview}): the
   * source recognised, the encoding, the delimiter, how each column is read, the first {@code rowsShown}
   * rows as they would land, and over the whole file the rows refused (the first errors) and the warnings
   * a run would record. Matching against stored contacts is not part of it.
   *
   * @throws UnreadableFile for a file whose header cannot be read (no encoding, empty, not CSV)
   */
  public ImportPreview preview(ImportRequest request, byte[] file, int rowsShown) {
    String strategyId = request.contactStrategyId() != null ? request.contactStrategyId() : MatchingStrategy.DEFAULT_CONTACT;
    MatchingStrategy strategy = database.read(conn -> strategies.find(conn, strategyId)).await();
    checkStrategy(strategy, strategyId);
    FileEncoding.Detected encoding = CsvRows.encodingOf(new java.io.ByteArrayInputStream(file));
    try (CsvRows records = CsvRows.open(new java.io.ByteArrayInputStream(file), encoding)) {
      ImportColumns columns = ImportColumns.plan(records.header(), request);
      ImportPreview.Builder preview = new ImportPreview.Builder(encoding.name(), records.delimiter(), columns, rowsShown);
      try {
        checkColumns(request, strategy, columns);
        while (records.hasNext()) {
          List<String> values = records.next().toList();
          if (!isBlank(values)) {
            preview.add(ImportRow.read(records.row(), values, columns, request, strategy));
          }
        }
      } catch (UnreadableFile e) {
        // Past the header a run would fail here (after importing the rows before): the preview says so.
        preview.failure(e.getMessage());
      }
      return preview.build();
    }
  }

  /** Ends the job as run {@code run}; null when another run holds it by now. */
  private ImportJob finish(UUID id, int run, String status, String failure) {
    return database.inTransaction(conn -> imports.finishRun(conn, id, run, status, failure)).await();
  }

  /** A contacts import whose header names none of the strategy's fields cannot import a single row. */
  private static void checkColumns(ImportRequest request, MatchingStrategy strategy, ImportColumns columns) {
    if (request.entity() != ImportEntity.CONTACTS) {
      return;
    }
    for (MatchField field : strategy.fields()) {
      if (columns.columnOf(field.wireName()) == null) {
        throw new UnreadableFile("no column fills " + field.wireName() + ", which contact strategy " + strategy.id()
            + " matches on; the columns are read as: " + columns.columns());
      }
    }
  }

}
