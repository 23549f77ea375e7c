package io.leadcycle.functions.scoring;

import io.leadcycle.domain.InteractionBatch;
import io.leadcycle.http.Csv;
import io.leadcycle.store.ScoreExportStore;

import io.leadcycle.domain.InteractionBatch.Rejection;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.scoring.ScoringPreview;
import io.leadcycle.store.ScoreExportStore.ScoreRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** How scoring models, their score lists and interaction batches look on the wire. */
public final class ScoringViews {

  /** The definition's members, in this order, always present (null when not set). */
  private static final List<String> DEFINITION = List.of("name", "target", "salesReadyThreshold", "grades",
      "minimumConsent", "rules");

  /** The columns of a score list, in order: the JSON members of an item and the CSV header. */
  public static final List<String> SCORE_COLUMNS = List.of("leadId", "topic", "contactId", "contactEmail", "accountId",
      "score", "grade", "salesReady", "leadSalesReady", "scoredAt", "stage");

  private ScoringViews() {
  }

  /**
   * A scoring preview: {@code {scored, skipped, distribution: [{grade, count}], salesReady, leads: [{id, score,
   * grade, salesReady, explanation}]}}, the explanation as a stored score's.
   */
  public static JsonObject preview(ScoringPreview.Result result) {
    JsonArray distribution = new JsonArray();
    result.distribution().forEach(g -> distribution.add(new JsonObject().put("grade", g.grade()).put("count", g.count())));
    JsonArray leads = new JsonArray();
    for (ScoringPreview.Scored scored : result.best()) {
      leads.add(new JsonObject().put("id", scored.leadId().toString()).put("score", scored.result().score())
          .put("grade", scored.result().grade()).put("salesReady", scored.result().reachesThreshold())
          .put("explanation", RecalculationService.explanationOf(scored.result())));
    }
    return new JsonObject().put("scored", result.scored()).put("skipped", result.skipped())
        .put("distribution", distribution).put("salesReady", result.salesReady()).put("leads", leads);
  }

  /**
   * {@code {id, name, target, status, salesReadyThreshold, grades, minimumConsent, rules, copiedFrom,
   * createdAt, updatedAt, publishedAt, retiredAt, rescoring: {status, leadsScored, startedAt, finishedAt}}};
   * the definition as {@link io.leadcycle.scoring.ModelDefinition#toBody} writes it.
   */
  public static JsonObject model(ScoringModel m) {
    Map<String, Object> body = m.definition().toBody();
    JsonObject json = new JsonObject().put("id", m.id().toString());
    for (String member : DEFINITION) {
      json.put(member, plain(body.get(member)));
      if (member.equals("target")) {
        json.put("status", m.status().wireName());
      }
    }
    body.forEach((member, value) -> {
      if (!json.containsKey(member)) {
        json.put(member, plain(value));
      }
    });
    ScoringModel.Rescoring rescoring = m.rescoring();
    return json
        .put("copiedFrom", text(m.copiedFrom()))
        .put("createdAt", text(m.createdAt()))
        .put("updatedAt", text(m.updatedAt()))
        .put("publishedAt", text(m.publishedAt()))
        .put("retiredAt", text(m.retiredAt()))
        .put("rescoring", new JsonObject()
            .put("status", rescoring.status())
            .put("leadsScored", rescoring.leadsScored())
            .put("startedAt", text(rescoring.startedAt()))
            .put("finishedAt", text(rescoring.finishedAt())));
  }

  /** One row of a model's score list, members as {@link #SCORE_COLUMNS}. */
  public static JsonObject score(ScoreRow r) {
    return new JsonObject()
        .put("leadId", r.leadId().toString())
        .put("topic", r.topic())
        .put("contactId", text(r.contactId()))
        .put("contactEmail", r.contactEmail())
        .put("accountId", text(r.accountId()))
        .put("score", r.score())
        .put("grade", r.grade())
        .put("salesReady", r.salesReady())
        .put("leadSalesReady", r.leadSalesReady())
        .put("scoredAt", text(r.scoredAt()))
        .put("stage", r.stage());
  }

  /** One row of a model's score list as CSV cells, in {@link #SCORE_COLUMNS} order; free text is guarded. */
  public static List<String> scoreCells(ScoreRow r) {
    // Arrays.asList, not List.of: a lead without a contact, account or grade has empty cells (nulls).
    return Arrays.asList(Csv.value(r.leadId()), Csv.text(r.topic()), Csv.value(r.contactId()),
        Csv.text(r.contactEmail()), Csv.value(r.accountId()), Csv.value(r.score()), Csv.text(r.grade()),
        Csv.value(r.salesReady()), Csv.value(r.leadSalesReady()), Csv.value(r.scoredAt()), Csv.text(r.stage()));
  }

  /** {@code {accepted, duplicates, rejected: [{index, sourceId, reason}]}}. */
  public static JsonObject interactionOutcome(int accepted, int duplicates, List<Rejection> rejected) {
    JsonArray items = new JsonArray();
    rejected.forEach(r -> items.add(new JsonObject().put("index", r.index()).put("sourceId", r.sourceId())
        .put("reason", r.reason())));
    return new JsonObject().put("accepted", accepted).put("duplicates", duplicates).put("rejected", items);
  }

  private static String text(UUID id) {
    return id == null ? null : id.toString();
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  /** Maps and lists as Vert.x JSON, all the way down. */
  private static Object plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((k, v) -> object.put(String.valueOf(k), plain(v)));
      return object;
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(plain(item)));
      return new JsonArray(items);
    }
    return value;
  }
}
