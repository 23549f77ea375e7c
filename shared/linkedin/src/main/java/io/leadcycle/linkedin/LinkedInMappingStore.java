package io.leadcycle.linkedin;

import io.leadcycle.store.Rows;

import io.leadcycle.linkedin.LinkedInFormMapping.PartialMatch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The mappings of LinkedIn Lead Gen forms, keyed by form URN. */
public final class LinkedInMappingStore {

  private static final String COLUMNS = "form_urn, name, fields, contact_strategy_id, lead_strategy_id, "
      + "on_partial_match, include_test_leads";

  /** Creates or replaces the mapping; true when it was created. */
  public Future<Boolean> put(SqlClient client, LinkedInFormMapping mapping) {
    return client.preparedQuery("""
            INSERT INTO linkedin_form_mappings (form_urn, name, fields, contact_strategy_id, lead_strategy_id,
                                                on_partial_match, include_test_leads)
            VALUES ($1, $2, $3::json, $4, $5, $6, $7)
            ON CONFLICT (form_urn) DO UPDATE SET
              name = excluded.name, fields = excluded.fields, contact_strategy_id = excluded.contact_strategy_id,
              lead_strategy_id = excluded.lead_strategy_id, on_partial_match = excluded.on_partial_match,
              include_test_leads = excluded.include_test_leads, updated_at = now()
            RETURNING (xmax = 0) AS created""")
        .execute(Tuple.tuple()
            .addString(mapping.formUrn())
            .addString(mapping.name())
            .addString(new JsonObject(new java.util.LinkedHashMap<>(mapping.fields())).encode())
            .addString(mapping.contactStrategyId())
            .addString(mapping.leadStrategyId())
            .addString(mapping.onPartialMatch().wireName())
            .addBoolean(mapping.includeTestLeads()))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  public Future<LinkedInFormMapping> find(SqlClient client, String formUrn) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM linkedin_form_mappings WHERE form_urn = $1")
        .execute(Tuple.of(formUrn))
        .map(rows -> rows.size() == 0 ? null : toMapping(rows.iterator().next()));
  }

  /** Up to {@code limit} mappings in form URN order, after {@code afterUrn} (null: from the first). */
  public Future<List<LinkedInFormMapping>> list(SqlClient client, String afterUrn, int limit) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM linkedin_form_mappings"
            + " WHERE $1::text IS NULL OR form_urn > $1 ORDER BY form_urn LIMIT $2")
        .execute(Tuple.of(afterUrn, limit))
        .map(rows -> {
          List<LinkedInFormMapping> mappings = new ArrayList<>();
          rows.forEach(row -> mappings.add(toMapping(row)));
          return mappings;
        });
  }

  private static LinkedInFormMapping toMapping(Row row) {
    Object fields = row.getValue("fields");
    JsonObject json = fields instanceof JsonObject object ? object : new JsonObject(String.valueOf(fields));
    return new LinkedInFormMapping(row.getString("form_urn"), row.getString("name"), Rows.stringMap(json),
        row.getString("contact_strategy_id"), row.getString("lead_strategy_id"),
        row.getString("on_partial_match").equals("ignore") ? PartialMatch.IGNORE : PartialMatch.CREATE,
        row.getBoolean("include_test_leads"));
  }
}
