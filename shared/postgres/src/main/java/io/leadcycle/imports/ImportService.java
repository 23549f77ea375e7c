package io.leadcycle.imports;

import io.leadcycle.domain.Fields;
import io.leadcycle.domain.ImportColumns;
import io.leadcycle.domain.ImportEntity;
import io.leadcycle.domain.ImportJob;
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
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.store.ImportStore;
import io.leadcycle.store.ImportStore.StoredError;
import io.leadcycle.store.MatchingStrategyStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

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
  private final ImportStore imports = new ImportStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();

  public ImportService(Database database, ImportFiles files) {
    this(database, files, DEFAULT_BATCH_ROWS);
  }

  public ImportService(Database database, ImportFiles files, int batchRows) {
    this.database = database;
    this.files = files;
    this.batchRows = batchRows;
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
      return imports.create(conn, UUID.randomUUID(), request, strategyId, status);
    })).await();
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
  static final class UnreadableFile extends RuntimeException {
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
    // A first pass over the whole file tells its encoding: a file in none fails here, before any row is
    // written, naming the row of its first bad byte (a second read streams it again, never holding it).
    FileEncoding.Detected encoding;
    try (InputStream in = file.get()) {
      encoding = FileEncoding.detect(in);
    } catch (FileEncoding.NotText e) {
      throw new UnreadableFile(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    database.inTransaction(conn -> imports.setEncoding(conn, job.id(), encoding.name())).await();
    try (InputStream in = file.get(); Reader reader = reader(in, encoding)) {
      char delimiter = delimiter(reader);
      RecordLimit limited = new RecordLimit(reader, MAX_RECORD_CHARS);
      Iterator<CSVRecord> parsed = CSVFormat.RFC4180.builder()
          .setDelimiter(delimiter)
          .setIgnoreEmptyLines(false)
          // A quote still open at the end of the file is an error: leniency would make the rest of the file
          // one cell of one row, and the rows in it would be gone without a word.
          .setLenientEof(false)
          .setTrailingData(true)
          .get()
          .parse(limited)
          .iterator();
      Iterator<CSVRecord> records = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return parsed.hasNext();
        }

        @Override
        public CSVRecord next() {
          CSVRecord record = parsed.next();
          limited.recordEnded();
          return record;
        }
      };
      if (!hasNext(records, 1)) {
        throw new UnreadableFile("the file is empty: the first row must name the columns");
      }
      List<String> header = next(records, 1).toList();
      checkHeader(header);
      ImportColumns columns = ImportColumns.plan(header, request);
      checkColumns(request, strategy, columns);
      database.inTransaction(conn -> imports.setColumns(conn, job.id(), describe(columns))).await();
      long record = 1; // the header; a record's number is its row as a spreadsheet shows it
      for (long i = 0; i < job.rowsRead() && hasNext(records, record + 1); i++) {
        next(records, ++record); // committed by an earlier run
      }
      // The next batch is parsed while the previous one is written; batches commit in file order.
      Future<ImportBatch.Result> pending = null;
      long committed = job.rowsRead();
      while (true) {
        List<ImportRow.Read> batch = new ArrayList<>();
        while (batch.size() < batchRows && hasNext(records, record + 1)) {
          CSVRecord values = next(records, ++record);
          if (values.stream().allMatch(value -> value == null || value.isBlank())) {
            // An empty line, or one of separators only (as spreadsheets write rows they think used): no
            // data, nothing to report.
            continue;
          }
          batch.add(ImportRow.read(record, values.toList(), columns, request, strategy));
        }
        if (pending != null) {
          pending.await().countIn(metrics, request.entity());
        }
        if (batch.isEmpty()) {
          break;
        }
        pending = database.inTransaction(new ImportBatch(job.id(), run, request, strategy, LEASE, batch, committed,
            record - 1)::write);
        committed = record - 1;
      }
      ImportJob done = database.read(conn -> imports.find(conn, job.id())).await();
      return finish(job.id(), run, done.counts().failed() > 0 ? ImportJob.COMPLETED_WITH_ERRORS : ImportJob.COMPLETED,
          null);
    } catch (CharacterCodingException e) {
      // The first pass found the file valid: it changed between the two reads.
      throw new UnreadableFile("the file is no longer " + encoding.name() + " as its first read found it: upload it again");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the job as run {@code run}; null when another run holds it by now. */
  private ImportJob finish(UUID id, int run, String status, String failure) {
    return database.inTransaction(conn -> imports.finishRun(conn, id, run, status, failure)).await();
  }

  private static void checkHeader(List<String> header) {
    if (header.size() > MAX_COLUMNS) {
      throw new UnreadableFile("the file has " + header.size() + " columns; an import reads at most " + MAX_COLUMNS);
    }
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      String fault = name == null ? null : Fields.textFault(name);
      if (fault != null) {
        throw new UnreadableFile("the header of column " + (i + 1) + " " + fault + ": the first row must name the columns");
      }
      if (name != null && name.length() > MAX_HEADER_LENGTH) {
        throw new UnreadableFile("a column header is longer than " + MAX_HEADER_LENGTH
            + " characters: the first row must name the columns");
      }
    }
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

  /** A record over {@link #MAX_RECORD_CHARS}: most likely a quote that is never closed. */
  static final class RecordTooLong extends IOException {
    RecordTooLong(long limit) {
      super("a row is longer than " + limit + " characters (is a quote never closed?)");
    }
  }

  /** A contacts import whose header names none of the strategy's fields cannot import a single row. */
  private static void checkColumns(ImportRequest request, MatchingStrategy strategy, ImportColumns columns) {
    if (request.entity() != ImportEntity.CONTACTS) {
      return;
    }
    for (MatchField field : strategy.fields()) {
      if (columns.columnOf(field.wireName()) == null) {
        throw new UnreadableFile("no column fills " + field.wireName() + ", which contact strategy " + strategy.id()
            + " matches on; the columns are read as: " + describe(columns).get("columns"));
      }
    }
  }

  private static Map<String, Object> describe(ImportColumns columns) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("columns", columns.columns());
    described.put("attributeColumns", columns.attributeColumns());
    described.put("ignoredColumns", columns.ignoredColumns());
    described.put("warnings", columns.warnings());
    return described;
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

  private static boolean hasNext(Iterator<CSVRecord> records, long row) {
    try {
      return records.hasNext();
    } catch (UncheckedIOException | IllegalStateException e) {
      throw unreadable(e, row);
    }
  }

  private static CSVRecord next(Iterator<CSVRecord> records, long row) {
    try {
      return records.next();
    } catch (UncheckedIOException | IllegalStateException e) {
      throw unreadable(e, row);
    }
  }

  private static UnreadableFile unreadable(RuntimeException e, long row) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLong) {
        return new UnreadableFile("row " + row + " is not complete within " + MAX_RECORD_CHARS
            + " characters, most likely a quote that is never closed: the import stops there");
      }
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new UnreadableFile(cause instanceof CharacterCodingException
        ? "the file changed since its first read (near row " + row + "): upload it again"
        : "the file is not CSV as RFC 4180 writes it (at row " + row + "): " + cause.getMessage());
  }
}
