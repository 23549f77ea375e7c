package io.leadcycle.store;

import io.leadcycle.domain.LeadScore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Leads' scores per model, with their explanations; and each lead's best score among live models. */
public final class LeadScoreStore {

  /** A score to write. */
  public record NewScore(UUID leadId, UUID modelId, int score, String grade, boolean salesReady, JsonArray explanation,
      Instant scoredAt) {
  }

  /** The scores of these leads, by lead: live models first, then by model creation. */
  public Future<Map<UUID, List<LeadScore>>> scoresOf(SqlClient client, List<UUID> leadIds) {
    if (leadIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery("""
            SELECT s.lead_id, s.model_id, m.name, m.status, s.score, s.grade, s.sales_ready, s.explanation, s.scored_at
              FROM lead_scores s JOIN scoring_models m ON m.id = s.model_id
             WHERE s.lead_id = ANY($1)
             ORDER BY s.lead_id, m.status = 'live' DESC, m.created_at, m.id""")
        .execute(Tuple.of(leadIds.toArray(UUID[]::new)))
        .map(rows -> {
          Map<UUID, List<LeadScore>> scores = new HashMap<>();
          for (Row row : rows) {
            List<LeadScore.RulePoints> explanation = new ArrayList<>();
            for (Object item : (JsonArray) row.getValue("explanation")) {
              JsonObject rule = (JsonObject) item;
              explanation.add(new LeadScore.RulePoints(rule.getString("ruleId"), rule.getDouble("points"),
                  rule.getInteger("occurrences")));
            }
            scores.computeIfAbsent(row.getUUID("lead_id"), id -> new ArrayList<>()).add(new LeadScore(
                row.getUUID("lead_id"), row.getUUID("model_id"), row.getString("name"), row.getString("status"),
                row.getInteger("score"), row.getString("grade"), row.getBoolean("sales_ready"), explanation,
                Rows.instant(row, "scored_at")));
          }
          return scores;
        });
  }

  /** Writes the scores (one statement), replacing each lead's earlier score in the same model. */
  public Future<Void> upsert(SqlClient client, List<NewScore> scores) {
    if (scores.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at)
            SELECT lead_id, model_id, score, grade, sales_ready, explanation::jsonb, scored_at
              FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::bool[], $6::text[], $7::timestamptz[])
                   AS s(lead_id, model_id, score, grade, sales_ready, explanation, scored_at)
            ON CONFLICT (lead_id, model_id) DO UPDATE SET score = excluded.score, grade = excluded.grade,
               sales_ready = excluded.sales_ready, explanation = excluded.explanation, scored_at = excluded.scored_at""")
        .execute(Tuple.tuple()
            .addArrayOfUUID(scores.stream().map(NewScore::leadId).toArray(UUID[]::new))
            .addArrayOfUUID(scores.stream().map(NewScore::modelId).toArray(UUID[]::new))
            .addArrayOfInteger(scores.stream().map(NewScore::score).toArray(Integer[]::new))
            .addArrayOfString(scores.stream().map(NewScore::grade).toArray(String[]::new))
            .addArrayOfBoolean(scores.stream().map(NewScore::salesReady).toArray(Boolean[]::new))
            .addArrayOfString(scores.stream().map(s -> s.explanation().encode()).toArray(String[]::new))
            .addArrayOfOffsetDateTime(scores.stream().map(s -> s.scoredAt().atOffset(ZoneOffset.UTC))
                .toArray(OffsetDateTime[]::new)))
        .mapEmpty();
  }

  /**
   * Refreshes the best score of every lead a model has scored: after the model is retired, its scores
   * no longer count as a lead's best (one statement; it touches only the model's leads).
   */
  public Future<Void> refreshBestOfModel(SqlClient client, UUID modelId) {
    return client.preparedQuery("""
            UPDATE leads l SET score = best.score, grade = best.grade
              FROM lead_scores mine
              LEFT JOIN LATERAL (SELECT s.score, s.grade FROM lead_scores s
                                   JOIN scoring_models m ON m.id = s.model_id AND m.status = 'live'
                                  WHERE s.lead_id = mine.lead_id ORDER BY s.score DESC, m.created_at LIMIT 1) best
                     ON true
             WHERE mine.model_id = $1 AND l.id = mine.lead_id
               AND (l.score IS DISTINCT FROM best.score OR l.grade IS DISTINCT FROM best.grade)""")
        .execute(Tuple.of(modelId))
        .mapEmpty();
  }
}
