package io.leadcycle.store;

import io.leadcycle.domain.Activity;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.MarketingContext;
import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.NewLead;
import io.leadcycle.process.ProcessVersion;
import io.leadcycle.domain.SearchQuery;
import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Leads: one expression of interest of a contact (or account) in one marketing context. */
public final class LeadStore {

  /** An open lead found by a lead strategy, locked for the rest of the transaction. */
  public record MatchedLead(UUID id, Map<String, String> submittedFields) {
  }

  /**
   * The oldest open lead of {@code contactId} whose marketing context and contact fields equal the key.
   * Leads of other contacts never match: one person's submission must not update another's lead.
   */
  public Future<MatchedLead> findOpenMatch(SqlClient client, UUID contactId, MatchKey key) {
    String sql = "SELECT l.id, l.submitted_fields FROM leads l JOIN contacts c ON c.id = l.contact_id"
        + " WHERE l.status = 'open' AND l.contact_id = $1 AND " + MatchColumns.where(key, "c", "l", 2)
        + " ORDER BY l.created_at, l.id LIMIT 1 FOR NO KEY UPDATE OF l";
    return client.preparedQuery(sql).execute(MatchColumns.values(Tuple.of(contactId), key))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new MatchedLead(row.getUUID("id"), Rows.stringMap(row.getJsonObject("submitted_fields")));
        });
  }

  /**
   * The oldest open lead without a contact whose own submitted fields and marketing context equal the
   * key: how update mode only_leads finds the lead of a person it has no contact for. The caller holds
   * the key's advisory lock, so two such submissions of one person make one lead.
   */
  public Future<MatchedLead> findOpenContactlessMatch(SqlClient client, MatchKey key) {
    String sql = "SELECT l.id, l.submitted_fields FROM leads l"
        + " WHERE l.status = 'open' AND l.contact_id IS NULL AND " + MatchColumns.where(key, "l", "l", 1)
        + " ORDER BY l.created_at, l.id LIMIT 1 FOR NO KEY UPDATE OF l";
    return client.preparedQuery(sql).execute(MatchColumns.values(Tuple.tuple(), key))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new MatchedLead(row.getUUID("id"), Rows.stringMap(row.getJsonObject("submitted_fields")));
        });
  }

  /** One lead of a batch insert: the id chosen by the caller, and the lead. */
  public record NewLeadWithId(UUID id, NewLead lead, ProcessVersion process) {
  }

  /** Inserts a batch of leads created at {@code createdAt}, in one statement. */
  public Future<Void> insertAll(SqlClient client, List<NewLeadWithId> leads, Instant createdAt) {
    if (leads.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = leads.size();
    UUID[] ids = new UUID[n];
    UUID[] contacts = new UUID[n];
    UUID[] accounts = new UUID[n];
    String[][] text = new String[14][n];
    Integer[] versions = new Integer[n];
    for (int i = 0; i < n; i++) {
      NewLead lead = leads.get(i).lead();
      ProcessVersion process = leads.get(i).process();
      ids[i] = leads.get(i).id();
      versions[i] = process.version();
      contacts[i] = lead.contactId();
      accounts[i] = lead.accountId();
      Map<String, Object> details = lead.context().details();
      Tuple norms = withNormalized(Tuple.tuple(), lead.submittedFields());
      String[] row = {lead.topic(), lead.context().kind(), lead.context().id(), lead.context().name(),
          lead.context().tileId(), details == null ? null : new JsonObject(new java.util.LinkedHashMap<>(details)).encode(),
          new JsonObject(new java.util.LinkedHashMap<>(lead.submittedFields())).encode(),
          norms.getString(0), norms.getString(1), norms.getString(2), norms.getString(3), norms.getString(4),
          process.processId(), process.firstStage()};
      for (int column = 0; column < row.length; column++) {
        text[column][i] = row[column];
      }
    }
    Tuple tuple = Tuple.tuple().addArrayOfUUID(ids).addArrayOfUUID(contacts).addArrayOfUUID(accounts);
    for (String[] column : text) {
      tuple.addArrayOfString(column);
    }
    return client.preparedQuery("""
            INSERT INTO leads (id, contact_id, account_id, topic, context_kind, context_id, context_name, context_tile_id,
                               context_details, submitted_fields, email_norm, first_name_norm, last_name_norm,
                               phone_norm, company_name_norm, process_id, stage, process_version, created_at, updated_at)
            SELECT id, contact_id, account_id, topic, context_kind, context_id, context_name, context_tile_id,
                   context_details::jsonb, submitted_fields::jsonb, email_norm, first_name_norm, last_name_norm,
                   phone_norm, company_name_norm, process_id, stage, process_version, $19, $19
              FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                          $16::text[], $17::text[], $18::int[])
                AS l (id, contact_id, account_id, topic, context_kind, context_id, context_name, context_tile_id,
                      context_details, submitted_fields, email_norm, first_name_norm, last_name_norm, phone_norm,
                      company_name_norm, process_id, stage, process_version)""")
        .execute(tuple.addArrayOfInteger(versions).addOffsetDateTime(createdAt.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /**
   * The open leads of one marketing context that belong to these contacts, or (without a contact) to these
   * accounts: by contact id, and by account id for the account leads. The oldest one where there are several.
   */
  public Future<Map<UUID, UUID>> openInContext(SqlClient client, String contextKind, String contextId,
      java.util.Collection<UUID> contactIds, java.util.Collection<UUID> accountIds) {
    if (contactIds.isEmpty() && accountIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery("""
            SELECT DISTINCT ON (coalesce(contact_id, account_id)) coalesce(contact_id, account_id) AS owner, id
              FROM leads
             WHERE status = 'open' AND context_kind = $1 AND context_id = $2
               AND (contact_id = ANY($3) OR (contact_id IS NULL AND account_id = ANY($4)))
             ORDER BY coalesce(contact_id, account_id), created_at, id""")
        .execute(Tuple.of(contextKind, contextId, contactIds.toArray(UUID[]::new), accountIds.toArray(UUID[]::new)))
        .map(rows -> {
          Map<UUID, UUID> found = new java.util.HashMap<>();
          rows.forEach(row -> found.put(row.getUUID("owner"), row.getUUID("id")));
          return found;
        });
  }

  /**
   * The normalized values of the submitted contact fields, in the column order of the *_norm columns:
   * what a lead without a contact is matched on (the same definition of "the same" as for contacts).
   */
  private static Tuple withNormalized(Tuple tuple, Map<String, String> submitted) {
    for (MatchField field : List.of(MatchField.EMAIL, MatchField.FIRST_NAME, MatchField.LAST_NAME, MatchField.PHONE,
        MatchField.COMPANY_NAME)) {
      tuple.addString(field.normalize(submitted.get(field.wireName())));
    }
    return tuple;
  }

  public Future<Void> updateSubmittedFields(SqlClient client, UUID id, Map<String, String> submittedFields) {
    return client.preparedQuery("""
            UPDATE leads SET submitted_fields = $1, email_norm = $2, first_name_norm = $3, last_name_norm = $4,
                   phone_norm = $5, company_name_norm = $6, updated_at = now(), version = version + 1
             WHERE id = $7""")
        .execute(withNormalized(Tuple.of(Rows.json(submittedFields)), submittedFields).addUUID(id))
        .mapEmpty();
  }

  /**
   * The open leads to rescore when these contacts' facts changed: their own leads (contact-based), and
   * the leads without a contact of their accounts (account-based), in id order.
   */
  public Future<List<UUID>> openLeadsAffectedBy(SqlClient client, List<UUID> contactIds) {
    return client.preparedQuery("""
            SELECT id FROM leads WHERE status = 'open' AND contact_id = ANY($1)
            UNION
            SELECT l.id FROM leads l
             WHERE l.status = 'open' AND l.contact_id IS NULL
               AND l.account_id IN (SELECT account_id FROM contacts WHERE id = ANY($1) AND account_id IS NOT NULL)
            ORDER BY 1""")
        .execute(Tuple.of(contactIds.toArray(UUID[]::new)))
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getUUID(0)));
          return ids;
        });
  }

  /**
   * The next open leads a model of {@code target} scores, in id order after {@code afterId}: with a
   * contact for contact models, with an account but no contact for account models.
   */
  public Future<List<UUID>> nextScoredBy(SqlClient client, boolean accountTarget, UUID afterId, int limit) {
    return nextScoredBy(client, accountTarget, afterId, null, limit);
  }

  /**
   * As above, up to the lead {@code lastId} (inclusive; null: to the end). The bounds are written into
   * the statement only when given, so that even a generic plan walks the primary key from the cursor.
   */
  public Future<List<UUID>> nextScoredBy(SqlClient client, boolean accountTarget, UUID afterId, UUID lastId,
      int limit) {
    String which = accountTarget ? "contact_id IS NULL AND account_id IS NOT NULL" : "contact_id IS NOT NULL";
    Tuple parameters = Tuple.of(limit);
    StringBuilder sql = new StringBuilder("SELECT id FROM leads WHERE status = 'open' AND ").append(which);
    if (afterId != null) {
      parameters.addUUID(afterId);
      sql.append(" AND id > $").append(parameters.size());
    }
    if (lastId != null) {
      parameters.addUUID(lastId);
      sql.append(" AND id <= $").append(parameters.size());
    }
    return client.preparedQuery(sql.append(" ORDER BY id LIMIT $1").toString())
        .execute(parameters)
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getUUID(0)));
          return ids;
        });
  }

  /**
   * The newest open leads a model of {@code target} scores (as {@link #nextScoredBy} chooses them), newest
   * first, without locking them: a scoring preview reads them in a read-only transaction. Walks
   * {@code leads_view_all} backwards.
   */
  public Future<List<Lead>> newestScoredBy(SqlClient client, boolean accountTarget, int limit) {
    String which = accountTarget ? "l.contact_id IS NULL AND l.account_id IS NOT NULL" : "l.contact_id IS NOT NULL";
    return client.preparedQuery("SELECT " + LEAD_COLUMNS + " FROM leads l LEFT JOIN opportunities o ON o.lead_id = l.id"
            + " WHERE l.status = 'open' AND " + which + " ORDER BY l.created_at DESC, l.id DESC LIMIT $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<Lead> leads = new ArrayList<>();
          rows.forEach(row -> leads.add(toLead(row)));
          return leads;
        });
  }

  /**
   * The open ones of these leads, their rows locked for the rest of the transaction in id order (so two
   * runs locking overlapping sets never wait for each other in a circle).
   */
  public Future<List<Lead>> lockOpen(SqlClient client, List<UUID> ids) {
    return client.preparedQuery("SELECT " + LEAD_COLUMNS + " FROM leads l LEFT JOIN opportunities o ON o.lead_id = l.id"
            + " WHERE l.id = ANY($1) AND l.status = 'open' ORDER BY l.id FOR NO KEY UPDATE OF l")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          List<Lead> leads = new ArrayList<>();
          rows.forEach(row -> leads.add(toLead(row)));
          return leads;
        });
  }

  /** A scored lead's state after scoring: its process state (changed or not) and its best score and grade. */
  public record ScoredState(UUID id, LeadState state, boolean moved, Integer score, String grade) {
  }

  /**
   * Writes the best scores and, where scoring moved them, the process states of several leads, in one
   * statement: each lead row is updated once (its indexes and foreign keys checked once).
   */
  public Future<Void> updateScoredStates(SqlClient client, List<ScoredState> updates) {
    if (updates.isEmpty()) {
      return Future.succeededFuture();
    }
    List<LeadState> values = updates.stream().map(ScoredState::state).toList();
    return client.preparedQuery("""
            UPDATE leads l SET stage = s.stage, status = s.status, telemarketing_ready = s.tr,
                   telemarketing_accepted = s.ta, sales_ready = s.sr, sales_accepted = s.sa, owner_id = s.owner,
                   score = s.score, grade = s.grade,
                   version = l.version + CASE WHEN s.moved THEN 1 ELSE 0 END,
                   updated_at = CASE WHEN s.moved THEN now() ELSE l.updated_at END
              FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::bool[], $7::bool[], $8::text[],
                          $9::bool[], $10::int[], $11::text[])
                   AS s(id, stage, status, tr, ta, sr, sa, owner, moved, score, grade)
             WHERE l.id = s.id""")
        .execute(Tuple.tuple()
            .addArrayOfUUID(updates.stream().map(ScoredState::id).toArray(UUID[]::new))
            .addArrayOfString(values.stream().map(LeadState::stage).toArray(String[]::new))
            .addArrayOfString(values.stream().map(v -> v.status().wireName()).toArray(String[]::new))
            .addArrayOfBoolean(values.stream().map(LeadState::telemarketingReady).toArray(Boolean[]::new))
            .addArrayOfBoolean(values.stream().map(LeadState::telemarketingAccepted).toArray(Boolean[]::new))
            .addArrayOfBoolean(values.stream().map(LeadState::salesReady).toArray(Boolean[]::new))
            .addArrayOfBoolean(values.stream().map(LeadState::salesAccepted).toArray(Boolean[]::new))
            .addArrayOfString(values.stream().map(LeadState::ownerId).toArray(String[]::new))
            .addArrayOfBoolean(updates.stream().map(ScoredState::moved).toArray(Boolean[]::new))
            .addArrayOfInteger(updates.stream().map(ScoredState::score).toArray(Integer[]::new))
            .addArrayOfString(updates.stream().map(ScoredState::grade).toArray(String[]::new)))
        .mapEmpty();
  }

  /** The lists users work from. Each condition is a fixed string backed by its own index (V2 migration). */
  public enum View {
    /** Telemarketing-ready, not yet accepted by telemarketing (and not sales-ready: those skip telemarketing). */
    TELEMARKETING("l.status = 'open' AND l.telemarketing_ready AND NOT l.telemarketing_accepted AND NOT l.sales_ready"),
    /** Sales-ready leads only: salespeople never see leads that are not. */
    SALES("l.status = 'open' AND l.sales_ready"),
    /** The caller's open leads, whatever the stage. */
    MINE("l.status = 'open' AND l.owner_user_id = $1", true),
    /** Open leads nobody works yet. */
    UNASSIGNED("l.status = 'open' AND l.owner_user_id IS NULL"),
    /** The caller's leads in telemarketing qualification: the calls they took on. */
    MY_CALLS("l.status = 'open' AND l.owner_user_id = $1 AND l.telemarketing_accepted AND NOT l.sales_ready", true),
    /** The caller's follow-ups whose time has come (V18's leads_follow_ups_by_user). */
    DUE("l.status = 'open' AND l.follow_up_user_id = $1 AND l.follow_up_at <= now()", true),
    ALL("TRUE");

    private final String condition;
    /** Whether the condition takes the caller's user id, as parameter $1. */
    private final boolean byCaller;

    View(String condition) {
      this(condition, false);
    }

    View(String condition, boolean byCaller) {
      this.condition = condition;
      this.byCaller = byCaller;
    }

    public boolean byCaller() {
      return byCaller;
    }
  }

  /** A page of a view in the query's order; {@code lastPosition} is where its last lead stands in that order. */
  public record Page(List<Lead> items, Position lastPosition, boolean more) {
  }

  private static final String LEAD_COLUMNS = """
      l.id, l.topic, l.contact_id, l.account_id, l.context_kind, l.context_id, l.context_name, l.context_tile_id,
      l.context_details, l.stage, l.status,
      l.telemarketing_ready, l.telemarketing_accepted, l.sales_ready, l.sales_accepted, l.owner_id, l.process_id,
      l.process_version, l.stage_fields,
      l.disqualification_reason, l.score, l.grade, l.created_at, l.updated_at, o.id AS opportunity_id,
      l.owner_user_id, l.owner_name, l.last_activity_kind, l.last_activity_outcome, l.last_activity_at,
      l.last_activity_actor, l.follow_up_at, l.follow_up_user_id, l.follow_up_user_name, l.follow_up_activity_id""";

  public Future<Lead> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + LEAD_COLUMNS
            + " FROM leads l LEFT JOIN opportunities o ON o.lead_id = l.id WHERE l.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toLead(rows.iterator().next()));
  }
  /** These leads as they are now (those that still exist), by id: one statement for a batch. */
  public Future<Map<UUID, Lead>> findAll(SqlClient client, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery("SELECT " + LEAD_COLUMNS
            + " FROM leads l LEFT JOIN opportunities o ON o.lead_id = l.id WHERE l.id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          Map<UUID, Lead> leads = new java.util.HashMap<>();
          rows.forEach(row -> {
            Lead lead = toLead(row);
            leads.put(lead.id(), lead);
          });
          return leads;
        });
  }

  /**
   * Reads the lead and locks its row for the rest of the transaction, in one statement: concurrent
   * changes to one lead queue up. Null when it does not exist.
   */
  public Future<Lead> lock(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + LEAD_COLUMNS
            + " FROM leads l LEFT JOIN opportunities o ON o.lead_id = l.id WHERE l.id = $1 FOR NO KEY UPDATE OF l")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toLead(rows.iterator().next()));
  }

  /** Writes the process state and returns the lead as it now is. */
  public Future<Lead> updateState(SqlClient client, UUID id, LeadState state, String disqualificationReason) {
    return client.preparedQuery("""
            WITH l AS (
              UPDATE leads SET stage = $2, status = $3, telemarketing_ready = $4, telemarketing_accepted = $5,
                     sales_ready = $6, sales_accepted = $7, owner_id = $8,
                     disqualification_reason = coalesce($9, disqualification_reason),
                     -- A converted or disqualified lead has nothing left to follow up.
                     follow_up_at = CASE WHEN $3 = 'open' THEN follow_up_at END,
                     follow_up_user_id = CASE WHEN $3 = 'open' THEN follow_up_user_id END,
                     follow_up_user_name = CASE WHEN $3 = 'open' THEN follow_up_user_name END,
                     follow_up_activity_id = CASE WHEN $3 = 'open' THEN follow_up_activity_id END,
                     version = version + 1, updated_at = now()
               WHERE id = $1
              RETURNING *)""" + FROM_UPDATED)
        .execute(Tuple.tuple().addUUID(id).addString(state.stage()).addString(state.status().wireName())
            .addBoolean(state.telemarketingReady()).addBoolean(state.telemarketingAccepted())
            .addBoolean(state.salesReady()).addBoolean(state.salesAccepted()).addString(state.ownerId())
            .addString(disqualificationReason))
        .map(rows -> toLead(rows.iterator().next()));
  }

  /** Writes topic, links and stage field values (the qualification findings among them); the lead as it now is. */
  public Future<Lead> updateDetails(SqlClient client, UUID id, String topic, UUID contactId, UUID accountId,
      Map<String, Map<String, Object>> stageFields) {
    return client.preparedQuery("""
            WITH l AS (
              UPDATE leads SET topic = $2, contact_id = $3, account_id = $4, stage_fields = $5,
                     version = version + 1, updated_at = now()
               WHERE id = $1
              RETURNING *)""" + FROM_UPDATED)
        .execute(Tuple.tuple().addUUID(id).addString(topic).addUUID(contactId).addUUID(accountId)
            .addValue(stageFieldsJson(stageFields)))
        .map(rows -> toLead(rows.iterator().next()));
  }

  /** Writes the values recorded on the lead's stage fields; the lead as it now is. */
  public Future<Lead> updateStageFields(SqlClient client, UUID id, Map<String, Map<String, Object>> stageFields) {
    return client.preparedQuery("""
            WITH l AS (
              UPDATE leads SET stage_fields = $2, version = version + 1, updated_at = now()
               WHERE id = $1
              RETURNING *)""" + FROM_UPDATED)
        .execute(Tuple.tuple().addUUID(id).addValue(stageFieldsJson(stageFields)))
        .map(rows -> toLead(rows.iterator().next()));
  }

  /** Moves the lead onto another process version, in the state switching gave it; the lead as it now is. */
  public Future<Lead> updateProcess(SqlClient client, UUID id, ProcessVersion process, LeadState state) {
    return client.preparedQuery("""
            WITH l AS (
              UPDATE leads SET process_id = $2, process_version = $3, stage = $4, telemarketing_ready = $5,
                     telemarketing_accepted = $6, sales_ready = $7, sales_accepted = $8, owner_id = $9,
                     version = version + 1, updated_at = now()
               WHERE id = $1
              RETURNING *)""" + FROM_UPDATED)
        .execute(Tuple.tuple().addUUID(id).addString(process.processId()).addInteger(process.version())
            .addString(state.stage()).addBoolean(state.telemarketingReady()).addBoolean(state.telemarketingAccepted())
            .addBoolean(state.salesReady()).addBoolean(state.salesAccepted()).addString(state.ownerId()))
        .map(rows -> toLead(rows.iterator().next()));
  }

  private static JsonObject stageFieldsJson(Map<String, Map<String, Object>> stageFields) {
    if (stageFields.isEmpty()) {
      return null;
    }
    JsonObject json = new JsonObject();
    stageFields.forEach((stage, values) -> json.put(stage, new JsonObject(new java.util.LinkedHashMap<>(values))));
    return json;
  }

  private static Map<String, Map<String, Object>> stageFields(JsonObject json) {
    if (json == null) {
      return Map.of();
    }
    Map<String, Map<String, Object>> stages = new java.util.LinkedHashMap<>();
    for (String stage : json.fieldNames()) {
      stages.put(stage, json.getValue(stage) instanceof JsonObject values ? Rows.plainMap(values) : Map.of());
    }
    return stages;
  }

  /** Reads back the rows of a {@code WITH l AS (... RETURNING *)} in the shape {@link #toLead} takes. */
  private static final String FROM_UPDATED = " SELECT " + LEAD_COLUMNS + " FROM l LEFT JOIN opportunities o ON o.lead_id = l.id";

  /**
   * The orders a list can be read in. Each is total (the lead id breaks ties), so a cursor naming the last lead's
   * position continues exactly after it, whatever was written meanwhile. A new order adds a constant here: its
   * ORDER BY, the condition "after a position" and which parts of {@link Position} it uses.
   */
  public enum Sort {
    /** Oldest first: the queues' first-come, first-served order (the default). */
    CREATED("l.created_at, l.id"),
    /** Newest first. */
    NEWEST("l.created_at DESC, l.id DESC"),
    /** Best score first, unscored last. */
    SCORE(SCORE_KEY + " DESC, l.id"),
    /** Best grade first in its model's grade order (the top band first), then best score; ungraded last. */
    GRADE(GRADE_KEY + ", " + SCORE_KEY + " DESC, l.id"),
    /** Follow-up time, soonest first; leads without a follow-up last (the default of {@code view=due}). */
    DUE("l.follow_up_at NULLS LAST, l.id");

    private final String orderBy;

    Sort(String orderBy) {
      this.orderBy = orderBy;
    }

    /**
     * The condition "after {@code position}", its values from parameter {@code first} on (how many:
     * {@link #parameters}).
     */
    String after(int first, Position position) {
      return switch (this) {
        case CREATED -> "(l.created_at, l.id) > ($" + first + ", $" + (first + 1) + ")";
        case NEWEST -> "(l.created_at, l.id) < ($" + first + ", $" + (first + 1) + ")";
        case SCORE -> "(" + SCORE_KEY + " < $" + first + " OR (" + SCORE_KEY + " = $" + first + " AND l.id > $"
            + (first + 1) + "))";
        case GRADE -> "(" + GRADE_KEY + " > $" + first + " OR (" + GRADE_KEY + " = $" + first + " AND ("
            + SCORE_KEY + " < $" + (first + 1) + " OR (" + SCORE_KEY + " = $" + (first + 1) + " AND l.id > $"
            + (first + 2) + "))))";
        // Two shapes rather than one with a NULL test: a page without a follow-up time skips all that have one.
        case DUE -> position.followUp() != null
            ? "((l.follow_up_at, l.id) > ($" + first + ", $" + (first + 1) + ") OR l.follow_up_at IS NULL)"
            : "(l.follow_up_at IS NULL AND l.id > $" + first + ")";
      };
    }

    int parameters(Position position) {
      return switch (this) {
        case GRADE -> 3;
        case DUE -> position.followUp() != null ? 2 : 1;
        default -> 2;
      };
    }

    void addPosition(Tuple params, Position p) {
      switch (this) {
        case CREATED, NEWEST -> params.addOffsetDateTime(p.created().atOffset(ZoneOffset.UTC));
        case SCORE -> params.addInteger(p.score());
        case GRADE -> params.addInteger(p.gradeRank()).addInteger(p.score());
        case DUE -> {
          if (p.followUp() != null) {
            params.addOffsetDateTime(p.followUp().atOffset(ZoneOffset.UTC));
          }
        }
      }
      params.addUUID(p.id());
    }

    Position positionOf(Row row) {
      Instant created = Rows.instant(row, "created_at");
      return switch (this) {
        case CREATED, NEWEST -> new Position(created, 0, 0, row.getUUID("id"), null);
        case SCORE -> new Position(null, row.getInteger("sort_score"), 0, row.getUUID("id"), null);
        case GRADE -> new Position(null, row.getInteger("sort_score"), row.getInteger("sort_grade"), row.getUUID("id"),
            null);
        case DUE -> new Position(null, 0, 0, row.getUUID("id"), Rows.instant(row, "follow_up_at"));
      };
    }
  }

  /**
   * Where a lead stands in a {@link Sort}: creation time for the time orders, the score key for
   * {@code SCORE}, the grade and score keys for {@code GRADE} (see {@link #SCORE_KEY}, {@link #GRADE_KEY}),
   * the follow-up time (null: none) for {@code DUE}; the parts an order does not use are ignored.
   */
  public record Position(Instant created, int score, int gradeRank, UUID id, Instant followUp) {
  }

  /**
   * What a list view shows: the view, optionally only leads in {@code stage}, of best grade {@code grade}
   * and matching {@code search}, in {@code sort} order, from after {@code after} (null: the first page).
   */
  public record ListQuery(View view, String stage, String grade, Sort sort, SearchQuery search, Position after,
      int limit, UUID caller, UUID account, UUID contact, String process) {

    public ListQuery {
      sort = sort == null ? Sort.CREATED : sort;
    }

    public ListQuery(View view, String stage, String grade, Sort sort, SearchQuery search, Position after, int limit,
        UUID caller) {
      this(view, stage, grade, sort, search, after, limit, caller, null, null, null);
    }
  }

  /** Leads without a score sort last when sorting by score: as if scored the lowest integer. */
  static final String SCORE_KEY = "coalesce(l.score, -2147483648)";
  /** Leads without a grade sort last when sorting by grade (0 is the best band). */
  static final String GRADE_KEY = "coalesce(l.grade_rank, 2147483647)";

  /** One page of a list view. */
  public Future<Page> list(SqlClient client, ListQuery query) {
    Tuple params = Tuple.tuple();
    if (query.view().byCaller()) {
      params.addUUID(query.caller());
    }
    if (query.stage() != null) {
      params.addString(query.stage());
    }
    if (query.grade() != null) {
      params.addString(query.grade());
    }
    if (query.account() != null) {
      params.addUUID(query.account());
    }
    if (query.contact() != null) {
      params.addUUID(query.contact());
    }
    if (query.process() != null) {
      params.addString(query.process());
    }
    if (query.search() != null) {
      query.search().words().forEach(word -> params.addString(SearchQuery.likeLiteral(word)));
    }
    if (query.after() != null) {
      query.sort().addPosition(params, query.after());
    }
    params.addInteger(query.limit() + 1);
    String sql = viewQuery(query.view(), query.stage() != null, query.grade() != null, query.account() != null,
        query.contact() != null, query.process() != null, query.sort(), query.search(), query.after());
    return client.preparedQuery(sql).execute(params).map(rows -> {
      List<Lead> leads = new ArrayList<>();
      List<Position> positions = new ArrayList<>();
      rows.forEach(row -> {
        leads.add(toLead(row));
        positions.add(query.sort().positionOf(row));
      });
      boolean more = leads.size() > query.limit();
      List<Lead> page = more ? leads.subList(0, query.limit()) : leads;
      return new Page(page, page.isEmpty() ? null : positions.get(page.size() - 1), more);
    });
  }

  /** The SQL of one view page by creation; parameters in order: stage?, cursor time and id?, limit. */
  static String viewQuery(View view, boolean byStage, boolean afterCursor) {
    return viewQuery(view, byStage, false, Sort.CREATED, null, afterCursor ? SOME_POSITION : null);
  }

  static String viewQuery(View view, boolean byStage, boolean byGrade, boolean byScore, boolean afterCursor) {
    return viewQuery(view, byStage, byGrade, byScore ? Sort.SCORE : Sort.CREATED, null,
        afterCursor ? SOME_POSITION : null);
  }

  /** A position for tests that read a later page's plan. */
  static final Position SOME_POSITION = new Position(Instant.EPOCH, 0, 0, new UUID(0, 0), Instant.EPOCH);

  /**
   * The SQL of one view page; parameters in order: caller?, stage?, grade?, the search words (as
   * {@link SearchQuery#likeLiteral}) if searching, the cursor's position (as the sort takes it) and id?, limit.
   *
   * <p>A search finds its candidates through the trigram indexes with its longest word (leads whose contact,
   * account or, without a contact, submitted fields match), then keeps the leads whose whole text (contact or
   * submitted fields, and account: the lead's own, else the contact's) matches every word.
   */
  static String viewQuery(View view, boolean byStage, boolean byGrade, Sort sort, SearchQuery search,
      Position after) {
    return viewQuery(view, byStage, byGrade, false, false, false, sort, search, after);
  }

  /**
   * As above, optionally only the leads of an account ({@code byAccount}: its own account is it, or, with no
   * account of its own, its contact's is: the rule search uses) or of a contact ({@code byContact}); their ids
   * come after grade's, before the search words. Each reads leads_account, contacts_account or leads_contact.
   * {@code byProcess}: only the leads running on one process (its id after the contact's).
   */
  static String viewQuery(View view, boolean byStage, boolean byGrade, boolean byAccount, boolean byContact,
      boolean byProcess, Sort sort, SearchQuery search, Position after) {
    StringBuilder sql = new StringBuilder("SELECT " + LEAD_COLUMNS + ", " + SCORE_KEY + " AS sort_score, " + GRADE_KEY
        + " AS sort_grade FROM leads l LEFT JOIN opportunities o ON o.lead_id = l.id");
    if (search != null) {
      sql.append(" LEFT JOIN contacts sc ON sc.id = l.contact_id LEFT JOIN accounts sa ON sa.id = coalesce(l.account_id, sc.account_id)");
    }
    sql.append(" WHERE ").append(view.condition);
    int parameter = view.byCaller ? 1 : 0;
    if (byStage) {
      sql.append(" AND l.stage = $").append(++parameter);
    }
    if (byGrade) {
      sql.append(" AND l.grade = $").append(++parameter);
    }
    if (byAccount) {
      String account = "$" + ++parameter;
      sql.append(" AND (l.account_id = ").append(account).append(" OR (l.account_id IS NULL AND l.contact_id IN")
          .append(" (SELECT ac.id FROM contacts ac WHERE ac.account_id = ").append(account).append(")))");
    }
    if (byContact) {
      sql.append(" AND l.contact_id = $").append(++parameter);
    }
    if (byProcess) {
      sql.append(" AND l.process_id = $").append(++parameter);
    }
    if (search != null) {
      int firstWord = parameter + 1;
      String leading = "$" + (firstWord + search.words().indexOf(search.leadingWord()));
      sql.append(" AND l.id IN (SELECT x.id FROM leads x WHERE x.contact_id IN (SELECT c.id FROM contacts c WHERE ")
          .append(SearchSql.matches(SearchSql.contactText("c"), leading)).append(")")
          .append(" UNION SELECT x.id FROM leads x WHERE x.account_id IN (SELECT a.id FROM accounts a WHERE ")
          .append(SearchSql.matches(SearchSql.accountText("a"), leading)).append(")")
          .append(" UNION SELECT x.id FROM leads x WHERE x.account_id IS NULL AND x.contact_id IN (SELECT c.id FROM contacts c")
          .append(" WHERE c.account_id IN (SELECT a.id FROM accounts a WHERE ")
          .append(SearchSql.matches(SearchSql.accountText("a"), leading)).append("))")
          .append(" UNION SELECT x.id FROM leads x WHERE x.contact_id IS NULL AND ")
          .append(SearchSql.matches(SearchSql.submittedText("x"), leading)).append(")");
      String whole = "(CASE WHEN l.contact_id IS NULL THEN " + SearchSql.submittedText("l")
          + " ELSE " + SearchSql.contactText("sc") + " END || coalesce("
          + SearchSql.accountText("sa") + ", ''))";
      for (int i = 0; i < search.words().size(); i++) {
        sql.append(" AND ").append(SearchSql.matches(whole, "$" + ++parameter));
      }
    }
    if (after != null) {
      sql.append(" AND ").append(sort.after(parameter + 1, after));
      parameter += sort.parameters(after);
    }
    sql.append(" ORDER BY ").append(sort.orderBy);
    return sql.append(" LIMIT $").append(++parameter).toString();
  }



  /**
   * Records an activity on the lead: its last activity, and its open follow-up as the activity leaves it
   * ({@code followUp}, null for none). A new follow-up is announced afresh when it comes due. The caller holds
   * the lead's row lock. Returns the lead as it now is.
   */
  public Future<Lead> recordActivity(SqlClient client, UUID id, Activity.Logged activity, Activity.FollowUp followUp) {
    return client.preparedQuery("""
            WITH l AS (
              UPDATE leads SET last_activity_kind = $2, last_activity_outcome = $3, last_activity_at = $4,
                     last_activity_actor = $5, follow_up_at = $6, follow_up_user_id = $7, follow_up_user_name = $8,
                     follow_up_due_notified_at = CASE WHEN follow_up_activity_id IS NOT DISTINCT FROM $9
                                                      THEN follow_up_due_notified_at END,
                     follow_up_activity_id = $9, version = version + 1, updated_at = now()
               WHERE id = $1
              RETURNING *)""" + FROM_UPDATED)
        .execute(Tuple.tuple().addUUID(id).addString(activity.kind().wireName())
            .addString(activity.outcome() == null ? null : activity.outcome().wireName())
            .addOffsetDateTime(activity.at().atOffset(ZoneOffset.UTC)).addString(activity.actor())
            .addOffsetDateTime(followUp == null ? null : followUp.at().atOffset(ZoneOffset.UTC))
            .addUUID(followUp == null ? null : followUp.userId())
            .addString(followUp == null ? null : followUp.userName())
            .addUUID(followUp == null ? null : followUp.activityId()))
        .map(rows -> toLead(rows.iterator().next()));
  }

  /** A follow-up whose time came, claimed for its one announcement: the lead, and the activity that set it. */
  public record DueFollowUp(Lead lead, Activity.Logged activity) {
  }

  /**
   * Claims up to {@code limit} follow-ups whose time has come and that were not yet announced, soonest first,
   * marking them announced: one statement, so of two runs at once each claims a follow-up at most once (rows
   * another transaction holds are skipped, the next run takes them).
   */
  public Future<List<DueFollowUp>> claimDueFollowUps(SqlClient client, int limit) {
    return client.preparedQuery("""
            WITH l AS (
              UPDATE leads SET follow_up_due_notified_at = now()
               WHERE id IN (SELECT id FROM leads
                             WHERE follow_up_due_notified_at IS NULL AND follow_up_at <= now() AND status = 'open'
                             ORDER BY follow_up_at LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED)
                 AND follow_up_due_notified_at IS NULL
              RETURNING *)""" + " SELECT " + LEAD_COLUMNS + ", " + """
                   a.id AS a_id, a.kind AS a_kind, a.outcome AS a_outcome, a.note AS a_note,
                   a.follow_up_at AS a_follow_up_at, a.actor_user_id AS a_actor_user_id, a.actor_name AS a_actor_name,
                   a.created_at AS a_created_at
              FROM l LEFT JOIN opportunities o ON o.lead_id = l.id
                     LEFT JOIN lead_activities a ON a.id = l.follow_up_activity_id
             ORDER BY l.follow_up_at, l.id""")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<DueFollowUp> due = new ArrayList<>();
          rows.forEach(row -> {
            Lead lead = toLead(row);
            Activity.Logged activity = row.getUUID("a_id") == null ? null : new Activity.Logged(row.getUUID("a_id"),
                lead.id(), Activity.Kind.fromWireName(row.getString("a_kind")).orElseThrow(),
                outcome(row.getString("a_outcome")), row.getString("a_note"), Rows.instant(row, "a_follow_up_at"),
                row.getUUID("a_actor_user_id"), row.getString("a_actor_name"), Rows.instant(row, "a_created_at"));
            due.add(new DueFollowUp(lead, activity));
          });
          return due;
        });
  }

  private static Lead toLead(Row row) {
    JsonObject details = row.getJsonObject("context_details");
    return new Lead(
        row.getUUID("id"),
        row.getString("topic"),
        row.getUUID("contact_id"),
        row.getUUID("account_id"),
        new MarketingContext(row.getString("context_kind"), row.getString("context_id"), row.getString("context_name"),
            row.getString("context_tile_id"), details == null ? null : details.getMap()),
        new LeadState(row.getString("stage"), LeadStatus.fromWireName(row.getString("status")).orElseThrow(),
            row.getBoolean("telemarketing_ready"), row.getBoolean("telemarketing_accepted"),
            row.getBoolean("sales_ready"), row.getBoolean("sales_accepted"), row.getString("owner_id")),
        row.getString("process_id"),
        row.getInteger("process_version"),
        stageFields(row.getJsonObject("stage_fields")),
        row.getString("disqualification_reason"),
        row.getUUID("opportunity_id"),
        row.getInteger("score"),
        row.getString("grade"),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"),
        row.getUUID("owner_user_id") == null ? null
            : new Lead.Owner(row.getUUID("owner_user_id"), row.getString("owner_name")),
        row.getString("last_activity_kind") == null ? null : new Activity.Last(
            Activity.Kind.fromWireName(row.getString("last_activity_kind")).orElseThrow(),
            outcome(row.getString("last_activity_outcome")), Rows.instant(row, "last_activity_at"),
            row.getString("last_activity_actor")),
        row.getValue("follow_up_at") == null ? null : new Activity.FollowUp(Rows.instant(row, "follow_up_at"),
            row.getUUID("follow_up_user_id"), row.getString("follow_up_user_name"), row.getUUID("follow_up_activity_id")));
  }

  static Activity.Outcome outcome(String wireName) {
    return wireName == null ? null : Activity.Outcome.fromWireName(wireName).orElseThrow();
  }

  /**
   * Sets (or, with a null owner, clears) the user who works the lead and returns the lead as it now is.
   * The caller holds the lead's row lock.
   */
  /** The enabled user {@code userId} as a lead's owner, or null when there is none (a caller the users table does not know). */
  public Future<Lead.Owner> enabledUserAsOwner(SqlClient client, UUID userId) {
    return client.preparedQuery("SELECT id, name FROM users WHERE id = $1 AND disabled_at IS NULL")
        .execute(Tuple.of(userId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Lead.Owner(row.getUUID("id"), row.getString("name"));
        });
  }

  /** Which of these user ids are users of Leadcycle (enabled or not). */
  public Future<java.util.Set<UUID>> existingUsers(SqlClient client, List<UUID> ids) {
    return client.preparedQuery("SELECT id FROM users WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          java.util.Set<UUID> found = new java.util.HashSet<>();
          rows.forEach(row -> found.add(row.getUUID("id")));
          return found;
        });
  }

  public Future<Lead> updateOwner(SqlClient client, UUID id, Lead.Owner owner) {
    return client.preparedQuery("""
            WITH l AS (
              UPDATE leads SET owner_user_id = $2, owner_name = $3, version = version + 1, updated_at = now()
               WHERE id = $1
              RETURNING *)""" + FROM_UPDATED)
        .execute(Tuple.tuple().addUUID(id).addUUID(owner == null ? null : owner.id())
            .addString(owner == null ? null : owner.name()))
        .map(rows -> toLead(rows.iterator().next()));
  }
}
