package io.leadcycle.store;

import io.leadcycle.process.BusinessProcess;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.process.ProcessStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Process definitions and their versions. A process row says where it is in its life and which version is
 * the latest; each version's definition is stored as the API takes it and read back through
 * {@link ProcessDefinition#parse}.
 */
public final class ProcessStore {

  // The latest version's definition and every version's number, with the process row.
  private static final String COLUMNS = """
      p.id, p.status, p.version, p.read_only, p.created_at, p.updated_at, p.published_at, p.retired_at,
      (SELECT v.definition FROM process_versions v WHERE v.process_id = p.id AND v.version = p.version) AS definition,
      (SELECT array_agg(v.version ORDER BY v.version) FROM process_versions v WHERE v.process_id = p.id) AS versions""";

  /** One page of processes: {@code more} when processes follow the last one. */
  public record Page(List<BusinessProcess> items, boolean more) {

    public BusinessProcess last() {
      return items.get(items.size() - 1);
    }
  }

  /** A new draft, version 1. */
  public Future<BusinessProcess> create(SqlClient client, ProcessDefinition definition) {
    return client.preparedQuery("INSERT INTO processes DEFAULT VALUES RETURNING id").execute()
        .compose(rows -> {
          String id = rows.iterator().next().getString("id");
          return client.preparedQuery("INSERT INTO process_versions (process_id, version, definition) VALUES ($1, 1, $2)")
              .execute(Tuple.of(id, json(definition)))
              .compose(inserted -> find(client, id));
        });
  }

  public Future<BusinessProcess> find(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM processes p WHERE p.id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toProcess(rows.iterator().next()));
  }

  /** The process, its row locked for the rest of the transaction (status changes, edits); or null. */
  public Future<BusinessProcess> lock(SqlClient client, String id) {
    return client.preparedQuery("SELECT id FROM processes WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(null) : find(client, id));
  }

  /**
   * Share-locks the process's row (if any) for the rest of the transaction: what chooses it for later leads (a
   * form) holds it, so a retire, which takes the row FOR UPDATE, waits for that choice to commit.
   */
  public Future<Void> share(SqlClient client, String id) {
    return client.preparedQuery("SELECT id FROM processes WHERE id = $1 FOR SHARE").execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Up to {@code limit} processes in creation order after the position (created, id) (null: from the first),
   * only those in {@code status} unless it is null.
   */
  public Future<Page> page(SqlClient client, ProcessStatus status, Instant afterCreated, String afterId, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM processes p WHERE ($1::text IS NULL OR p.status = $1)"
        + (afterId == null ? "" : " AND (p.created_at, p.id) > ($3, $4)")
        + " ORDER BY p.created_at, p.id LIMIT $2";
    Tuple parameters = Tuple.of(status == null ? null : status.wireName(), limit + 1);
    if (afterId != null) {
      parameters.addOffsetDateTime(afterCreated.atOffset(ZoneOffset.UTC)).addString(afterId);
    }
    return client.preparedQuery(sql).execute(parameters).map(rows -> {
      List<BusinessProcess> processes = toProcesses(rows);
      boolean more = processes.size() > limit;
      return new Page(more ? processes.subList(0, limit) : processes, more);
    });
  }

  /** One version of a process, or null. */
  public Future<BusinessProcess.Version> version(SqlClient client, String id, int version) {
    return client.preparedQuery("SELECT process_id, version, definition, created_at, published_at"
            + " FROM process_versions WHERE process_id = $1 AND version = $2")
        .execute(Tuple.of(id, version))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new BusinessProcess.Version(row.getString("process_id"), row.getInteger("version"),
              definition(row), Rows.instant(row, "created_at"), Rows.instant(row, "published_at"));
        });
  }

  /** Replaces the latest version's definition in place (the caller checked that the process is a draft). */
  public Future<BusinessProcess> replaceDraft(SqlClient client, String id, ProcessDefinition definition) {
    return client.preparedQuery("""
            UPDATE process_versions v SET definition = $2, created_at = clock_timestamp()
              FROM processes p WHERE p.id = $1 AND v.process_id = p.id AND v.version = p.version""")
        .execute(Tuple.of(id, json(definition)))
        .compose(updated -> touch(client, id, ""));
  }

  /** A new latest version, live at once (the caller holds the process's row lock, so numbers cannot collide). */
  public Future<BusinessProcess> addVersion(SqlClient client, String id, ProcessDefinition definition) {
    return client.preparedQuery("""
            INSERT INTO process_versions (process_id, version, definition, published_at)
            SELECT id, version + 1, $2, clock_timestamp() FROM processes WHERE id = $1""")
        .execute(Tuple.of(id, json(definition)))
        .compose(inserted -> touch(client, id, ", version = version + 1"));
  }

  /** Draft to live: the process and its one version are published. */
  public Future<BusinessProcess> publish(SqlClient client, String id) {
    return client.preparedQuery("UPDATE process_versions SET published_at = clock_timestamp()"
            + " WHERE process_id = $1 AND published_at IS NULL")
        .execute(Tuple.of(id))
        .compose(updated -> touch(client, id, ", status = 'live', published_at = clock_timestamp()"));
  }

  /** Live to retired. */
  public Future<BusinessProcess> retire(SqlClient client, String id) {
    return touch(client, id, ", status = 'retired', retired_at = clock_timestamp()");
  }

  // `also` is one of the fixed SET clauses above, never request text.
  private Future<BusinessProcess> touch(SqlClient client, String id, String also) {
    return client.preparedQuery("UPDATE processes SET updated_at = clock_timestamp()" + also + " WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(updated -> find(client, id));
  }

  private static List<BusinessProcess> toProcesses(RowSet<Row> rows) {
    List<BusinessProcess> processes = new ArrayList<>();
    rows.forEach(row -> processes.add(toProcess(row)));
    return processes;
  }

  private static BusinessProcess toProcess(Row row) {
    Integer[] versions = row.getArrayOfIntegers("versions");
    return new BusinessProcess(row.getString("id"), definition(row),
        ProcessStatus.fromWireName(row.getString("status")).orElseThrow(), row.getInteger("version"),
        versions == null ? List.of() : Arrays.asList(versions), row.getBoolean("read_only"),
        Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"), Rows.instant(row, "published_at"),
        Rows.instant(row, "retired_at"));
  }

  private static ProcessDefinition definition(Row row) {
    return ProcessDefinition.parse(Rows.plainMap(row.getJsonObject("definition")));
  }

  private static JsonObject json(ProcessDefinition definition) {
    return new JsonObject(new LinkedHashMap<>(definition.toBody()));
  }

  public Future<Boolean> exists(SqlClient client, String id) {
    return client.preparedQuery("SELECT EXISTS (SELECT 1 FROM processes WHERE id = $1)")
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * The stage names of every version of {@code processId}, or of every process when it is null (what a view may
   * filter leads by): sorted, without repeats.
   */
  public Future<List<String>> stageNames(SqlClient client, String processId) {
    return client.preparedQuery("""
            SELECT DISTINCT s.stage ->> 'name' AS name
              FROM process_versions v CROSS JOIN jsonb_array_elements(v.definition -> 'stages') AS s (stage)
             WHERE v.published_at IS NOT NULL AND ($1::text IS NULL OR v.process_id = $1)
             ORDER BY 1""")
        .execute(Tuple.of(processId))
        .map(rows -> {
          List<String> names = new java.util.ArrayList<>();
          rows.forEach(row -> names.add(row.getString("name")));
          return names;
        });
  }
}
