package io.leadcycle.testing;

import io.leadcycle.scoring.ModelDefinition;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.store.RescoringMarks;
import io.leadcycle.store.ScoringModelStore;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Facts for scoring tests, written straight to the test database: accounts, contacts, leads,
 * interactions, rescoring marks, and models (created, optionally published).
 */
public final class ScoringFixtures {

  private ScoringFixtures() {
  }

  private static UUID insert(String sql, Object... parameters) {
    return TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.from(parameters)).await()
        .iterator().next().getUUID(0);
  }

  public static UUID account(String name, String industry, Integer employees) {
    return insert("INSERT INTO accounts (name, industry, employee_count, name_norm) VALUES ($1, $2, $3, lower($1))"
        + " RETURNING id", name, industry, employees);
  }

  /** A contact with an email, a job title and (optionally) an account. */
  public static UUID contact(String email, String jobTitle, UUID accountId) {
    return insert("INSERT INTO contacts (email, email_norm, job_title, account_id) VALUES ($1, lower($1), $2, $3)"
        + " RETURNING id", email, jobTitle, accountId);
  }

  /** An open lead in inquiry, of a marketing page, for the contact and/or account. */
  public static UUID lead(UUID contactId, UUID accountId) {
    return insert("INSERT INTO leads (topic, contact_id, account_id, context_kind, context_id, context_name)"
        + " VALUES ('Spring launch', $1, $2, 'marketing_page', 'spring', 'Spring launch') RETURNING id",
        contactId, accountId);
  }

  /**
   * {@code count} contacts ({@code bulk<n>@example.com}, every third a CTO) with an open lead in inquiry each,
   * in one statement: enough leads for a full rescoring of several parts.
   */
  public static void contactsWithLeads(int count) {
    TestDatabase.database().pool().preparedQuery("""
        WITH c AS (INSERT INTO contacts (email, email_norm, job_title)
                   SELECT 'bulk' || n || '@example.com', 'bulk' || n || '@example.com',
                          CASE WHEN n % 3 = 0 THEN 'CTO' ELSE 'Intern' END
                     FROM generate_series(1, $1) n RETURNING id)
        INSERT INTO leads (topic, contact_id, context_kind, context_id, context_name)
        SELECT 'Spring launch', id, 'marketing_page', 'spring', 'Spring launch' FROM c""")
        .execute(Tuple.of(count)).await();
  }

  /** An interaction of {@code type} ({@code website_visited}, ...) that happened at {@code at}. */
  public static UUID interaction(UUID contactId, String type, Instant at, String contextId) {
    return insert("INSERT INTO interactions (contact_id, type, occurred_at, context_id, source_key)"
        + " VALUES ($1, $2, $3, $4, $5) RETURNING id",
        contactId, type, at.atOffset(ZoneOffset.UTC), contextId, "test:" + UUID.randomUUID());
  }

  public static void mark(UUID contactId) {
    TestDatabase.database().inTransaction(conn -> new RescoringMarks().mark(conn, contactId)).await();
  }

  /** A draft model from its JSON body. */
  public static ScoringModel draft(String json) {
    ModelDefinition definition = ModelDefinition.parse(new JsonObject(json).getMap());
    return TestDatabase.database().inTransaction(conn -> new ScoringModelStore().create(conn, definition, null)).await();
  }

  /** A live model (its full rescoring pending) from its JSON body. */
  public static ScoringModel live(String json) {
    ScoringModel draft = draft(json);
    return TestDatabase.database().inTransaction(conn -> new ScoringModelStore().publish(conn, draft.id())).await();
  }
}
