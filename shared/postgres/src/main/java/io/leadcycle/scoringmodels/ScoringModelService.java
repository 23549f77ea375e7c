package io.leadcycle.scoringmodels;

import io.leadcycle.store.LeadScoreStore;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.postgres.Database;
import io.leadcycle.scoring.Grade;
import io.leadcycle.scoring.ModelDefinition;
import io.leadcycle.scoring.ModelStatus;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.store.ScoreExportStore;
import io.leadcycle.store.ScoringModelStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scoring models through their life: a draft is written and rewritten, publishing makes it live (and
 * schedules the full rescoring of every lead by it), retiring stops it; a live model is never edited in
 * place, a copy makes a new draft. Each status change runs in one transaction holding the model's row
 * lock, so two concurrent publishes cannot both succeed. Also the model's lead-score list (export).
 */
public final class ScoringModelService {

  /** What a copy is called unless the request names it: the original's name and this. */
  public static final String COPY_SUFFIX = " (copy)";

  private final Database database;
  private final ScoringModelStore models = new ScoringModelStore();
  private final ScoreExportStore scores = new ScoreExportStore();
  private final io.leadcycle.store.LeadScoreStore leadScores = new io.leadcycle.store.LeadScoreStore();

  public ScoringModelService(Database database) {
    this.database = database;
  }

  /** A new draft. */
  public Future<ScoringModel> create(ModelDefinition definition) {
    return database.inTransaction(conn -> models.create(conn, definition, null));
  }

  public Future<ScoringModel> get(UUID id) {
    return database.read(conn -> models.find(conn, id)).map(model -> found(model, id));
  }

  /** A page of models in creation order, only those in {@code status} unless it is null. */
  public Future<ScoringModelStore.Page> list(ModelStatus status, Instant afterCreated, UUID afterId, int limit) {
    return database.read(conn -> models.page(conn, status, afterCreated, afterId, limit));
  }

  /** Replaces a draft's definition; a live or retired model is a conflict (it is copied instead). */
  public Future<ScoringModel> replace(UUID id, ModelDefinition definition) {
    return database.inTransaction(conn -> locked(conn, id).compose(model -> {
      if (model.status() != ModelStatus.DRAFT) {
        throw new Conflict("Only a draft is edited; this model is " + model.status().wireName() + ". A "
            + model.status().wireName() + " model is not edited in place: POST /v1/scoring-models/" + id
            + "/copy makes a new draft with its definition.");
      }
      return models.replace(conn, id, definition);
    }));
  }

  /**
   * Draft to live: the model starts scoring, and a full rescoring of every lead by it is scheduled
   * ({@code rescoring.status} pending). The draft was validated whenever it was saved, and is read back
   * through the same validation.
   */
  public Future<ScoringModel> publish(UUID id) {
    return database.inTransaction(conn -> locked(conn, id).compose(model -> {
      if (model.status() != ModelStatus.DRAFT) {
        throw new Conflict("Only a draft is published; this model is " + model.status().wireName() + ".");
      }
      return models.publish(conn, id);
    }));
  }

  /**
   * Live to retired: it stops scoring; its scores stay visible, but no longer count as a lead's best
   * score in the list views (refreshed in the same transaction).
   */
  public Future<ScoringModel> retire(UUID id) {
    return database.inTransaction(conn -> locked(conn, id).compose(model -> {
      if (model.status() != ModelStatus.LIVE) {
        throw new Conflict("Only a live model is retired; this model is " + model.status().wireName() + "."
            + (model.status() == ModelStatus.DRAFT ? " A draft is not scoring: leave it, or publish it first." : ""));
      }
      return models.retire(conn, id).compose(retired -> leadScores.refreshBestOfModel(conn, id).map(retired));
    }));
  }

  /**
   * A new draft with the definition of model {@code id} (in any status), named {@code name}, or the
   * original's name with {@value #COPY_SUFFIX} when null. The copy remembers where it came from.
   */
  public Future<ScoringModel> copy(UUID id, String name) {
    return database.inTransaction(conn -> models.find(conn, id).compose(original -> {
      found(original, id);
      return models.create(conn, renamed(original.definition(), name), id);
    }));
  }

  /**
   * One page of the model's lead-score list, best first. {@code grade} must be one of the model's
   * grades (else {@link InvalidInput} naming them).
   */
  public Future<ScoreExportStore.Page> scores(UUID modelId, String grade, ScoreExportStore.Position after, int limit) {
    return database.read(conn -> models.find(conn, modelId).compose(model -> {
      found(model, modelId);
      if (grade != null) {
        List<String> grades = model.definition().grades().stream().map(Grade::name).toList();
        if (!grades.contains(grade)) {
          throw new InvalidInput("grade", grades.isEmpty() ? "this model has no grades: leave grade out"
              : "one of the model's grades: " + String.join(", ", grades));
        }
      }
      return scores.page(conn, modelId, grade, after, limit);
    }));
  }

  private static ModelDefinition renamed(ModelDefinition definition, String name) {
    Map<String, Object> body = new LinkedHashMap<>(definition.toBody());
    String copyName = name != null ? name : definition.name() + COPY_SUFFIX;
    body.put("name", copyName);
    try {
      return ModelDefinition.parse(body);
    } catch (InvalidInput invalid) {
      if (name != null) {
        throw invalid;
      }
      // Only the generated name can be at fault (the rest was valid when it was saved): say which to send.
      throw new InvalidInput(invalid.errors().stream()
          .map(e -> "name".equals(e.field())
              ? new FieldError("name", "the copy's default name \"" + copyName + "\" is not valid (" + e.message()
                  + "): send {\"name\": ...}")
              : e)
          .toList());
    }
  }

  private Future<ScoringModel> locked(SqlConnection conn, UUID id) {
    return models.lock(conn, id).map(model -> found(model, id));
  }

  private static ScoringModel found(ScoringModel model, UUID id) {
    if (model == null) {
      throw new NotFound("No scoring model with id " + id + ".");
    }
    return model;
  }
}
