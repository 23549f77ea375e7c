package io.leadcycle.store;

import io.leadcycle.domain.Account;
import io.leadcycle.domain.AccountDetails;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Accounts: the companies contacts and leads belong to. */
public final class AccountStore {

  private static final String COLUMNS =
      "id, name, domain, industry, employee_count, annual_revenue, country, created_at, updated_at";

  public Future<Account> create(SqlClient client, AccountDetails d) {
    return client.preparedQuery("""
            INSERT INTO accounts (name, domain, industry, employee_count, annual_revenue, country)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING """ + " " + COLUMNS)
        .execute(Tuple.tuple().addString(d.name()).addString(d.domain()).addString(d.industry())
            .addInteger(d.employeeCount()).addBigDecimal(d.annualRevenue()).addString(d.country()))
        .map(rows -> toAccount(rows.iterator().next()));
  }

  public Future<Account> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toAccount(rows.iterator().next()));
  }

  public Future<Boolean> exists(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT 1 FROM accounts WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.size() > 0);
  }

  private static Account toAccount(Row row) {
    return new Account(row.getUUID("id"),
        new AccountDetails(row.getString("name"), row.getString("domain"), row.getString("industry"),
            row.getInteger("employee_count"), row.getBigDecimal("annual_revenue"), row.getString("country")),
        Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
  }
}
