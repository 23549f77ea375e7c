package io.leadcycle.functions.leadmanagement;

import io.leadcycle.process.BusinessProcess;
import io.leadcycle.process.ProcessDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** How process definitions and their versions look on the wire. */
final class ProcessViews {

  private ProcessViews() {
  }

  /**
   * {@code {id, name, stages, status, version, versions, readOnly, createdAt, updatedAt, publishedAt,
   * retiredAt}}: the latest version's definition as {@link ProcessDefinition#toBody} writes it.
   */
  static JsonObject process(BusinessProcess p) {
    return definition(new JsonObject().put("id", p.id()), p.definition())
        .put("status", p.status().wireName())
        .put("version", p.version())
        .put("versions", new JsonArray(p.versions()))
        .put("readOnly", p.readOnly())
        .put("createdAt", text(p.createdAt()))
        .put("updatedAt", text(p.updatedAt()))
        .put("publishedAt", text(p.publishedAt()))
        .put("retiredAt", text(p.retiredAt()));
  }

  /** {@code {processId, version, name, stages, createdAt, publishedAt}}: one version as it was written. */
  static JsonObject version(BusinessProcess.Version v) {
    return definition(new JsonObject().put("processId", v.processId()).put("version", v.version()), v.definition())
        .put("createdAt", text(v.createdAt()))
        .put("publishedAt", text(v.publishedAt()));
  }

  private static JsonObject definition(JsonObject json, ProcessDefinition definition) {
    Map<String, Object> body = definition.toBody();
    // Through encode/decode: nested Maps and Lists become JsonObjects and JsonArrays all the way down.
    JsonObject plain = new JsonObject(new JsonObject(body).encode());
    return json.put("name", plain.getString("name")).put("stages", plain.getJsonArray("stages"));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
