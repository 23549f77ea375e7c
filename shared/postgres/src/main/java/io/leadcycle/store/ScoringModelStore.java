package io.leadcycle.store;

import io.leadcycle.scoring.ModelDefinition;
import io.leadcycle.scoring.ModelStatus;
import io.leadcycle.scoring.ScoringModel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

/**
 * Scoring models and the progress of their full rescorings. The definition is stored as the API takes
 * it and read back through {@link ModelDefinition#parse}.
 */
public final class ScoringModelStore {

  private static final String COLUMNS = """
      id, definition, status, copied_from, created_at, updated_at, published_at, retired_at, rescoring_status,
      rescoring_leads_scored, rescoring_started_at, rescoring_finished_at""";

  /** A model claimed for one batch of its full rescoring: the leads after {@code after} remain. */
  public record RescoringClaim(ScoringModel model, UUID after) {
  }

  public Future<ScoringModel> create(SqlClient client, ModelDefinition definition, UUID copiedFrom) {
    return client.preparedQuery("INSERT INTO scoring_models (name, target, definition, copied_from)"
            + " VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS)
        .execute(Tuple.of(definition.name(), definition.target().wireName(), json(definition), copiedFrom))
        .map(rows -> toModel(rows.iterator().next()));
  }

  public Future<ScoringModel> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM scoring_models WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toModel(rows.iterator().next()));
  }

  /** The model, its row locked for the rest of the transaction (status changes, edits); or null. */
  public Future<ScoringModel> lock(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM scoring_models WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toModel(rows.iterator().next()));
  }

  /** Up to {@code limit} models in creation order, after the model {@code afterId} (null: from the first). */
  public Future<List<ScoringModel>> list(SqlClient client, UUID afterId, int limit) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM scoring_models"
            + " WHERE $1::uuid IS NULL OR (created_at, id) > (SELECT created_at, id FROM scoring_models WHERE id = $1)"
            + " ORDER BY created_at, id LIMIT $2")
        .execute(Tuple.of(afterId, limit))
        .map(ScoringModelStore::toModels);
  }

  /** One page of models: {@code more} when models follow the last one. */
  public record Page(List<ScoringModel> items, boolean more) {

    public ScoringModel last() {
      return items.get(items.size() - 1);
    }
  }

  /**
   * Up to {@code limit} models in creation order after the position (created, id) (null: from the
   * first), only those in {@code status} unless it is null.
   */
  public Future<Page> page(SqlClient client, ModelStatus status, java.time.Instant afterCreated, UUID afterId,
      int limit) {
    String sql = "SELECT " + COLUMNS + " FROM scoring_models WHERE ($1::text IS NULL OR status = $1)"
        + (afterId == null ? "" : " AND (created_at, id) > ($3, $4)")
        + " ORDER BY created_at, id LIMIT $2";
    Tuple parameters = Tuple.of(status == null ? null : status.wireName(), limit + 1);
    if (afterId != null) {
      parameters.addOffsetDateTime(afterCreated.atOffset(java.time.ZoneOffset.UTC)).addUUID(afterId);
    }
    return client.preparedQuery(sql).execute(parameters)
        .map(rows -> {
          List<ScoringModel> models = toModels(rows);
          boolean more = models.size() > limit;
          return new Page(more ? models.subList(0, limit) : models, more);
        });
  }

  /** The live models, oldest first: the ones that score. */
  public Future<List<ScoringModel>> live(SqlClient client) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM scoring_models WHERE status = 'live' ORDER BY created_at, id")
        .execute()
        .map(ScoringModelStore::toModels);
  }

  /** Replaces a draft's definition (the caller checked that it is a draft). */
  public Future<ScoringModel> replace(SqlClient client, UUID id, ModelDefinition definition) {
    return client.preparedQuery("UPDATE scoring_models SET name = $2, target = $3, definition = $4, updated_at = now()"
            + " WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, definition.name(), definition.target().wireName(), json(definition)))
        .map(rows -> toModel(rows.iterator().next()));
  }

  /** Draft to live: the model's full rescoring is pending from the first lead. */
  public Future<ScoringModel> publish(SqlClient client, UUID id) {
    return client.preparedQuery("""
            UPDATE scoring_models SET status = 'live', published_at = now(), updated_at = now(),
                   rescoring_status = 'pending', rescoring_after = NULL, rescoring_leads_scored = 0,
                   rescoring_started_at = NULL, rescoring_finished_at = NULL
             WHERE id = $1 RETURNING""" + " " + COLUMNS)
        .execute(Tuple.of(id))
        .map(rows -> toModel(rows.iterator().next()));
  }

  /** Live to retired: it stops scoring, and a rescoring still to do is dropped. */
  public Future<ScoringModel> retire(SqlClient client, UUID id) {
    return client.preparedQuery("""
            UPDATE scoring_models SET status = 'retired', retired_at = now(), updated_at = now(),
                   rescoring_status = 'idle'
             WHERE id = $1 RETURNING""" + " " + COLUMNS)
        .execute(Tuple.of(id))
        .map(rows -> toModel(rows.iterator().next()));
  }

  /**
   * One live model whose full rescoring is not done, locked for this transaction; models another run
   * is working on are skipped ({@code SKIP LOCKED}), so concurrent runs share the work. Null when none.
   */
  public Future<RescoringClaim> claimRescoring(SqlClient client) {
    return client.preparedQuery("SELECT " + COLUMNS + ", rescoring_after FROM scoring_models"
            + " WHERE status = 'live' AND rescoring_status <> 'idle' ORDER BY published_at, id"
            + " LIMIT 1 FOR UPDATE SKIP LOCKED")
        .execute()
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new RescoringClaim(toModel(row), row.getUUID("rescoring_after"));
        });
  }

  /** Records one batch of a full rescoring: the last lead done, how many; {@code finished} when none remain. */
  public Future<Void> advanceRescoring(SqlClient client, UUID id, UUID lastLead, int scored, boolean finished) {
    return client.preparedQuery("""
            UPDATE scoring_models SET rescoring_after = coalesce($2, rescoring_after),
                   rescoring_leads_scored = rescoring_leads_scored + $3,
                   rescoring_started_at = coalesce(rescoring_started_at, now()),
                   rescoring_status = CASE WHEN $4 THEN 'idle' ELSE 'running' END,
                   rescoring_finished_at = CASE WHEN $4 THEN now() ELSE NULL END
             WHERE id = $1""")
        .execute(Tuple.of(id, lastLead, scored, finished))
        .mapEmpty();
  }

  private static JsonObject json(ModelDefinition definition) {
    return new JsonObject(new LinkedHashMap<>(definition.toBody()));
  }

  private static List<ScoringModel> toModels(io.vertx.sqlclient.RowSet<Row> rows) {
    List<ScoringModel> models = new ArrayList<>();
    rows.forEach(row -> models.add(toModel(row)));
    return models;
  }

  private static ScoringModel toModel(Row row) {
    return new ScoringModel(row.getUUID("id"),
        ModelDefinition.parse(Rows.plainMap(row.getJsonObject("definition"))),
        ModelStatus.fromWireName(row.getString("status")).orElseThrow(),
        row.getUUID("copied_from"),
        Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"),
        Rows.instant(row, "published_at"), Rows.instant(row, "retired_at"),
        new ScoringModel.Rescoring(row.getString("rescoring_status"), row.getLong("rescoring_leads_scored"),
            Rows.instant(row, "rescoring_started_at"), Rows.instant(row, "rescoring_finished_at")));
  }
}
