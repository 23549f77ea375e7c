package io.leadcycle.store;

import io.leadcycle.domain.ImportRow;

import io.leadcycle.domain.ImportEntity;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportJob.Counts;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.domain.ImportWarning;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** File imports: the jobs, their progress and counts, and their per-row errors. */
public final class ImportStore {

  private static final String COLUMNS = """
      id, entity, file_name, contact_strategy_id, options, status, columns, encoding, rows_committed, created, updated, unchanged,
      failed, contacts_created, contacts_updated, contacts_unchanged, failure, created_at, started_at, finished_at,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', w.kind, 'column', nullif(w.column_name, ''),
                'reason', w.reason, 'rows', w.rows, 'exampleRow', w.example_row, 'exampleValue', w.example_value,
                'columns', coalesce(to_jsonb(w.columns), '[]'::jsonb)) ORDER BY w.id), '[]'::jsonb)
         FROM import_warnings w WHERE w.import_id = imports.id) AS warnings""";

  public Future<ImportJob> create(SqlClient client, UUID id, ImportRequest request, String contactStrategyId,
      String status) {
    return client.preparedQuery("INSERT INTO imports (id, entity, file_name, options, contact_strategy_id, status)"
            + " VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
        .execute(Tuple.of(id, request.entity().wireName(), request.fileName(), new JsonObject(request.options()),
            contactStrategyId, status))
        .map(rows -> toJob(rows.iterator().next()));
  }

  public Future<ImportJob> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM imports WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJob(rows.iterator().next()));
  }

  /** The jobs newest first, after the (created, id) of the last one seen. */
  public Future<List<ImportJob>> list(SqlClient client, Instant afterCreated, UUID afterId, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM imports"
        + (afterCreated == null ? "" : " WHERE (created_at, id) < ($1, $2)")
        + " ORDER BY created_at DESC, id DESC LIMIT " + (afterCreated == null ? "$1" : "$3");
    Tuple params = afterCreated == null ? Tuple.of(limit)
        : Tuple.of(afterCreated.atOffset(ZoneOffset.UTC), afterId, limit);
    return client.preparedQuery(sql).execute(params).map(rows -> {
      List<ImportJob> jobs = new ArrayList<>();
      rows.forEach(row -> jobs.add(toJob(row)));
      return jobs;
    });
  }

  /**
   * Takes the job for one run, for {@code lease}: unless it is finished, or another run holds it. A run
   * that dies frees it when its lease ends; the next run starts after the rows the first committed.
   * Answers the job and how many data rows are already committed; null when it may not run now.
   */
  public Future<Claimed> claim(SqlClient client, UUID id, Duration lease) {
    return client.preparedQuery("UPDATE imports SET status = 'running', started_at = coalesce(started_at, now()),"
            + " claimed_until = now() + $2 * interval '1 millisecond', runs = runs + 1, stalled_runs = stalled_runs + 1"
            + " WHERE id = $1 AND status IN ('awaiting_upload', 'running')"
            + " AND (claimed_until IS NULL OR claimed_until < now()) RETURNING runs, " + COLUMNS)
        .execute(Tuple.of(id, lease.toMillis()))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Claimed(toJob(row), row.getInteger("runs"));
        });
  }

  /**
   * A job taken for a run; {@code job.rowsRead()} rows are committed already. {@code run} numbers the
   * runs of the job, so that a run another took the job over from cannot end or free it.
   */
  public record Claimed(ImportJob job, int run) {
  }

  /**
   * Running jobs that no run holds (oldest first): their lease has ended, or — never taken, or freed
   * after a failure — they were created longer than a lease ago (a job whose file came with its request
   * is {@code running} before its first run).
   */
  public Future<List<ImportJob>> abandoned(SqlClient client, Duration lease, int limit) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM imports WHERE status = 'running'"
            + " AND coalesce(claimed_until, created_at + $1 * interval '1 millisecond') < now()"
            + " ORDER BY created_at, id LIMIT $2")
        .execute(Tuple.of(lease.toMillis(), limit))
        .map(rows -> {
          List<ImportJob> jobs = new ArrayList<>();
          rows.forEach(row -> jobs.add(toJob(row)));
          return jobs;
        });
  }

  /**
   * Fails the abandoned jobs whose last {@code maxStalledRuns} runs each stopped before committing a
   * batch: a file that stops every run is not resumed for ever. Answers their ids.
   */
  public Future<List<UUID>> giveUpStalled(SqlClient client, Duration lease, int maxStalledRuns, String failure) {
    return client.preparedQuery("UPDATE imports SET status = 'failed', failure = $3, finished_at = now(),"
            + " claimed_until = NULL WHERE status = 'running'"
            + " AND coalesce(claimed_until, created_at + $1 * interval '1 millisecond') < now()"
            + " AND stalled_runs >= $2 RETURNING id")
        .execute(Tuple.of(lease.toMillis(), maxStalledRuns, failure))
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getUUID("id")));
          return ids;
        });
  }

  /**
   * Lets another run take the job at once (run {@code run} failed in a way a retry may mend), unless a
   * later run holds it already.
   */
  public Future<Void> release(SqlClient client, UUID id, int run) {
    return client.preparedQuery("UPDATE imports SET claimed_until = NULL WHERE id = $1 AND status = 'running'"
            + " AND runs = $2")
        .execute(Tuple.of(id, run)).mapEmpty();
  }

  /** The text encoding the file's first read found, before any row is read. */
  public Future<Void> setEncoding(SqlClient client, UUID id, String encoding) {
    return client.preparedQuery("UPDATE imports SET encoding = $2 WHERE id = $1")
        .execute(Tuple.of(id, encoding)).mapEmpty();
  }

  public Future<Void> setColumns(SqlClient client, UUID id, Map<String, Object> columns) {
    return client.preparedQuery("UPDATE imports SET columns = $2 WHERE id = $1")
        .execute(Tuple.of(id, new JsonObject(columns))).mapEmpty();
  }

  /**
   * Records a committed batch, in its transaction: the rows read up to it, what its rows did, and a
   * longer lease. Only while run {@code run} still holds the job and it is where this run left it
   * ({@code committedBefore} rows): a run whose job another run took over (after its lease ran out) gets
   * {@link TakenOver}, so that its batch rolls back instead of counting rows twice.
   */
  public Future<Void> advance(SqlClient client, UUID id, int run, long committedBefore, long rowsRead, Counts counts,
      Counts contacts, Duration lease) {
    return client.preparedQuery("""
            UPDATE imports SET rows_committed = $2, created = created + $3, updated = updated + $4,
                   unchanged = unchanged + $5, failed = failed + $6, contacts_created = contacts_created + $7,
                   contacts_updated = contacts_updated + $8, contacts_unchanged = contacts_unchanged + $9,
                   claimed_until = now() + $10 * interval '1 millisecond', stalled_runs = 0
             WHERE id = $1 AND status = 'running' AND rows_committed = $11 AND runs = $12""")
        .execute(Tuple.tuple().addUUID(id).addLong(rowsRead).addLong(counts.created()).addLong(counts.updated())
            .addLong(counts.unchanged()).addLong(counts.failed()).addLong(contacts.created())
            .addLong(contacts.updated()).addLong(contacts.unchanged()).addLong(lease.toMillis())
            .addLong(committedBefore).addInteger(run))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new TakenOver(id)));
  }

  /** The job is no longer where this run left it: another run took it over, or it was ended. */
  public static final class TakenOver extends RuntimeException {
    public TakenOver(UUID id) {
      super("import " + id + " was taken over by another run");
    }
  }

  /** Ends the job: completed (with or without errors) or failed with {@code failure}. */
  public Future<ImportJob> finish(SqlClient client, UUID id, String status, String failure) {
    return client.preparedQuery("UPDATE imports SET status = $2, failure = $3, finished_at = now(), claimed_until = NULL"
            + " WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, status, failure))
        .map(rows -> rows.size() == 0 ? null : toJob(rows.iterator().next()));
  }

  /**
   * Ends the job as run {@code run} saw it end, unless another run has taken it over since (or ended it):
   * null then, and the job is the other run's.
   */
  public Future<ImportJob> finishRun(SqlClient client, UUID id, int run, String status, String failure) {
    return client.preparedQuery("UPDATE imports SET status = $2, failure = $3, finished_at = now(), claimed_until = NULL"
            + " WHERE id = $1 AND status = 'running' AND runs = $4 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, status, failure, run))
        .map(rows -> rows.size() == 0 ? null : toJob(rows.iterator().next()));
  }

  public Future<Void> addErrors(SqlClient client, UUID id, List<RowError> errors) {
    if (errors.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO import_errors (import_id, row_number, column_name, value, reason)
            SELECT $1, r, c, v, why
              FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e (r, c, v, why, n)
             ORDER BY n""")
        .execute(Tuple.tuple().addUUID(id)
            .addArrayOfLong(errors.stream().map(RowError::row).toArray(Long[]::new))
            .addArrayOfString(errors.stream().map(RowError::column).toArray(String[]::new))
            .addArrayOfString(errors.stream().map(RowError::value).toArray(String[]::new))
            .addArrayOfString(errors.stream().map(RowError::reason).toArray(String[]::new)))
        .mapEmpty();
  }

  /** A stored error with its position, for paging. */
  public record StoredError(long position, RowError error) {
  }

  /** Up to {@code limit} errors in row order, after position {@code after} (0: from the first). */
  public Future<List<StoredError>> errors(SqlClient client, UUID id, long after, int limit) {
    return client.preparedQuery("""
            SELECT id, row_number, column_name, value, reason FROM import_errors
             WHERE import_id = $1 AND id > $2 ORDER BY id LIMIT $3""")
        .execute(Tuple.of(id, after, limit))
        .map(rows -> {
          List<StoredError> errors = new ArrayList<>();
          rows.forEach(row -> errors.add(new StoredError(row.getLong("id"), new RowError(row.getLong("row_number"),
              row.getString("column_name"), row.getString("value"), row.getString("reason")))));
          return errors;
        });
  }

  /**
   * Adds a batch's warnings to the job, in its transaction: one per kind, column and reason, its rows
   * added to those before, its first example and its columns kept.
   */
  public Future<Void> addWarnings(SqlClient client, UUID id, List<ImportWarning> warnings) {
    List<ImportWarning> merged = ImportWarning.merged(warnings);
    if (merged.isEmpty()) {
      return Future.succeededFuture();
    }
    // One statement per warning: a batch has a handful (one per column at most), and a column list is an
    // array, which unnest cannot take per row.
    List<Tuple> rows = new ArrayList<>();
    for (ImportWarning w : merged) {
      rows.add(Tuple.tuple().addUUID(id).addString(w.kind()).addString(w.column() == null ? "" : w.column())
          .addString(w.reason()).addLong(w.rows()).addValue(w.exampleRow()).addString(w.exampleValue())
          .addArrayOfString(w.columns().isEmpty() ? null : w.columns().toArray(String[]::new)));
    }
    return client.preparedQuery("""
            INSERT INTO import_warnings AS w (import_id, kind, column_name, reason, rows, example_row, example_value,
                                              columns)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (import_id, kind, column_name, reason) DO UPDATE
               SET rows = w.rows + excluded.rows,
                   example_row = coalesce(w.example_row, excluded.example_row),
                   example_value = CASE WHEN w.example_row IS NULL THEN excluded.example_value ELSE w.example_value END,
                   columns = CASE WHEN w.columns IS NULL THEN excluded.columns ELSE ARRAY(
                     SELECT c FROM unnest(w.columns || coalesce(excluded.columns, '{}')) WITH ORDINALITY AS u (c, n)
                      GROUP BY c ORDER BY min(n)) END""")
        .executeBatch(rows).mapEmpty();
  }

  private static List<ImportWarning> warnings(JsonArray stored) {
    List<ImportWarning> warnings = new ArrayList<>();
    if (stored == null) {
      return warnings;
    }
    for (int i = 0; i < stored.size(); i++) {
      JsonObject w = stored.getJsonObject(i);
      List<String> columns = new ArrayList<>();
      w.getJsonArray("columns", new JsonArray()).forEach(c -> columns.add(String.valueOf(c)));
      warnings.add(new ImportWarning(w.getString("kind"), w.getString("column"), w.getString("reason"),
          w.getLong("rows"), w.getLong("exampleRow"), w.getString("exampleValue"), columns));
    }
    return warnings;
  }

  private static ImportJob toJob(Row row) {
    JsonObject columns = row.getJsonObject("columns");
    return new ImportJob(row.getUUID("id"), ImportEntity.fromWireName(row.getString("entity")).orElseThrow(),
        row.getString("file_name"), row.getString("contact_strategy_id"), row.getJsonObject("options").getMap(),
        row.getString("status"), columns == null ? null : columns.getMap(), row.getString("encoding"), row.getLong("rows_committed"),
        new Counts(row.getLong("created"), row.getLong("updated"), row.getLong("unchanged"), row.getLong("failed")),
        new Counts(row.getLong("contacts_created"), row.getLong("contacts_updated"), row.getLong("contacts_unchanged"), 0),
        row.getString("failure"), Rows.instant(row, "created_at"), Rows.instant(row, "started_at"),
        Rows.instant(row, "finished_at"), warnings(row.getJsonArray("warnings")));
  }
}
