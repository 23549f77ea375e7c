package io.leadcycle.functions.fileimport;

import io.leadcycle.domain.ImportRow;

import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.ImportColumns;
import io.leadcycle.domain.ImportEntity;
import io.leadcycle.domain.ImportPreview;
import io.leadcycle.domain.ImportSource;
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
    JsonObject columns = job.columns() == null ? null : new JsonObject(job.columns()).copy();
    // Where the file came from and how its cells are separated belong to the file, not to one column.
    view.put("detectedSource", columns == null ? null : columns.remove("detectedSource"));
    view.put("delimiter", columns == null ? null : columns.remove("delimiter"));
    if (columns != null) {
      view.put("columns", columns);
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

  /** A preview: how the file is read, its first rows as they would land, and what a run would report. */
  static JsonObject preview(ImportPreview preview) {
    ImportColumns columns = preview.columns();
    JsonArray described = new JsonArray();
    columns.plan().forEach(c -> {
      JsonObject column = new JsonObject().put("header", c.header());
      c.describe().forEach(column::put);
      described.add(column);
    });
    JsonArray rows = new JsonArray();
    preview.rows().forEach(read -> rows.add(row(read)));
    JsonArray errors = new JsonArray();
    preview.errors().forEach(e -> errors.add(error(e)));
    JsonArray warnings = new JsonArray();
    preview.warnings().forEach(w -> warnings.add(warning(w)));
    ImportSource source = columns.source();
    return new JsonObject()
        .put("detectedSource", source == null ? null : source.id())
        .put("detectedSourceName", source == null ? null : source.name())
        .put("encoding", preview.encoding())
        .put("delimiter", String.valueOf(preview.delimiter()))
        .put("columns", described)
        .put("attributeColumns", new JsonArray(columns.attributeColumns()))
        .put("ignoredColumns", new JsonArray(columns.ignoredColumns()))
        .put("mappingWarnings", new JsonArray(columns.warnings()))
        .put("rows", rows)
        .put("counts", new JsonObject().put("rows", preview.dataRows())
            .put("importable", preview.dataRows() - preview.refusedRows()).put("refused", preview.refusedRows()))
        .put("errors", errors)
        .put("warnings", warnings)
        .put("failure", preview.failure());
  }

  /** A row as it would land: the contact's fields and attributes, its account and topic; or why it is refused. */
  private static JsonObject row(ImportRow.Read read) {
    JsonObject view = new JsonObject();
    JsonArray warnings = new JsonArray();
    read.warnings().forEach(w -> warnings.add(warning(w)));
    if (read.row() == null) {
      JsonArray errors = new JsonArray();
      read.errors().forEach(e -> errors.add(error(e)));
      return view.put("row", read.errors().get(0).row()).put("status", "refused").put("errors", errors)
          .put("warnings", warnings);
    }
    ImportRow row = read.row();
    ContactDetails c = row.contact();
    JsonObject contact = new JsonObject();
    putIfSet(contact, "email", c.email());
    putIfSet(contact, "firstName", c.firstName());
    putIfSet(contact, "lastName", c.lastName());
    putIfSet(contact, "phone", c.phone());
    putIfSet(contact, "companyName", c.companyName());
    putIfSet(contact, "jobTitle", c.jobTitle());
    putIfSet(contact, "country", c.country());
    contact.put("attributes", new JsonObject(new java.util.LinkedHashMap<>(c.attributes())));
    JsonObject account = null;
    if (row.accountKey() != null) {
      account = new JsonObject().put("matchedBy", row.accountKey().matching().wireName())
          .put("name", row.accountKey().newName()).put("domain", row.accountKey().newDomain());
    }
    return view.put("row", row.row()).put("status", "imported").put("contact", contact).put("account", account)
        .put("topic", row.topic()).put("errors", new JsonArray()).put("warnings", warnings);
  }

  private static void putIfSet(JsonObject view, String name, String value) {
    if (value != null) {
      view.put(name, value);
    }
  }

  /** A warning: what was left out (or not read), how often, the first row it happened in, in a sentence too. */
  static JsonObject warning(ImportWarning w) {
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
