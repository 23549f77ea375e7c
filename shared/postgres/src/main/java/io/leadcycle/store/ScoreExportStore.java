package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A scoring model's lead-score list, best first: the export users asked for. Pages by key (score
 * descending, lead id), which the index {@code lead_scores_by_model} (or {@code lead_scores_by_grade}
 * with a grade) serves directly, so the thousandth page costs what the first does.
 */
public final class ScoreExportStore {

  /**
   * One lead's score in the model, with what a sales or marketing team reads beside it.
   *
   * @param salesReady whether this score reached the model's threshold when it was given
   * @param leadSalesReady the lead's own flag (sticky, and set by any live model or by hand)
   * @param stage the lead's stage now
   */
  public record ScoreRow(UUID leadId, String topic, UUID contactId, String contactEmail, UUID accountId, int score,
      String grade, boolean salesReady, boolean leadSalesReady, Instant scoredAt, String stage) {
  }

  /** A position in the list: the last row of the previous page. */
  public record Position(int score, UUID leadId) {
  }

  /** Up to a limit of rows; {@code more} when rows follow the last one. */
  public record Page(List<ScoreRow> rows, boolean more) {

    public ScoreRow last() {
      return rows.get(rows.size() - 1);
    }
  }

  private static final String SELECT = """
      SELECT s.lead_id, l.topic, l.contact_id, c.email AS contact_email, l.account_id, s.score, s.grade, s.sales_ready,
             l.sales_ready AS lead_sales_ready, s.scored_at, l.stage
        FROM lead_scores s
        JOIN leads l ON l.id = s.lead_id
        LEFT JOIN contacts c ON c.id = l.contact_id
       WHERE s.model_id = $1""";

  /**
   * Up to {@code limit} rows of the model's list after {@code after} (null: from the best), only those
   * of {@code grade} unless it is null.
   */
  public Future<Page> page(SqlClient client, UUID modelId, String grade, Position after, int limit) {
    // Fixed statements per case (rather than "$n IS NULL OR ..."), so that every plan is an index range scan.
    StringBuilder sql = new StringBuilder(SELECT);
    Tuple parameters = Tuple.of(modelId, limit + 1);
    int next = 3;
    if (grade != null) {
      sql.append(" AND s.grade = $").append(next++);
      parameters.addString(grade);
    }
    if (after != null) {
      // (score DESC, lead_id ASC) > position: a lower score, or the same score and a higher lead id.
      int score = next++;
      int lead = next;
      sql.append(" AND s.score <= $").append(score)
          .append(" AND (s.score < $").append(score).append(" OR s.lead_id > $").append(lead).append(')');
      parameters.addInteger(after.score()).addUUID(after.leadId());
    }
    sql.append(" ORDER BY s.score DESC, s.lead_id LIMIT $2");
    return client.preparedQuery(sql.toString()).execute(parameters)
        .map(rowSet -> {
          List<ScoreRow> rows = new ArrayList<>();
          rowSet.forEach(row -> rows.add(toRow(row)));
          boolean more = rows.size() > limit;
          return new Page(more ? rows.subList(0, limit) : rows, more);
        });
  }

  private static ScoreRow toRow(Row row) {
    return new ScoreRow(row.getUUID("lead_id"), row.getString("topic"), row.getUUID("contact_id"),
        row.getString("contact_email"), row.getUUID("account_id"), row.getInteger("score"), row.getString("grade"),
        row.getBoolean("sales_ready"), row.getBoolean("lead_sales_ready"), Rows.instant(row, "scored_at"),
        row.getString("stage"));
  }
}
