package io.leadcycle.store;

import io.leadcycle.domain.InteractionType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
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
}
