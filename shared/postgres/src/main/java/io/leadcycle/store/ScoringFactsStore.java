package io.leadcycle.store;

import io.leadcycle.scoring.BehaviorFacts;
import io.leadcycle.scoring.BehavioralRule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The facts scoring needs, gathered set-based for a batch of leads: contact and account fields, and
 * per behavioral rule the interactions' count, decay-weight sum and newest weight, aggregated in
 * PostgreSQL. The aggregate must equal {@link BehaviorFacts#of} (ScoringFactsStoreTest holds them together):
 * the rule's type, its context if any, {@code occurred_at >= now - withinDays}, weight
 * {@code 0.5^(max(age, 0) / halfLife)} with the age in days.
 */
public final class ScoringFactsStore {

  /** A contact as scoring sees it. */
  public record ContactFacts(UUID accountId, Map<String, Object> fields, Map<String, Object> consent) {
  }

  /**
   * Per rule, its interactions of the batch's owners, in two branches of which only one runs per rule:
   * a rule without a context needs only {@code (contact_id, type, occurred_at)}, all of them in the index
   * {@code interactions_contact_type_time}, so PostgreSQL reads them with an index-only scan; only a rule
   * with a context visits the table (for {@code context_id}), and only for rows of its type. One join of
   * every interaction with every rule on {@code type} visited a table page per interaction: a contact's
   * interactions lie all over the table.
   */
  private static final String BEHAVIOR = """
      SELECT f.owner, r.n AS rule, count(*)::int AS occurrences, sum(%1$s) AS weight_sum, max(%1$s) AS newest_weight
        FROM unnest($3::text[], $4::text[], $5::int[], $6::float8[]) WITH ORDINALITY AS r(type, context_id, within_days, half_life, n)
        JOIN LATERAL (
          SELECT %2$s AS owner, i.occurred_at FROM interactions i %3$s
             AND r.context_id IS NULL AND i.type = r.type
             AND (r.within_days IS NULL OR i.occurred_at >= $2::timestamptz - make_interval(secs => r.within_days * 86400.0))
          UNION ALL
          SELECT %2$s AS owner, i.occurred_at FROM interactions i %3$s
             AND r.context_id IS NOT NULL AND i.type = r.type AND i.context_id = r.context_id
             AND (r.within_days IS NULL OR i.occurred_at >= $2::timestamptz - make_interval(secs => r.within_days * 86400.0))
        ) f ON true
       GROUP BY 1, 2""";

  private static final String WEIGHT = "CASE WHEN r.half_life IS NULL THEN 1.0::float8"
      + " ELSE power(0.5::float8, (greatest(extract(epoch FROM ($2::timestamptz - f.occurred_at)), 0) / 86400.0)::float8 / r.half_life) END";

  /** Contacts by id: standard fields by wire name, attributes as {@code attributes.<name>}, consent. */
  public Future<Map<UUID, ContactFacts>> contacts(SqlClient client, List<UUID> ids) {
    return client.preparedQuery("""
            SELECT id, account_id, email, first_name, last_name, phone, company_name, job_title, country, attributes,
                   consent FROM contacts WHERE id = ANY($1)""")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          Map<UUID, ContactFacts> contacts = new HashMap<>();
          for (Row row : rows) {
            Map<String, Object> fields = new LinkedHashMap<>();
            put(fields, "email", row.getString("email"));
            put(fields, "firstName", row.getString("first_name"));
            put(fields, "lastName", row.getString("last_name"));
            put(fields, "phone", row.getString("phone"));
            put(fields, "companyName", row.getString("company_name"));
            put(fields, "jobTitle", row.getString("job_title"));
            put(fields, "country", row.getString("country"));
            Rows.stringMap(row.getJsonObject("attributes")).forEach((name, value) -> put(fields, "attributes." + name, value));
            JsonObject consent = row.getJsonObject("consent");
            contacts.put(row.getUUID("id"), new ContactFacts(row.getUUID("account_id"), fields,
                consent == null ? null : Rows.plainMap(consent)));
          }
          return contacts;
        });
  }

  /** Accounts by id: fields by wire name; the numbers as {@link BigDecimal}. */
  public Future<Map<UUID, Map<String, Object>>> accounts(SqlClient client, List<UUID> ids) {
    return client.preparedQuery("""
            SELECT id, name, domain, industry, employee_count, annual_revenue, country FROM accounts WHERE id = ANY($1)""")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          Map<UUID, Map<String, Object>> accounts = new HashMap<>();
          for (Row row : rows) {
            Map<String, Object> fields = new LinkedHashMap<>();
            put(fields, "name", row.getString("name"));
            put(fields, "domain", row.getString("domain"));
            put(fields, "industry", row.getString("industry"));
            Integer employees = row.getInteger("employee_count");
            put(fields, "employeeCount", employees == null ? null : BigDecimal.valueOf(employees));
            put(fields, "annualRevenue", row.getBigDecimal("annual_revenue"));
            put(fields, "country", row.getString("country"));
            accounts.put(row.getUUID("id"), fields);
          }
          return accounts;
        });
  }

  /** Per contact, the facts of each rule (by its index in {@code rules}); a rule that saw nothing is absent. */
  public Future<Map<UUID, Map<Integer, BehaviorFacts>>> behaviorOfContacts(SqlClient client, List<BehavioralRule> rules,
      List<UUID> contactIds, Instant now) {
    return behavior(client, String.format(BEHAVIOR, WEIGHT, "i.contact_id", "WHERE i.contact_id = ANY($1)"), rules,
        contactIds, now);
  }

  /** Per account, the facts of each rule over the interactions of all the account's contacts. */
  public Future<Map<UUID, Map<Integer, BehaviorFacts>>> behaviorOfAccounts(SqlClient client, List<BehavioralRule> rules,
      List<UUID> accountIds, Instant now) {
    return behavior(client, String.format(BEHAVIOR, WEIGHT, "c.account_id",
        "JOIN contacts c ON c.id = i.contact_id WHERE c.account_id = ANY($1)"), rules, accountIds, now);
  }

  private Future<Map<UUID, Map<Integer, BehaviorFacts>>> behavior(SqlClient client, String sql,
      List<BehavioralRule> rules, List<UUID> owners, Instant now) {
    if (rules.isEmpty() || owners.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Tuple params = Tuple.tuple()
        .addArrayOfUUID(owners.toArray(UUID[]::new))
        .addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
        .addArrayOfString(rules.stream().map(r -> r.interaction().wireName()).toArray(String[]::new))
        .addArrayOfString(rules.stream().map(BehavioralRule::contextId).toArray(String[]::new))
        .addArrayOfInteger(rules.stream().map(BehavioralRule::withinDays).toArray(Integer[]::new))
        .addArrayOfDouble(rules.stream().map(BehavioralRule::decayHalfLifeDays).toArray(Double[]::new));
    return client.preparedQuery(sql).execute(params).map(rows -> {
      Map<UUID, Map<Integer, BehaviorFacts>> facts = new HashMap<>();
      for (Row row : rows) {
        int rule = (int) (row.getLong("rule") - 1); // WITH ORDINALITY counts from 1
        facts.computeIfAbsent(row.getUUID("owner"), id -> new HashMap<>())
            .put(rule, new BehaviorFacts(row.getInteger("occurrences"), row.getDouble("weight_sum"),
                row.getDouble("newest_weight")));
      }
      return facts;
    });
  }

  private static void put(Map<String, Object> fields, String name, Object value) {
    if (value != null) {
      fields.put(name, value);
    }
  }
}
