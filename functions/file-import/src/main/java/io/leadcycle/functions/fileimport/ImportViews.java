package io.leadcycle.functions.fileimport;

import io.leadcycle.domain.ImportRow;

import io.leadcycle.domain.ImportEntity;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportJob.Counts;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.domain.ImportWarning;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/** How the import routes show a job and a row error. */
final class ImportViews {

  private ImportViews() {
  }

  static JsonObject job(ImportJob job) {
    JsonObject view = new JsonObject()
        .put("id", job.id().toString())
        .put("entity", job.entity().wireName())
        .put("fileName", job.fileName())
        .put("status", job.status())
        .put("contactStrategyId", job.contactStrategyId())
        .put("options", new JsonObject(job.options()))
        .put("encoding", job.encoding())
        .put("progress", new JsonObject().put("rowsRead", job.rowsRead()))
        .put("counts", counts(job.counts()));
    if (job.entity() == ImportEntity.LEADS) {
      Counts c = job.contactCounts();
      view.put("contactCounts", new JsonObject().put("created", c.created()).put("updated", c.updated())
          .put("unchanged", c.unchanged()));
    }
    if (job.columns() != null) {
      view.put("columns", new JsonObject(job.columns()));
    }
    JsonArray warnings = new JsonArray();
    job.warnings().forEach(w -> warnings.add(warning(w)));
    view.put("warnings", warnings);
    Instant end = job.finishedAt() != null ? job.finishedAt() : job.startedAt() != null ? Instant.now() : null;
    Long millis = job.startedAt() == null ? null : Duration.between(job.startedAt(), end).toMillis();
    return view
        .put("failure", job.failure())
        .put("errorsUrl", "/v1/imports/" + job.id() + "/errors")
        .put("createdAt", job.createdAt().toString())
        .put("startedAt", job.startedAt() == null ? null : job.startedAt().toString())
        .put("finishedAt", job.finishedAt() == null ? null : job.finishedAt().toString())
        .put("durationMs", millis)
        .put("rowsPerSecond", millis == null || millis == 0 ? null : Math.round(job.rowsRead() * 1000.0 / millis));
  }

  /** A warning: what was left out (or not read), how often, the first row it happened in, in a sentence too. */
  private static JsonObject warning(ImportWarning w) {
    JsonObject view = new JsonObject().put("kind", w.kind()).put("column", w.column()).put("reason", w.reason())
        .put("rows", w.rows()).put("exampleRow", w.exampleRow()).put("exampleValue", w.exampleValue());
    if (ImportWarning.ATTRIBUTES_OVER_LIMIT.equals(w.kind())) {
      view.put("columns", new JsonArray(w.columns()));
    }
    return view.put("message", w.message());
  }

  private static JsonObject counts(Counts c) {
    return new JsonObject().put("created", c.created()).put("updated", c.updated()).put("unchanged", c.unchanged())
        .put("failed", c.failed());
  }

  static JsonObject error(RowError e) {
    return new JsonObject().put("row", e.row()).put("column", e.column()).put("value", e.value())
        .put("reason", e.reason());
  }
}
