package io.leadcycle.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The scoring benchmark's model, and plain SQL doing what the product does with it: the baseline of
 * BENCHMARKS.md. Both are written here, next to each other, so that a reader can check rule by rule
 * that they mean the same thing:
 *
 * <ol>
 *   <li>one aggregate statement: the behavioral facts of every contact (a {@code GROUP BY} over
 *       interactions with one {@code FILTER} per rule), joined with contacts and accounts, a {@code CASE}
 *       per field rule, {@code LEAST} for caps, {@code power(0.5, age / halfLife)} for decay, the score
 *       rounded half up, the grade, and the per-rule explanation; into a temporary table;</li>
 *   <li>the writes: the scores ({@code INSERT ... ON CONFLICT}), the leads' stage, sales-ready flag and
 *       best score (one {@code UPDATE}), the timeline rows and the outbox events of the stage moves
 *       (and, for changed contacts, {@code lead.score_changed} when a grade changed, and the marks
 *       deleted).</li>
 * </ol>
 *
 * <p>The text normalization of field values is the SQL equivalent of {@code Normalize.text} (NFKC,
 * trimmed, blanks collapsed, lower-cased), which gives the same result on the benchmark's ASCII data.
 * The SQL is written for this model only: that is what a hand-written ceiling is.
 */
final class ScoringBaseline {

  static final String MODEL_NAME = "Bench fit and engagement";
  static final int THRESHOLD = 50;

  /**
   * The model (contact target, 10 rules): demographic eq/in/contains/exists on jobTitle, country and an
   * attribute; firmographic eq on industry and gt on employeeCount; behavioral {@code each} with a
   * window and a cap, {@code each} with decay, {@code at_least_once} in one context, and {@code none}
   * with negative points.
   */
  static final String MODEL = """
      {"name": "%s", "target": "contact", "salesReadyThreshold": %d,
       "grades": [{"name": "D", "min": -1000, "max": 9}, {"name": "C", "min": 10, "max": 29},
                  {"name": "B", "min": 30, "max": 49}, {"name": "A", "min": 50, "max": 1000}],
       "rules": [
         {"id": "executive", "kind": "demographic", "field": "jobTitle", "op": "in",
          "value": ["CTO", "CEO", "VP Engineering"], "points": 20},
         {"id": "manager", "kind": "demographic", "field": "jobTitle", "op": "contains", "value": "manager", "points": 10},
         {"id": "germany", "kind": "demographic", "field": "country", "op": "eq", "value": "DE", "points": 5},
         {"id": "budget", "kind": "demographic", "field": "attributes.budget", "op": "exists", "points": 5},
         {"id": "software", "kind": "firmographic", "field": "industry", "op": "eq", "value": "Software", "points": 10},
         {"id": "large", "kind": "firmographic", "field": "employeeCount", "op": "gt", "value": 500, "points": 15},
         {"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
          "withinDays": 30, "points": 2, "maxPoints": 20},
         {"id": "clicks", "kind": "behavioral", "interaction": "email_clicked", "frequency": "each",
          "withinDays": 60, "points": 5, "maxPoints": 25, "decayHalfLifeDays": 14},
         {"id": "webinar", "kind": "behavioral", "interaction": "event_attended", "frequency": "at_least_once",
          "contextId": "webinar-7", "withinDays": 90, "points": 15},
         {"id": "silent", "kind": "behavioral", "interaction": "email_opened", "frequency": "none",
          "withinDays": 30, "points": -10}
       ]}""".formatted(MODEL_NAME, THRESHOLD);

  /** The context and type of the interaction that moves a score by exactly +15 (rule "webinar"), for time-to-score. */
  static final String WEBINAR_TYPE = "event_attended";
  static final String WEBINAR_CONTEXT = "webinar-7";
  static final int WEBINAR_POINTS = 15;

  /** Text as the engine compares it ({@code Normalize.text}), for ASCII and most of Unicode. */
  private static String normalized(String expression) {
    // The quick check first: normalize() is slow even on text that is already normalized (ASCII).
    String nfkc = "CASE WHEN " + expression + " IS NFKC NORMALIZED THEN " + expression + " ELSE normalize(" + expression
        + ", NFKC) END";
    return "nullif(lower(regexp_replace(btrim(" + nfkc + "), '\\s+', ' ', 'g')), '')";
  }

  /**
   * The scores of the open contact leads (all of them, or those of the contacts in {@code $3}), as of
   * {@code $1} in model {@code $2}, with what the writes need, into the temporary table {@code bench_scored}.
   */
  private static String aggregate(boolean subset) {
    String interactionFilter = subset ? "AND i.contact_id = ANY($3)" : "";
    String leadFilter = subset ? "AND l.contact_id = ANY($3)" : "";
    String decay = "power(0.5::float8, (greatest(extract(epoch FROM ($1 - i.occurred_at)), 0) / 86400.0)::float8 / 14)";
    return """
        CREATE TEMPORARY TABLE bench_scored ON COMMIT DROP AS
        WITH facts AS (
          SELECT i.contact_id,
                 count(*) FILTER (WHERE i.type = 'website_visited' AND i.occurred_at >= $1 - make_interval(secs => 30 * 86400.0)) AS visits,
                 count(*) FILTER (WHERE i.type = 'email_clicked' AND i.occurred_at >= $1 - make_interval(secs => 60 * 86400.0)) AS clicks,
                 sum(%1$s) FILTER (WHERE i.type = 'email_clicked' AND i.occurred_at >= $1 - make_interval(secs => 60 * 86400.0)) AS clicks_weight,
                 count(*) FILTER (WHERE i.type = 'event_attended' AND i.context_id = 'webinar-7'
                                    AND i.occurred_at >= $1 - make_interval(secs => 90 * 86400.0)) AS webinar,
                 count(*) FILTER (WHERE i.type = 'email_opened' AND i.occurred_at >= $1 - make_interval(secs => 30 * 86400.0)) AS opened
            FROM interactions i
           WHERE i.type IN ('website_visited', 'email_clicked', 'event_attended', 'email_opened')
             AND i.occurred_at >= $1 - make_interval(secs => 90 * 86400.0) %2$s
           GROUP BY i.contact_id
        ),
        lead_facts AS MATERIALIZED (  -- once per lead: the rules below read its columns several times
          SELECT l.id AS lead_id, l.stage, l.sales_ready AS was_sales_ready,
                 NOT EXISTS (SELECT 1 FROM lead_scores e WHERE e.lead_id = l.id) AS first_score,
                 prior.grade AS grade_before, prior.score AS score_before,
                 %3$s AS job_title, %4$s AS country, %5$s AS budget, %6$s AS industry, a.employee_count,
                 coalesce(f.visits, 0) AS visits, coalesce(f.clicks, 0) AS clicks,
                 coalesce(f.clicks_weight, 0) AS clicks_weight, coalesce(f.webinar, 0) AS webinar,
                 coalesce(f.opened, 0) AS opened
            FROM leads l
            JOIN contacts c ON c.id = l.contact_id
            LEFT JOIN accounts a ON a.id = c.account_id
            LEFT JOIN facts f ON f.contact_id = l.contact_id
            LEFT JOIN lead_scores prior ON prior.lead_id = l.id AND prior.model_id = $2
           WHERE l.status = 'open' %7$s
        ),
        fired AS (  -- a missing value fires no rule (only exists speaks of it)
          SELECT *,
                 coalesce(job_title IN ('cto', 'ceo', 'vp engineering'), false) AS executive,
                 coalesce(strpos(job_title, 'manager') > 0, false) AS manager,
                 coalesce(country = 'de', false) AS germany,
                 budget IS NOT NULL AS has_budget,
                 coalesce(industry = 'software', false) AS software,
                 coalesce(employee_count > 500, false) AS large
            FROM lead_facts
        ),
        points AS (
          SELECT *,
                 CASE WHEN executive THEN 20 ELSE 0 END AS p_executive,
                 CASE WHEN manager THEN 10 ELSE 0 END AS p_manager,
                 CASE WHEN germany THEN 5 ELSE 0 END AS p_germany,
                 CASE WHEN has_budget THEN 5 ELSE 0 END AS p_budget,
                 CASE WHEN software THEN 10 ELSE 0 END AS p_software,
                 CASE WHEN large THEN 15 ELSE 0 END AS p_large,
                 least(2 * visits, 20) AS p_visits,
                 least(5 * clicks_weight, 25) AS p_clicks,
                 CASE WHEN webinar > 0 THEN 15 ELSE 0 END AS p_webinar,
                 CASE WHEN opened = 0 THEN -10 ELSE 0 END AS p_silent
            FROM fired
        ),
        scored AS (
          -- The rules in model order, summed as the engine sums them (doubles), rounded half up at the end.
          SELECT *, floor(p_executive + p_manager + p_germany + p_budget + p_software + p_large + p_visits
                          + p_clicks + p_webinar + p_silent + 0.5)::int AS score
            FROM points
        )
        SELECT lead_id, $2::uuid AS model_id, $1::timestamptz AS scored_at, stage, was_sales_ready, first_score,
               score, score_before, grade_before,
               CASE WHEN score BETWEEN -1000 AND 9 THEN 'D' WHEN score BETWEEN 10 AND 29 THEN 'C'
                    WHEN score BETWEEN 30 AND 49 THEN 'B' WHEN score BETWEEN 50 AND 1000 THEN 'A' END AS grade,
               score >= %8$d AS reaches,
               score >= %8$d AND NOT was_sales_ready AS becomes_sales_ready,
               first_score AND stage = 'inquiry' AS leaves_inquiry,
               -- As the product sends it: JSON text, parsed into jsonb (jsonb_build_object per rule is twice as slow).
               ('[{"ruleId": "executive", "points": ' || p_executive || ', "occurrences": ' || executive::int
                 || '}, {"ruleId": "manager", "points": ' || p_manager || ', "occurrences": ' || manager::int
                 || '}, {"ruleId": "germany", "points": ' || p_germany || ', "occurrences": ' || germany::int
                 || '}, {"ruleId": "budget", "points": ' || p_budget || ', "occurrences": ' || has_budget::int
                 || '}, {"ruleId": "software", "points": ' || p_software || ', "occurrences": ' || software::int
                 || '}, {"ruleId": "large", "points": ' || p_large || ', "occurrences": ' || large::int
                 || '}, {"ruleId": "visits", "points": ' || p_visits || ', "occurrences": ' || visits
                 || '}, {"ruleId": "clicks", "points": ' || round(p_clicks::numeric, 2) || ', "occurrences": ' || clicks
                 || '}, {"ruleId": "webinar", "points": ' || p_webinar || ', "occurrences": ' || webinar
                 || '}, {"ruleId": "silent", "points": ' || p_silent || ', "occurrences": ' || opened || '}]')::jsonb AS explanation
          FROM scored
        """.formatted(decay, interactionFilter, normalized("c.job_title"), normalized("c.country"),
        normalized("c.attributes ->> 'budget'"), normalized("a.industry"), leadFilter, THRESHOLD)
        // Typed parameters: "$1 - interval" alone would leave PostgreSQL guessing.
        .replace("$1", "$1::timestamptz").replace("$2", "$2::uuid").replace("::timestamptz::timestamptz", "::timestamptz")
        .replace("::uuid::uuid", "::uuid");
  }

  /** The lead as the outbox payload shows it ({@code JsonViews.lead} without scores), with {@code stage} and {@code salesReady} given. */
  private static String leadJson(String stage, String salesReady) {
    return """
        jsonb_build_object('id', l.id, 'topic', l.topic, 'contactId', l.contact_id, 'accountId', l.account_id,
          'context', jsonb_build_object('kind', l.context_kind, 'id', l.context_id, 'name', l.context_name),
          'stage', %s, 'status', l.status, 'salesReady', %s, 'telemarketingReady', l.telemarketing_ready,
          'telemarketingAccepted', l.telemarketing_accepted, 'salesAccepted', l.sales_accepted, 'ownerId', l.owner_id,
          'processId', l.process_id, 'processVersion', l.process_version,
          'stageFields', coalesce(l.stage_fields, '{}'::jsonb),
          'qualification', coalesce(l.stage_fields -> 'telemarketing_qualification', '{}'::jsonb),
          'scores', '[]'::jsonb, 'unscorableReason', null,
          'disqualificationReason', l.disqualification_reason, 'opportunityId', o.id,
          'createdAt', l.created_at, 'updatedAt', l.updated_at)""".formatted(stage, salesReady);
  }

  private static String payload(String lead, String changes, String reason) {
    return "jsonb_build_object('schemaVersion', 2, 'lead', " + lead + ", 'changes', " + changes
        + ", 'actor', 'scoring', 'reason', " + reason + ")";
  }

  /** As {@link #payload(String, String, String)} for an event the model caused: with its {@code model}. */
  private static String payloadWithModel(String lead, String changes, String reason) {
    return "jsonb_build_object('schemaVersion', 2, 'lead', " + lead + ", 'changes', " + changes
        + ", 'actor', 'scoring', 'reason', " + reason + ", 'model', " + MODEL_JSON + ")";
  }

  /** {@code LeadEventPayload.Model}: the model, the lead's score and grade in it, its threshold. */
  private static final String MODEL_JSON = "jsonb_build_object('id', s.model_id, 'name', '" + MODEL_NAME
      + "', 'score', s.score, 'grade', s.grade, 'salesReadyThreshold', " + THRESHOLD + ")";

  private static final String READY_REASON =
      "'score ' || s.score || ' in model " + MODEL_NAME + " reached its sales-ready threshold " + THRESHOLD + "'";

  /** The stage a scored lead moves from to sales acceptance: automated qualification if it just left inquiry. */
  private static final String STAGE_BEFORE_READY =
      "CASE WHEN s.leaves_inquiry THEN 'automated_marketing_qualification' ELSE s.stage END";

  /**
   * The writes, after the aggregate in the same transaction; they read only {@code bench_scored}
   * (which carries the time and the model) and the leads. {@code changedContacts}: also announce grade
   * changes, as the product does for changed contacts (not for a model's full rescoring).
   */
  private static List<String> writes(boolean changedContacts) {
    String firstChanges = "jsonb_build_array(jsonb_build_object('field', 'stage', 'from', s.stage, 'to', "
        + "'automated_marketing_qualification'))";
    String readyChanges = "jsonb_build_array(jsonb_build_object('field', 'stage', 'from', " + STAGE_BEFORE_READY
        + ", 'to', 'sales_acceptance'), jsonb_build_object('field', 'salesReady', 'from', false, 'to', true))";
    String gradeChanges = "jsonb_build_array(jsonb_build_object('field', 'grade', 'from', s.grade_before, 'to', s.grade), "
        + "jsonb_build_object('field', 'score', 'from', s.score_before, 'to', s.score))";
    List<String> statements = new ArrayList<>(List.of(
        """
        INSERT INTO lead_scores (lead_id, model_id, score, grade, sales_ready, explanation, scored_at)
        SELECT s.lead_id, s.model_id, s.score, s.grade, s.reaches, s.explanation, s.scored_at FROM bench_scored s
        ON CONFLICT (lead_id, model_id) DO UPDATE SET score = excluded.score, grade = excluded.grade,
           sales_ready = excluded.sales_ready, explanation = excluded.explanation, scored_at = excluded.scored_at""",
        """
        UPDATE leads l SET stage = CASE WHEN s.becomes_sales_ready THEN 'sales_acceptance'
                                        WHEN s.leaves_inquiry THEN 'automated_marketing_qualification' ELSE l.stage END,
               sales_ready = l.sales_ready OR s.becomes_sales_ready, score = s.score, grade = s.grade,
               version = l.version + CASE WHEN s.becomes_sales_ready OR s.leaves_inquiry THEN 1 ELSE 0 END,
               updated_at = CASE WHEN s.becomes_sales_ready OR s.leaves_inquiry THEN now() ELSE l.updated_at END
          FROM bench_scored s
         WHERE l.id = s.lead_id AND (s.becomes_sales_ready OR s.leaves_inquiry
                OR l.score IS DISTINCT FROM s.score OR l.grade IS DISTINCT FROM s.grade)""",
        """
        INSERT INTO lead_timeline (lead_id, field, from_value, to_value, actor, reason)
        SELECT s.lead_id, 'stage', s.stage, 'automated_marketing_qualification', 'scoring', 'first scored'
          FROM bench_scored s WHERE s.leaves_inquiry
        UNION ALL
        SELECT s.lead_id, m.field, m.from_value, m.to_value, 'scoring', %s
          FROM bench_scored s
          CROSS JOIN LATERAL (VALUES ('stage', %s, 'sales_acceptance'), ('salesReady', 'false', 'true'))
               AS m(field, from_value, to_value)
         WHERE s.becomes_sales_ready""".formatted(READY_REASON, STAGE_BEFORE_READY),
        """
        INSERT INTO outbox (type, lead_id, payload)
        SELECT 'lead.stage_changed', l.id, %s
          FROM bench_scored s JOIN leads l ON l.id = s.lead_id LEFT JOIN opportunities o ON o.lead_id = l.id
         WHERE s.leaves_inquiry
        UNION ALL
        SELECT e.type, l.id, %s
          FROM bench_scored s JOIN leads l ON l.id = s.lead_id LEFT JOIN opportunities o ON o.lead_id = l.id
          CROSS JOIN (VALUES ('lead.stage_changed'), ('lead.sales_ready')) AS e(type)
         WHERE s.becomes_sales_ready""".formatted(
            payload(leadJson("'automated_marketing_qualification'", "false"), firstChanges, "'first scored'"),
            payloadWithModel(leadJson("'sales_acceptance'", "true"), readyChanges, READY_REASON))));
    if (changedContacts) {
      statements.add("""
          INSERT INTO outbox (type, lead_id, payload)
          SELECT 'lead.score_changed', l.id, %s
            FROM bench_scored s JOIN leads l ON l.id = s.lead_id LEFT JOIN opportunities o ON o.lead_id = l.id
           WHERE s.grade_before IS NOT NULL AND s.grade_before IS DISTINCT FROM s.grade""".formatted(
          payloadWithModel(leadJson("s.stage", "s.was_sales_ready"), gradeChanges,
              "'model " + MODEL_NAME + " (' || s.model_id || '): score ' || s.score_before || ' → ' || s.score")));
    }
    return statements;
  }

  /** What one baseline run did and how long its parts took; {@code scores} by lead, for the cross-check. */
  record Result(int leads, int leftInquiry, int salesReady, int gradeChanges, int timelineRows, int outboxRows,
      double aggregateSeconds, double writeSeconds, String writeParts, Map<UUID, Integer> scores) {

    double seconds() {
      return aggregateSeconds + writeSeconds;
    }
  }

  /**
   * Runs the baseline in one transaction on one connection of {@code pool}: for every open contact
   * lead ({@code contactIds} null), or for the leads of these changed contacts, whose marks it then
   * deletes as the product does. The timed part ends with the last write; then the results are read
   * for the cross-check and the transaction is rolled back, so that the product starts from the very
   * same state (the commit's WAL flush, a few milliseconds, is the one thing the baseline skips).
   */
  static Result run(Pool pool, UUID modelId, Instant now, List<UUID> contactIds) {
    boolean subset = contactIds != null;
    SqlConnection conn = pool.getConnection().await();
    try {
      Transaction tx = conn.begin().await();
      try {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        UUID[] contacts = subset ? contactIds.toArray(UUID[]::new) : null;
        long t0 = System.nanoTime();
        conn.preparedQuery(aggregate(subset)).execute(subset ? Tuple.of(at, modelId, contacts) : Tuple.of(at, modelId))
            .await();
        long t1 = System.nanoTime();
        int gradeChanges = 0;
        int timeline = 0;
        int outbox = 0;
        List<String> parts = new ArrayList<>();
        for (String sql : writes(subset)) {
          long start = System.nanoTime();
          int n = conn.query(sql).execute().await().rowCount();
          String[] words = sql.strip().split("\\s+");
          parts.add(String.format(java.util.Locale.ROOT, "%s %.2f", words[0].equals("UPDATE") ? words[1] : words[2],
              (System.nanoTime() - start) / 1e9));
          if (sql.contains("lead.score_changed")) {
            gradeChanges = n;
          }
          if (sql.contains("INSERT INTO lead_timeline")) {
            timeline += n;
          }
          if (sql.contains("INSERT INTO outbox")) {
            outbox += n;
          }
        }
        if (subset) {
          conn.preparedQuery("DELETE FROM contacts_to_rescore WHERE contact_id = ANY($1)").execute(Tuple.of((Object) contacts))
              .await();
        }
        long t2 = System.nanoTime();
        Map<UUID, Integer> scores = new HashMap<>();
        int leftInquiry = 0;
        int salesReady = 0;
        for (Row row : conn.query("SELECT lead_id, score, leaves_inquiry, becomes_sales_ready FROM bench_scored").execute()
            .await()) {
          scores.put(row.getUUID(0), row.getInteger(1));
          leftInquiry += row.getBoolean(2) ? 1 : 0;
          salesReady += row.getBoolean(3) ? 1 : 0;
        }
        return new Result(scores.size(), leftInquiry, salesReady, gradeChanges, timeline, outbox, (t1 - t0) / 1e9,
            (t2 - t1) / 1e9, String.join(", ", parts), scores);
      } finally {
        tx.rollback().await();
      }
    } finally {
      conn.close().await();
    }
  }

  /**
   * The scores the baseline's aggregate gives the leads of these contacts as of {@code now} (computed,
   * read and rolled back): the cross-check asks it for the product's score of a lead at the very time
   * the product scored it.
   */
  static Map<UUID, Integer> scoresAt(Pool pool, UUID modelId, Instant now, List<UUID> contactIds) {
    SqlConnection conn = pool.getConnection().await();
    try {
      Transaction tx = conn.begin().await();
      try {
        conn.preparedQuery(aggregate(true))
            .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), modelId, contactIds.toArray(UUID[]::new))).await();
        Map<UUID, Integer> scores = new HashMap<>();
        for (Row row : conn.query("SELECT lead_id, score FROM bench_scored").execute().await()) {
          scores.put(row.getUUID(0), row.getInteger(1));
        }
        return scores;
      } finally {
        tx.rollback().await();
      }
    } finally {
      conn.close().await();
    }
  }

  private ScoringBaseline() {
  }
}
