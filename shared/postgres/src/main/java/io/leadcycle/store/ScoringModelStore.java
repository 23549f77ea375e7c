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

  // The leads scored so far: the parts' counts (no model row for every batch to update), and what a
  // rescoring begun before parts existed had counted in the model's row.
  private static final String COLUMNS = """
      id, definition, status, copied_from, created_at, updated_at, published_at, retired_at, rescoring_status,
      (rescoring_leads_scored + coalesce((SELECT sum(p.leads_scored) FROM rescoring_partitions p
                                           WHERE p.model_id = scoring_models.id), 0))::bigint
        AS rescoring_leads_scored,
      rescoring_started_at, rescoring_finished_at""";

  /**
   * One part of a model's full rescoring, claimed (its row locked) for one batch: the part's leads with
   * an id above {@code after} (null: from the first) up to {@code last} (null: to the end) remain.
   */
  public record RescoringClaim(ScoringModel model, int part, UUID after, UUID last) {
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

  /** Draft to live: the model's full rescoring is pending from the first lead (a former one's parts dropped). */
  public Future<ScoringModel> publish(SqlClient client, UUID id) {
    return dropParts(client, id).compose(dropped -> client.preparedQuery("""
            UPDATE scoring_models SET status = 'live', published_at = now(), updated_at = now(),
                   rescoring_status = 'pending', rescoring_after = NULL, rescoring_leads_scored = 0,
                   rescoring_started_at = NULL, rescoring_finished_at = NULL
             WHERE id = $1 RETURNING""" + " " + COLUMNS)
        .execute(Tuple.of(id))
        .map(rows -> toModel(rows.iterator().next())));
  }

  private static Future<Void> dropParts(SqlClient client, UUID id) {
    return client.preparedQuery("DELETE FROM rescoring_partitions WHERE model_id = $1").execute(Tuple.of(id)).mapEmpty();
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
   * One part of a live model's full rescoring that is not done, locked for this transaction; parts
   * another run is working on are skipped ({@code SKIP LOCKED}), so concurrent runs share one model's
   * rescoring. Oldest model first, then its parts in order. Null when no part is left (see
   * {@link #splitRescoring}: a model just published has none yet).
   */
  public Future<RescoringClaim> claimRescoring(SqlClient client) {
    return client.preparedQuery("""
            SELECT p.model_id, p.part, p.after_id, p.last_id FROM rescoring_partitions p
              JOIN scoring_models m ON m.id = p.model_id
             WHERE m.status = 'live' AND m.rescoring_status <> 'idle' AND NOT p.done
             ORDER BY m.published_at, m.id, p.part LIMIT 1 FOR UPDATE OF p SKIP LOCKED""")
        .execute()
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          Row row = rows.iterator().next();
          return find(client, row.getUUID("model_id")).map(model ->
              new RescoringClaim(model, row.getInteger("part"), row.getUUID("after_id"), row.getUUID("last_id")));
        });
  }

  /** What {@link #splitRescoring} found: no model to split, a model it split, or one another run split first. */
  public enum Split {
    NOTHING, HERE, BY_ANOTHER;

    /** Whether a model has parts to claim now. */
    public boolean hasParts() {
      return this != NOTHING;
    }
  }

  /**
   * Splits the full rescoring of one live model that has no parts yet (oldest first) into parts of
   * {@code partSize} leads by id, the last one open-ended, from the model's {@code rescoring_after} on.
   * Answers whether the model has parts now, and whether this call split it ({@link Split}: the run that
   * splits nudges the rescoring's parallel runs). A run that finds another splitting the model waits for it
   * (a second or so) rather than skip it: runs started together all get parts to work on.
   * {@code NO KEY UPDATE}: scores being written for the model hold a key share of its row, which must
   * not hold the split up.
   */
  public Future<Split> splitRescoring(SqlClient client, int partSize) {
    return client.preparedQuery("""
            SELECT id, target, rescoring_after FROM scoring_models m
             WHERE status = 'live' AND rescoring_status <> 'idle'
               AND NOT EXISTS (SELECT 1 FROM rescoring_partitions p WHERE p.model_id = m.id)
             ORDER BY published_at, id LIMIT 1 FOR NO KEY UPDATE""")
        .execute()
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Split.NOTHING);
          }
          Row row = rows.iterator().next();
          UUID id = row.getUUID("id");
          String which = "account".equals(row.getString("target"))
              ? "contact_id IS NULL AND account_id IS NOT NULL" : "contact_id IS NOT NULL";
          // Every partSize-th lead ends a part; one more part takes the rest (and leads added meanwhile).
          // Asked again in a statement of its own, which sees a split that committed while this waited.
          return client.preparedQuery("SELECT EXISTS (SELECT 1 FROM rescoring_partitions WHERE model_id = $1)")
              .execute(Tuple.of(id)).compose(split -> split.iterator().next().getBoolean(0)
              ? Future.succeededFuture(Split.BY_ANOTHER) : client.preparedQuery("""
                  WITH bounds AS (
                    SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM leads
                                     WHERE status = 'open' AND""" + " " + which + """
                                       AND ($2::uuid IS NULL OR id > $2)) numbered
                     WHERE n % $3 = 0
                    UNION ALL SELECT NULL::uuid)
                  INSERT INTO rescoring_partitions (model_id, part, after_id, last_id)
                  SELECT $1, (row_number() OVER (ORDER BY id NULLS LAST) - 1)::int,
                         lag(id, 1, $2::uuid) OVER (ORDER BY id NULLS LAST), id
                    FROM bounds""")
              .execute(Tuple.of(id, row.getUUID("rescoring_after"), partSize))
              .compose(inserted -> client.preparedQuery("""
                  UPDATE scoring_models SET rescoring_status = 'running',
                         rescoring_started_at = coalesce(rescoring_started_at, now())
                   WHERE id = $1""").execute(Tuple.of(id)))
              .map(Split.HERE));
        });
  }

  /**
   * Records one batch of a part: the last lead done, how many. A part is {@code finished} when no lead
   * of it remains; the model's rescoring is finished (idle) with its last part, by whichever run
   * finishes that part. The model's row is locked first, so that of two runs finishing the last two
   * parts at once, the second sees the first's part done (each statement of a read-committed
   * transaction sees what committed before it). {@code NO KEY UPDATE}: the batches' scores hold a key
   * share of the row (their foreign key), which a plain {@code FOR UPDATE} would wait for in a circle.
   */
  public Future<Void> advanceRescoring(SqlClient client, RescoringClaim claim, UUID lastLead, int scored,
      boolean finished) {
    UUID id = claim.model().id();
    Future<Void> advanced = client.preparedQuery("""
            UPDATE rescoring_partitions SET after_id = coalesce($3, after_id), leads_scored = leads_scored + $4,
                   done = $5
             WHERE model_id = $1 AND part = $2""")
        .execute(Tuple.of(id, claim.part(), lastLead, scored, finished)).mapEmpty();
    if (!finished) {
      return advanced;
    }
    return advanced
        .compose(done -> client.preparedQuery("SELECT 1 FROM scoring_models WHERE id = $1 FOR NO KEY UPDATE")
            .execute(Tuple.of(id)))
        .compose(locked -> client.preparedQuery("""
            UPDATE scoring_models SET rescoring_status = 'idle', rescoring_finished_at = now()
             WHERE id = $1 AND rescoring_status <> 'idle'
               AND NOT EXISTS (SELECT 1 FROM rescoring_partitions WHERE model_id = $1 AND NOT done)""")
            .execute(Tuple.of(id)))
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
