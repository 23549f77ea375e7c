package io.leadcycle.store;

import io.leadcycle.domain.AccountLinking;

import io.leadcycle.domain.Account;
import io.leadcycle.domain.AccountDetails;
import io.leadcycle.domain.AccountLinking.AccountKey;
import io.leadcycle.domain.Normalize;
import io.leadcycle.domain.SearchQuery;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Accounts: the companies contacts and leads belong to. */
public final class AccountStore {

  private static final String COLUMNS =
      "id, name, domain, industry, employee_count, annual_revenue, country, created_at, updated_at";

  private static final String INSERT = """
      INSERT INTO accounts (name, domain, industry, employee_count, annual_revenue, country, name_norm, domain_norm)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING""" + " " + COLUMNS;

  public Future<Account> create(SqlClient client, AccountDetails d) {
    return client.preparedQuery(INSERT)
        .execute(Tuple.tuple().addString(d.name()).addString(d.domain()).addString(d.industry())
            .addInteger(d.employeeCount()).addBigDecimal(d.annualRevenue()).addString(d.country())
            .addString(Normalize.text(d.name())).addString(Normalize.domain(d.domain())))
        .map(rows -> toAccount(rows.iterator().next()));
  }

  /**
   * The oldest account whose normalized domain or name (as the key says) equals the key's value; null
   * when none does. Callers hold the key's lock, so a match-then-create runs once per company.
   */
  public Future<UUID> findLinked(SqlClient client, AccountKey key) {
    String column = switch (key.matching()) {
      case DOMAIN -> "domain_norm";
      case COMPANY_NAME -> "name_norm";
      case OFF -> throw new IllegalArgumentException("account linking is off");
    };
    return client.preparedQuery("SELECT id FROM accounts WHERE " + column + " = $1 ORDER BY created_at, id LIMIT 1")
        .execute(Tuple.of(key.value()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  /** Creates the account a submission linked to but no account matched. */
  public Future<UUID> createLinked(SqlClient client, AccountKey key) {
    return create(client, new AccountDetails(key.newName(), key.newDomain(), null, null, null, null))
        .map(Account::id);
  }

  /**
   * The account each key links to (as {@link #findLinked}), by the key's lock name; absent when none.
   * One statement for a batch; callers hold the keys' locks.
   */
  public Future<Map<String, UUID>> findLinkedAll(SqlClient client, java.util.Collection<AccountKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<AccountKey> list = List.copyOf(keys);
    return client.preparedQuery("""
            SELECT k.n, a.id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k (matching, value, n)
            CROSS JOIN LATERAL (SELECT id FROM accounts
                                 WHERE CASE WHEN k.matching = 'domain' THEN domain_norm ELSE name_norm END = k.value
                                 ORDER BY created_at, id LIMIT 1) a""")
        .execute(Tuple.tuple()
            .addArrayOfString(list.stream().map(k -> k.matching().wireName()).toArray(String[]::new))
            .addArrayOfString(list.stream().map(AccountKey::value).toArray(String[]::new)))
        .map(rows -> {
          Map<String, UUID> found = new HashMap<>();
          rows.forEach(row -> found.put(list.get(row.getLong("n").intValue() - 1).lockName(), row.getUUID("id")));
          return found;
        });
  }

  /** Creates the accounts of {@code keys} (none matched them) in one statement; their ids by lock name. */
  public Future<Map<String, UUID>> createLinkedAll(SqlClient client, java.util.Collection<AccountKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Map<String, UUID> ids = new HashMap<>();
    keys.forEach(k -> ids.put(k.lockName(), UUID.randomUUID()));
    List<AccountKey> list = List.copyOf(keys);
    return client.preparedQuery("""
            INSERT INTO accounts (id, name, domain, name_norm, domain_norm)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])""")
        .execute(Tuple.tuple()
            .addArrayOfUUID(list.stream().map(k -> ids.get(k.lockName())).toArray(UUID[]::new))
            .addArrayOfString(list.stream().map(AccountKey::newName).toArray(String[]::new))
            .addArrayOfString(list.stream().map(AccountKey::newDomain).toArray(String[]::new))
            .addArrayOfString(list.stream().map(k -> Normalize.text(k.newName())).toArray(String[]::new))
            .addArrayOfString(list.stream().map(k -> Normalize.domain(k.newDomain())).toArray(String[]::new)))
        .map(rows -> ids);
  }

  public Future<Account> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toAccount(rows.iterator().next()));
  }

  /** The accounts of {@code ids} that exist, in the order of {@code ids}: one statement for a page of leads' accounts. */
  public Future<List<Account>> findAll(SqlClient client, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return client.preparedQuery("SELECT " + COLUMNS
            + " FROM accounts WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)")
        .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
        .map(rows -> {
          List<Account> accounts = new ArrayList<>();
          rows.forEach(row -> accounts.add(toAccount(row)));
          return accounts;
        });
  }

  public Future<Boolean> exists(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT 1 FROM accounts WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.size() > 0);
  }

  /**
   * Accounts newest first; only those whose name or domain has a word beginning with every word of
   * {@code search} when given; from after ({@code afterCreated}, {@code afterId}) when given.
   */
  public Future<ContactStore.Page<Account>> list(SqlClient client, SearchQuery search, Instant afterCreated,
      UUID afterId, int limit) {
    Tuple params = Tuple.tuple();
    if (search != null) {
      search.words().forEach(word -> params.addString(SearchQuery.likeLiteral(word)));
    }
    if (afterId != null) {
      params.addOffsetDateTime(afterCreated.atOffset(ZoneOffset.UTC)).addUUID(afterId);
    }
    params.addInteger(limit + 1);
    return client.preparedQuery(listQuery(search, afterId != null)).execute(params).map(rows -> {
      List<Account> accounts = new ArrayList<>();
      rows.forEach(row -> accounts.add(toAccount(row)));
      boolean more = accounts.size() > limit;
      return new ContactStore.Page<>(more ? accounts.subList(0, limit) : accounts, more);
    });
  }

  /** The statement {@link #list} runs; parameters: the search words if searching, the cursor's time and id?, the limit. */
  static String listQuery(SearchQuery search, boolean afterCursor) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM accounts a WHERE TRUE");
    int parameter = 0;
    if (search != null) {
      for (int i = 0; i < search.words().size(); i++) {
        sql.append(" AND ").append(SearchSql.matches(SearchSql.accountText("a"), "$" + ++parameter));
      }
    }
    if (afterCursor) {
      sql.append(" AND (a.created_at, a.id) < ($").append(++parameter).append(", $").append(++parameter).append(')');
    }
    return sql.append(" ORDER BY a.created_at DESC, a.id DESC LIMIT $").append(++parameter).toString();
  }

  private static Account toAccount(Row row) {
    return new Account(row.getUUID("id"),
        new AccountDetails(row.getString("name"), row.getString("domain"), row.getString("industry"),
            row.getInteger("employee_count"), row.getBigDecimal("annual_revenue"), row.getString("country")),
        Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
  }
}
