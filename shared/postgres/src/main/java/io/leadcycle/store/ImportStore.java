package io.leadcycle.store;

import io.leadcycle.domain.ImportRow;

import io.leadcycle.domain.ImportEntity;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportJob.Counts;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.ImportRow.RowError;
import io.vertx.core.Future;
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
      failed, contacts_created, contacts_updated, contacts_unchanged, failure, created_at, started_at, finished_at""";

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
            + " claimed_until = now() + $2 * interval '1 millisecond'"
            + " WHERE id = $1 AND status IN ('awaiting_upload', 'running')"
            + " AND (claimed_until IS NULL OR claimed_until < now()) RETURNING " + COLUMNS)
        .execute(Tuple.of(id, lease.toMillis()))
        .map(rows -> rows.size() == 0 ? null : new Claimed(toJob(rows.iterator().next())));
  }

  /** A job taken for a run; {@code job.rowsRead()} rows are committed already. */
  public record Claimed(ImportJob job) {
  }

  /** Lets another run take the job at once (this one failed in a way a retry may mend). */
  public Future<Void> release(SqlClient client, UUID id) {
    return client.preparedQuery("UPDATE imports SET claimed_until = NULL WHERE id = $1 AND status = 'running'")
        .execute(Tuple.of(id)).mapEmpty();
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
   * longer lease. Only while the job is where this run left it ({@code committedBefore} rows): a run
   * whose job another run took over (after its lease ran out) gets {@link TakenOver}, so that its batch
   * rolls back instead of counting rows twice.
   */
  public Future<Void> advance(SqlClient client, UUID id, long committedBefore, long rowsRead, Counts counts,
      Counts contacts, Duration lease) {
    return client.preparedQuery("""
            UPDATE imports SET rows_committed = $2, created = created + $3, updated = updated + $4,
                   unchanged = unchanged + $5, failed = failed + $6, contacts_created = contacts_created + $7,
                   contacts_updated = contacts_updated + $8, contacts_unchanged = contacts_unchanged + $9,
                   claimed_until = now() + $10 * interval '1 millisecond'
             WHERE id = $1 AND status = 'running' AND rows_committed = $11""")
        .execute(Tuple.tuple().addUUID(id).addLong(rowsRead).addLong(counts.created()).addLong(counts.updated())
            .addLong(counts.unchanged()).addLong(counts.failed()).addLong(contacts.created())
            .addLong(contacts.updated()).addLong(contacts.unchanged()).addLong(lease.toMillis())
            .addLong(committedBefore))
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

  private static ImportJob toJob(Row row) {
    JsonObject columns = row.getJsonObject("columns");
    return new ImportJob(row.getUUID("id"), ImportEntity.fromWireName(row.getString("entity")).orElseThrow(),
        row.getString("file_name"), row.getString("contact_strategy_id"), row.getJsonObject("options").getMap(),
        row.getString("status"), columns == null ? null : columns.getMap(), row.getString("encoding"), row.getLong("rows_committed"),
        new Counts(row.getLong("created"), row.getLong("updated"), row.getLong("unchanged"), row.getLong("failed")),
        new Counts(row.getLong("contacts_created"), row.getLong("contacts_updated"), row.getLong("contacts_unchanged"), 0),
        row.getString("failure"), Rows.instant(row, "created_at"), Rows.instant(row, "started_at"),
        Rows.instant(row, "finished_at"));
  }
}
