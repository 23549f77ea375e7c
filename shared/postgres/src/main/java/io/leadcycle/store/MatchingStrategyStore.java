package io.leadcycle.store;

import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.StrategyDefinition;
import io.leadcycle.domain.StrategyEntity;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Matching strategies: the two built-in defaults and any a user adds. */
public final class MatchingStrategyStore {

  private static final String COLUMNS = "id, name, entity, fields";

  public Future<MatchingStrategy> find(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM matching_strategies WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toStrategy(rows.iterator().next()));
  }

  public Future<List<MatchingStrategy>> list(SqlClient client) {
    return client.query("SELECT " + COLUMNS + " FROM matching_strategies ORDER BY created_at, id")
        .execute()
        .map(rows -> {
          List<MatchingStrategy> strategies = new ArrayList<>();
          rows.forEach(row -> strategies.add(toStrategy(row)));
          return strategies;
        });
  }

  public Future<MatchingStrategy> create(SqlClient client, StrategyDefinition definition) {
    String id = UUID.randomUUID().toString();
    String[] fields = definition.fields().stream().map(MatchField::wireName).toArray(String[]::new);
    return client.preparedQuery("INSERT INTO matching_strategies (id, name, entity, fields) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(id, definition.name(), definition.entity().wireName(), fields))
        .map(rows -> new MatchingStrategy(id, definition.name(), definition.entity(), definition.fields()));
  }

  static MatchingStrategy toStrategy(Row row) {
    return toStrategy(row, "");
  }

  /** Reads a strategy from columns named {@code prefix + "id"} etc. (forms join two of them). */
  static MatchingStrategy toStrategy(Row row, String prefix) {
    List<MatchField> fields = new ArrayList<>();
    for (String name : row.getArrayOfStrings(prefix + "fields")) {
      fields.add(MatchField.fromWireName(name)
          .orElseThrow(() -> new IllegalStateException("unknown match field in database: " + name)));
    }
    return new MatchingStrategy(row.getString(prefix + "id"), row.getString(prefix + "name"),
        StrategyEntity.fromWireName(row.getString(prefix + "entity")).orElseThrow(), fields);
  }
}
