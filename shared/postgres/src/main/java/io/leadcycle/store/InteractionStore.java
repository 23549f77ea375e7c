package io.leadcycle.store;

import io.leadcycle.domain.InteractionType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Interactions: the scorable facts about contacts. */
public final class InteractionStore {

  /** One fact to record; {@code sourceKey} is unique, so a replay cannot count twice. */
  public record NewInteraction(UUID id, UUID contactId, InteractionType type, Instant occurredAt, String contextKind,
      String contextId, String contextName, String sourceKey, JsonObject payload) {
  }

  public Future<UUID> record(SqlClient client, NewInteraction interaction) {
    String sql = """
        INSERT INTO interactions (id, contact_id, type, occurred_at, context_kind, context_id, context_name, source_key,
                                  payload)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        RETURNING id""";
    return client.preparedQuery(sql)
        .execute(Tuple.tuple()
            .addUUID(interaction.id())
            .addUUID(interaction.contactId())
            .addString(interaction.type().wireName())
            .addOffsetDateTime(interaction.occurredAt().atOffset(ZoneOffset.UTC))
            .addString(interaction.contextKind())
            .addString(interaction.contextId())
            .addString(interaction.contextName())
            .addString(interaction.sourceKey())
            .addValue(interaction.payload()))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  /** One fact of a batch: no payload; {@code sourceKey} unique as in {@link NewInteraction}. */
  public record BatchInteraction(UUID contactId, InteractionType type, Instant occurredAt, String contextKind,
      String contextId, String contextName, String contextUrl, String sourceKey) {
  }

  /** An interaction a batch stored: its source key and contact. */
  public record Stored(String sourceKey, UUID contactId) {
  }

  /**
   * Records a batch in one statement; a source key already stored, or repeated within the batch, is
   * skipped ({@code ON CONFLICT DO NOTHING}), so replays and concurrent copies of a batch store each
   * fact once. Rows go in source-key order, so that two batches with common keys wait for each other
   * instead of deadlocking. Answers the interactions that were stored now.
   */
  public Future<List<Stored>> recordAll(SqlClient client, List<BatchInteraction> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = batch.size();
    UUID[] contactIds = new UUID[n];
    String[] types = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] kinds = new String[n];
    String[] ids = new String[n];
    String[] names = new String[n];
    String[] urls = new String[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      BatchInteraction interaction = batch.get(i);
      contactIds[i] = interaction.contactId();
      types[i] = interaction.type().wireName();
      times[i] = interaction.occurredAt().atOffset(ZoneOffset.UTC);
      kinds[i] = interaction.contextKind();
      ids[i] = interaction.contextId();
      names[i] = interaction.contextName();
      urls[i] = interaction.contextUrl();
      keys[i] = interaction.sourceKey();
    }
    String sql = """
        INSERT INTO interactions (contact_id, type, occurred_at, context_kind, context_id, context_name, context_url,
                                  source_key)
        SELECT contact_id, type, occurred_at, context_kind, context_id, context_name, context_url, source_key
          FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
                      $8::text[])
               AS batch (contact_id, type, occurred_at, context_kind, context_id, context_name, context_url, source_key)
         ORDER BY source_key
        ON CONFLICT (source_key) DO NOTHING
        RETURNING source_key, contact_id""";
    return client.preparedQuery(sql)
        .execute(Tuple.tuple().addValue(contactIds).addValue(types).addValue(times).addValue(kinds).addValue(ids)
            .addValue(names).addValue(urls).addValue(keys))
        .map(rows -> {
          List<Stored> stored = new ArrayList<>();
          rows.forEach(row -> stored.add(new Stored(row.getString("source_key"), row.getUUID("contact_id"))));
          return stored;
        });
  }
}
