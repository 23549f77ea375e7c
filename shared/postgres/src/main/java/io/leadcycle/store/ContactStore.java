package io.leadcycle.store;

import io.leadcycle.domain.ConsentChange;
import io.leadcycle.domain.ConsentSource;
import io.leadcycle.domain.Contact;
import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.Normalize;
import io.leadcycle.domain.SearchQuery;
import java.time.Instant;
import java.time.ZoneOffset;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Contacts: the people every marketing activity targets. */
public final class ContactStore {

  /** A contact found by a matching strategy, locked for the rest of the transaction. */
  public record MatchedContact(UUID id, UUID accountId, ContactDetails details, Map<String, Object> consent) {
  }

  private static final String COLUMNS = """
      id, account_id, email, first_name, last_name, phone, company_name, job_title, country, attributes, consent,
      created_at, updated_at""";

  /** A contact's open leads, oldest first, read in the same statement as the contact. */
  private static final String OPEN_LEAD_IDS = """
      coalesce((SELECT array_agg(l.id ORDER BY l.created_at, l.id) FROM leads l
                 WHERE l.contact_id = c.id AND l.status = 'open'), '{}') AS open_lead_ids""";

  /** The oldest contact whose normalized fields equal the key (several can exist under other strategies). */
  public Future<MatchedContact> findMatch(SqlClient client, MatchKey key) {
    return findMatch(client, key, null);
  }

  /** As {@link #findMatch(SqlClient, MatchKey)}, ignoring the contact {@code except} (the one being edited). */
  public Future<MatchedContact> findMatch(SqlClient client, MatchKey key, UUID except) {
    Tuple params = MatchColumns.values(Tuple.tuple(), key);
    String sql = "SELECT " + COLUMNS + " FROM contacts c WHERE " + MatchColumns.where(key, "c", "l", 1);
    if (except != null) {
      params.addUUID(except);
      sql += " AND c.id <> $" + params.size();
    }
    sql += " ORDER BY c.created_at, c.id LIMIT 1 FOR NO KEY UPDATE";
    return client.preparedQuery(sql).execute(params)
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new MatchedContact(row.getUUID("id"), row.getUUID("account_id"), details(row), consent(row));
        });
  }

  public Future<UUID> insert(SqlClient client, ContactDetails details, Map<String, Object> consent) {
    return insert(client, details, consent, null);
  }

  public Future<UUID> insert(SqlClient client, ContactDetails details, Map<String, Object> consent, UUID accountId) {
    return insert(client, UUID.randomUUID(), details, consent, accountId);
  }

  /** Inserts with an id chosen by the caller, so that later statements can be sent without waiting. */
  public Future<UUID> insert(SqlClient client, UUID id, ContactDetails details, Map<String, Object> consent,
      UUID accountId) {
    return insert(client, id, details, consent, accountId, null);
  }

  /**
   * As {@link #insert(SqlClient, UUID, ContactDetails, Map, UUID)}; the consent's purposes go into the consent
   * history, from {@code source}, in the same statement (so intake sends no statement more for it).
   */
  public Future<UUID> insert(SqlClient client, UUID id, ContactDetails details, Map<String, Object> consent,
      UUID accountId, ConsentSource source) {
    String insert = """
        INSERT INTO contacts (email, first_name, last_name, phone, company_name, job_title, country, attributes,
                              consent, email_norm, first_name_norm, last_name_norm, phone_norm, company_name_norm,
                              account_id, id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)""";
    Tuple params = withNormalized(fieldValues(details).addValue(Rows.json(consent)), details).addUUID(accountId)
        .addUUID(id);
    String sql = insert;
    if (consent != null) {
      sql = "WITH contact AS (" + insert + " RETURNING id)\n" + HISTORY_INSERT
          + " SELECT contact.id, e.key, e.value, $17, $18, $19, $20 FROM contact, jsonb_each($9::jsonb) e";
      addSource(params, source);
    }
    return client.preparedQuery(sql).execute(params).map(rows -> id);
  }

  /** Replaces the stored fields with {@code details} (already merged by the caller); consent merges in. */
  public Future<Void> update(SqlClient client, UUID id, ContactDetails details, Map<String, Object> consent) {
    return update(client, id, details, consent, null);
  }

  /**
   * As {@link #update(SqlClient, UUID, ContactDetails, Map)}; each purpose whose value the merge changes goes into
   * the consent history, from {@code source}, in the same statement. The caller holds the row's lock (intake's
   * {@link #findMatch} or {@link #lock} took it), so the value the statement reads before its update is the one the
   * merge changes, and the history records exactly that change.
   */
  public Future<Void> update(SqlClient client, UUID id, ContactDetails details, Map<String, Object> consent,
      ConsentSource source) {
    String update = """
        UPDATE contacts SET email = $1, first_name = $2, last_name = $3, phone = $4, company_name = $5,
               job_title = $6, country = $7, attributes = $8,
               consent = CASE WHEN $9::jsonb IS NULL THEN consent ELSE coalesce(consent, '{}'::jsonb) || $9::jsonb END,
               email_norm = $10, first_name_norm = $11, last_name_norm = $12, phone_norm = $13,
               company_name_norm = $14, updated_at = now()
         WHERE id = $15""";
    Tuple params = withNormalized(fieldValues(details).addValue(Rows.json(consent)), details).addUUID(id);
    String sql = update;
    if (consent != null) {
      // Every part of the statement reads its snapshot: before sees the consent as it was, whenever it runs.
      sql = "WITH before AS (SELECT consent FROM contacts WHERE id = $15),\n"
          + "     contact AS (" + update + " RETURNING id)\n" + HISTORY_INSERT
          + " SELECT contact.id, e.key, e.value, $16, $17, $18, $19 FROM contact, before, jsonb_each($9::jsonb) e"
          + " WHERE (before.consent -> e.key) IS DISTINCT FROM e.value";
      addSource(params, source);
    }
    return client.preparedQuery(sql).execute(params).mapEmpty();
  }

  private static final String HISTORY_INSERT = """
      INSERT INTO contact_consent_history (contact_id, purpose, value, source_kind, source_id, submission_id, actor)""";

  /** Every consent written says where it came from: the history is the proof of it. */
  private static void addSource(Tuple params, ConsentSource source) {
    if (source == null) {
      throw new IllegalArgumentException("consent is written with its source, for the consent history");
    }
    params.addString(source.kind()).addString(source.id()).addString(source.submissionId()).addString(source.actor());
  }

  /** A contact's consent history, newest first. */
  public Future<List<ConsentChange>> consentHistory(SqlClient client, UUID contactId) {
    return client.preparedQuery("""
            SELECT id, purpose, value, source_kind, source_id, submission_id, actor, at
              FROM contact_consent_history WHERE contact_id = $1 ORDER BY id DESC""")
        .execute(Tuple.of(contactId))
        .map(rows -> {
          List<ConsentChange> history = new ArrayList<>();
          rows.forEach(row -> history.add(new ConsentChange(row.getLong("id"), row.getString("purpose"),
              Rows.plainValue(row.getValue("value")),
              new ConsentSource(row.getString("source_kind"), row.getString("source_id"),
                  row.getString("submission_id"), row.getString("actor")),
              row.getOffsetDateTime("at").toInstant())));
          return history;
        });
  }

  public Future<Void> setAccount(SqlClient client, UUID id, UUID accountId) {
    return client.preparedQuery("UPDATE contacts SET account_id = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, accountId))
        .mapEmpty();
  }

  /** The contact's details, its row locked for the rest of the transaction; null when it does not exist. */
  public Future<MatchedContact> lock(SqlClient client, UUID id) {
    return details(client, id, " FOR NO KEY UPDATE");
  }

  /**
   * The contact's details, its row kept from deletion (and from changes of its id) for the rest of the
   * transaction, while intake may still update it; null when it does not exist.
   */
  public Future<MatchedContact> share(SqlClient client, UUID id) {
    return details(client, id, " FOR KEY SHARE");
  }

  /** The contact's details without a lock; null when it does not exist. */
  public Future<MatchedContact> read(SqlClient client, UUID id) {
    return details(client, id, "");
  }

  private Future<MatchedContact> details(SqlClient client, UUID id, String lockClause) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM contacts WHERE id = $1" + lockClause).execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new MatchedContact(row.getUUID("id"), row.getUUID("account_id"), details(row), consent(row));
        });
  }

  public Future<Boolean> exists(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT 1 FROM contacts WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.size() > 0);
  }

  /** The contact with its open lead ids, or null. */
  public Future<Contact> findById(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + ", " + OPEN_LEAD_IDS + " FROM contacts c WHERE c.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toContact(rows.iterator().next()));
  }

  /** Contacts whose normalized email equals {@code email}'s, oldest first, each with its open lead ids. */
  public Future<List<Contact>> findByEmail(SqlClient client, String email) {
    return client.preparedQuery("SELECT " + COLUMNS + ", " + OPEN_LEAD_IDS
            + " FROM contacts c WHERE c.email_norm = $1 ORDER BY c.created_at, c.id LIMIT 100")
        .execute(Tuple.of(Normalize.email(email)))
        .map(rows -> {
          List<Contact> contacts = new ArrayList<>();
          rows.forEach(row -> contacts.add(toContact(row)));
          return contacts;
        });
  }

  /**
   * The contacts of {@code ids} that exist, each with its open lead ids, in the order of {@code ids}: one
   * statement for a page of leads' contacts.
   */
  public Future<List<Contact>> findAll(SqlClient client, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return client.preparedQuery("SELECT " + COLUMNS + ", " + OPEN_LEAD_IDS
            + " FROM contacts c WHERE c.id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], c.id)")
        .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
        .map(rows -> {
          List<Contact> contacts = new ArrayList<>();
          rows.forEach(row -> contacts.add(toContact(row)));
          return contacts;
        });
  }

  /** A page of contacts, newest first; {@code more} when another page follows. */
  public record Page<T>(List<T> items, boolean more) {
  }

  private static final String QUALIFIED_COLUMNS = """
      c.id, c.account_id, c.email, c.first_name, c.last_name, c.phone, c.company_name, c.job_title, c.country,
      c.attributes, c.consent, c.created_at, c.updated_at""";

  /**
   * Contacts newest first, each with its open lead ids; only those matching {@code search} (by their own
   * words or their account's) and of {@code account} (contacts_account) when given; from after
   * ({@code afterCreated}, {@code afterId}) when given.
   */
  public Future<Page<Contact>> list(SqlClient client, SearchQuery search, UUID account, Instant afterCreated,
      UUID afterId, int limit) {
    Tuple params = Tuple.tuple();
    if (account != null) {
      params.addUUID(account);
    }
    if (search != null) {
      search.words().forEach(word -> params.addString(SearchQuery.likeLiteral(word)));
    }
    if (afterId != null) {
      params.addOffsetDateTime(afterCreated.atOffset(ZoneOffset.UTC)).addUUID(afterId);
    }
    params.addInteger(limit + 1);
    return client.preparedQuery(listQuery(search, account != null, afterId != null)).execute(params).map(rows -> {
      List<Contact> contacts = new ArrayList<>();
      rows.forEach(row -> contacts.add(toContact(row)));
      boolean more = contacts.size() > limit;
      return new Page<>(more ? contacts.subList(0, limit) : contacts, more);
    });
  }

  /**
   * The statement {@link #list} runs; parameters: the account's id if {@code byAccount}, the search words (LIKE
   * literals) if searching, the cursor's time and id?, the limit. The longest word finds the candidates through
   * the trigram indexes (the contact's words, or its account's); every word must then match the contact's words
   * or its account's.
   */
  static String listQuery(SearchQuery search, boolean byAccount, boolean afterCursor) {
    StringBuilder sql = new StringBuilder("SELECT " + QUALIFIED_COLUMNS + ", " + OPEN_LEAD_IDS + " FROM contacts c");
    int parameter = byAccount ? 1 : 0;
    if (search != null) {
      String leading = "$" + (parameter + 1 + search.words().indexOf(search.leadingWord()));
      sql.append(" LEFT JOIN accounts sa ON sa.id = c.account_id WHERE c.id IN (SELECT m.id FROM contacts m WHERE ")
          .append(SearchSql.matches(SearchSql.contactText("m"), leading))
          .append(" UNION SELECT m.id FROM contacts m WHERE m.account_id IN (SELECT a.id FROM accounts a WHERE ")
          .append(SearchSql.matches(SearchSql.accountText("a"), leading)).append("))");
      String whole = "(" + SearchSql.contactText("c") + " || coalesce(" + SearchSql.accountText("sa") + ", ''))";
      for (int i = 0; i < search.words().size(); i++) {
        sql.append(" AND ").append(SearchSql.matches(whole, "$" + ++parameter));
      }
    } else {
      sql.append(" WHERE TRUE");
    }
    if (byAccount) {
      sql.append(" AND c.account_id = $1");
    }
    if (afterCursor) {
      sql.append(" AND (c.created_at, c.id) < ($").append(++parameter).append(", $").append(++parameter).append(')');
    }
    return sql.append(" ORDER BY c.created_at DESC, c.id DESC LIMIT $").append(++parameter).toString();
  }

  /** Which of {@code ids} name a contact (one statement for a whole batch). */
  public Future<java.util.Set<UUID>> existing(SqlClient client, java.util.Collection<UUID> ids) {
    return client.preparedQuery("SELECT id FROM contacts WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          java.util.Set<UUID> found = new java.util.HashSet<>();
          rows.forEach(row -> found.add(row.getUUID("id")));
          return found;
        });
  }

  /**
   * The contact each normalized email names by the default contact strategy ({@code [email]}): the
   * oldest contact with that email, as matching picks it. Emails no contact has are absent.
   */
  public Future<Map<String, UUID>> oldestByEmail(SqlClient client, java.util.Collection<String> normalizedEmails) {
    return client.preparedQuery("""
            SELECT DISTINCT ON (email_norm) email_norm, id FROM contacts
             WHERE email_norm = ANY($1) ORDER BY email_norm, created_at, id""")
        .execute(Tuple.of(normalizedEmails.toArray(String[]::new)))
        .map(rows -> {
          Map<String, UUID> found = new java.util.HashMap<>();
          rows.forEach(row -> found.put(row.getString("email_norm"), row.getUUID("id")));
          return found;
        });
  }

  /** One contact of a batch write: its id, its fields (already merged), its account (null: none, or kept). */
  public record ContactWrite(UUID id, ContactDetails details, UUID accountId) {
  }

  /**
   * The oldest contact each key matches, as {@link #findMatch} picks it, by the key's position in
   * {@code keys} (absent: no match): one statement for a batch. Every key has {@code fields}, the
   * fields of one contact strategy.
   */
  public Future<Map<Integer, UUID>> matchAll(SqlClient client, List<MatchField> fields, List<MatchKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    StringBuilder arrays = new StringBuilder();
    StringBuilder names = new StringBuilder();
    StringBuilder where = new StringBuilder();
    Tuple params = Tuple.tuple();
    for (int f = 0; f < fields.size(); f++) {
      arrays.append(f == 0 ? "" : ", ").append('$').append(f + 1).append("::text[]");
      names.append("v").append(f).append(", ");
      where.append(f == 0 ? "" : " AND ").append(MatchColumns.column(fields.get(f), "c", "l")).append(" = k.v").append(f);
      int field = f;
      params.addArrayOfString(keys.stream().map(k -> k.values().get(field)).toArray(String[]::new));
    }
    return client.preparedQuery("SELECT k.n, m.id FROM unnest(" + arrays + ") WITH ORDINALITY AS k(" + names + "n)"
            + " CROSS JOIN LATERAL (SELECT c.id FROM contacts c WHERE " + where
            + " ORDER BY c.created_at, c.id LIMIT 1) m")
        .execute(params)
        .map(rows -> {
          Map<Integer, UUID> found = new java.util.HashMap<>();
          rows.forEach(row -> found.put(row.getLong("n").intValue() - 1, row.getUUID("id")));
          return found;
        });
  }

  /** These contacts as stored, their rows locked in id order (so two batches never deadlock on them). */
  public Future<Map<UUID, MatchedContact>> lockAll(SqlClient client, java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery("SELECT " + COLUMNS + " FROM contacts WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> {
          Map<UUID, MatchedContact> found = new java.util.HashMap<>();
          rows.forEach(row -> found.put(row.getUUID("id"),
              new MatchedContact(row.getUUID("id"), row.getUUID("account_id"), details(row), consent(row))));
          return found;
        });
  }

  /** Inserts a batch of new contacts in one statement. */
  public Future<Void> insertAll(SqlClient client, List<ContactWrite> contacts) {
    if (contacts.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO contacts (id, email, first_name, last_name, phone, company_name, job_title, country, attributes,
                                  email_norm, first_name_norm, last_name_norm, phone_norm, company_name_norm, account_id)
            SELECT id, email, first_name, last_name, phone, company_name, job_title, country, attributes::jsonb,
                   email_norm, first_name_norm, last_name_norm, phone_norm, company_name_norm, account_id
              FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::uuid[])
                AS c (id, email, first_name, last_name, phone, company_name, job_title, country, attributes,
                      email_norm, first_name_norm, last_name_norm, phone_norm, company_name_norm, account_id)""")
        .execute(columns(contacts))
        .mapEmpty();
  }

  /**
   * Replaces a batch of contacts' fields with their (merged) details, in one statement; a contact without
   * an account takes the one given, a contact with one keeps it.
   */
  public Future<Void> updateAll(SqlClient client, List<ContactWrite> contacts) {
    if (contacts.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            UPDATE contacts c SET email = u.email, first_name = u.first_name, last_name = u.last_name, phone = u.phone,
                   company_name = u.company_name, job_title = u.job_title, country = u.country,
                   attributes = u.attributes::jsonb, email_norm = u.email_norm, first_name_norm = u.first_name_norm,
                   last_name_norm = u.last_name_norm, phone_norm = u.phone_norm,
                   company_name_norm = u.company_name_norm, account_id = coalesce(c.account_id, u.account_id),
                   updated_at = now()
              FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::uuid[])
                AS u (id, email, first_name, last_name, phone, company_name, job_title, country, attributes,
                      email_norm, first_name_norm, last_name_norm, phone_norm, company_name_norm, account_id)
             WHERE c.id = u.id""")
        .execute(columns(contacts))
        .mapEmpty();
  }

  /** The arrays {@link #insertAll} and {@link #updateAll} unnest, one per column. */
  private static Tuple columns(List<ContactWrite> contacts) {
    int n = contacts.size();
    String[][] text = new String[13][n];
    UUID[] ids = new UUID[n];
    UUID[] accounts = new UUID[n];
    for (int i = 0; i < n; i++) {
      ContactWrite c = contacts.get(i);
      ContactDetails d = c.details();
      ids[i] = c.id();
      accounts[i] = c.accountId();
      String[] row = {d.email(), d.firstName(), d.lastName(), d.phone(), d.companyName(), d.jobTitle(), d.country(),
          new JsonObject(new java.util.LinkedHashMap<>(d.attributes())).encode(),
          MatchField.EMAIL.normalize(d.email()), MatchField.FIRST_NAME.normalize(d.firstName()),
          MatchField.LAST_NAME.normalize(d.lastName()), MatchField.PHONE.normalize(d.phone()),
          MatchField.COMPANY_NAME.normalize(d.companyName())};
      for (int column = 0; column < row.length; column++) {
        text[column][i] = row[column];
      }
    }
    Tuple tuple = Tuple.tuple().addArrayOfUUID(ids);
    for (String[] column : text) {
      tuple.addArrayOfString(column);
    }
    return tuple.addArrayOfUUID(accounts);
  }

  private static Contact toContact(Row row) {
    return new Contact(row.getUUID("id"), row.getUUID("account_id"), details(row), consent(row),
        List.of(row.getArrayOfUUIDs("open_lead_ids")), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
  }

  private static Map<String, Object> consent(Row row) {
    return row.getJsonObject("consent") == null ? null : row.getJsonObject("consent").getMap();
  }

  private static ContactDetails details(Row row) {
    return new ContactDetails(row.getString("email"), row.getString("first_name"), row.getString("last_name"),
        row.getString("phone"), row.getString("company_name"), row.getString("job_title"), row.getString("country"),
        Rows.stringMap(row.getJsonObject("attributes")));
  }

  private static Tuple fieldValues(ContactDetails d) {
    return Tuple.tuple()
        .addString(d.email()).addString(d.firstName()).addString(d.lastName()).addString(d.phone())
        .addString(d.companyName()).addString(d.jobTitle()).addString(d.country())
        .addValue(new JsonObject(new java.util.LinkedHashMap<>(d.attributes())));
  }

  private static Tuple withNormalized(Tuple tuple, ContactDetails d) {
    return tuple
        .addString(MatchField.EMAIL.normalize(d.email()))
        .addString(MatchField.FIRST_NAME.normalize(d.firstName()))
        .addString(MatchField.LAST_NAME.normalize(d.lastName()))
        .addString(MatchField.PHONE.normalize(d.phone()))
        .addString(MatchField.COMPANY_NAME.normalize(d.companyName()));
  }
}
