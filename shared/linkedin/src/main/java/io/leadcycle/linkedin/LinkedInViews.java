package io.leadcycle.linkedin;

import io.leadcycle.linkedin.LinkedInSyncStateStore.State;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;

/** The JSON shapes of LinkedIn sync's routes: mappings and the sync status. */
public final class LinkedInViews {

  private LinkedInViews() {
  }

  /** A mapping: {@code formUrn} and the settings as {@code PUT} takes them. */
  public static JsonObject mapping(LinkedInFormMapping mapping) {
    return new JsonObject().put("formUrn", mapping.formUrn())
        .mergeIn(new JsonObject(new LinkedHashMap<>(mapping.toBody())), true);
  }

  /** {@code GET /v1/linkedin/sync-status}. */
  public static JsonObject status(LinkedInSync.Status status) {
    State s = status.state();
    JsonObject counts = new JsonObject()
        .put("created", status.counts().getOrDefault("created", 0L))
        .put("matched", status.counts().getOrDefault("matched", 0L))
        .put("skippedTestLeads", status.counts().getOrDefault("skipped_test_lead", 0L))
        .put("ignoredPartialMatches", status.counts().getOrDefault("ignored_partial_match", 0L))
        .put("deleted", status.counts().getOrDefault("deleted", 0L))
        .put("unmapped", status.counts().getOrDefault("unmapped", 0L))
        .put("erased", status.counts().getOrDefault("erased", 0L));
    return new JsonObject()
        .put("lastPoll", time(s.lastPollFinishedAt()))
        .put("lastPollStartedAt", time(s.lastPollStartedAt()))
        .put("lastPollOutcome", s.lastPollOutcome())
        .put("lastPollResponses", s.lastPollResponses())
        .put("lastSuccessfulPoll", time(s.lastSuccessfulPollAt()))
        .put("watermark", time(s.watermark()))
        .put("counts", counts)
        .put("countsSince", time(s.countsSince()))
        .put("lastError", s.lastError())
        .put("lastErrorAt", time(s.lastErrorAt()));
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
