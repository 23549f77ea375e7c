package io.leadcycle.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the migration step does around the migrations, as the database owner: create the database when it
 * does not exist yet, give the functions' own login role exactly the rights they need, and put the
 * statement and lock timeouts on that role where connections cannot send them (behind RDS Proxy).
 * Plain JDBC; every statement that names a role or a database is built by PostgreSQL's {@code format()}
 * with {@code %I} / {@code %L}, so no name or password is ever spliced into SQL here.
 */
public final class DatabaseSetup {

  /** SQLSTATE of "database ... does not exist". */
  static final String INVALID_CATALOG_NAME = "3D000";
  /** SQLSTATE of "database ... already exists" (another migration created it a moment ago). */
  static final String DUPLICATE_DATABASE = "42P04";

  private DatabaseSetup() {
  }

  /**
   * Where a PostgreSQL server is and how to reach it; {@code ssl} is the JDBC URL's TLS parameters
   * ({@code sslmode=verify-full&sslfactory=...}, as {@code DatabaseSettings.jdbcSslParameters()} writes them).
   */
  public record Server(String host, int port, String ssl, String user, String password) {

    public String jdbcUrl(String database) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?" + ssl;
    }

    @Override
    public String toString() {
      return "Server[" + user + "@" + host + ":" + port + ", " + ssl + "]";
    }
  }

  /**
   * Creates {@code database} unless it exists, and answers whether it did. It first connects to the
   * database itself (a login that may not open the {@code postgres} maintenance database still works when
   * the database exists); only when PostgreSQL answers that it does not exist does it connect to
   * {@code postgres} and run {@code CREATE DATABASE} (the login needs CREATEDB, as an RDS or Aurora owner
   * has). {@code connectRetries} more tries, 1, 2, 4... seconds apart, for a server that does not answer yet.
   */
  public static boolean createDatabaseIfMissing(Server server, String database, int connectRetries) {
    try (Connection ignored = connect(server, database, connectRetries)) {
      return false;
    } catch (SQLException e) {
      if (!INVALID_CATALOG_NAME.equals(e.getSQLState())) {
        throw new IllegalStateException("cannot connect to database " + database + " on " + server + ": "
            + e.getMessage(), e);
      }
    }
    try (Connection maintenance = connect(server, "postgres", connectRetries)) {
      String create = format(maintenance, "SELECT format('CREATE DATABASE %I', ?::text)", database);
      try (Statement statement = maintenance.createStatement()) {
        statement.execute(create);
        return true;
      } catch (SQLException e) {
        if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
          return false;
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database + " on " + server + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Creates (or updates the password of) the functions' login role {@code role} and grants it what the
   * functions do: connect to {@code database}, use schema {@code public}, read and write the rows of its
   * tables and use its sequences, also of tables later migrations create; no DDL, no
   * {@code TRUNCATE}, and nothing on Flyway's history table. Run as the owner after the migrations.
   */
  public static void grantFunctionsRole(Server owner, String database, String role, String rolePassword) {
    try (Connection conn = connect(owner, database, 0); Statement statement = conn.createStatement()) {
      boolean exists;
      try (PreparedStatement query = conn.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
        query.setString(1, role);
        try (ResultSet rs = query.executeQuery()) {
          exists = rs.next();
        }
      }
      statement.execute(format(conn, exists
          ? "SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', ?::text, ?::text)"
          : "SELECT format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', ?::text, ?::text)",
          role, rolePassword));
      statement.execute(format(conn, "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', ?::text, ?::text)",
          database, role));
      statement.execute(format(conn, "SELECT format('GRANT USAGE ON SCHEMA public TO %I', ?::text)", role));
      statement.execute(format(conn,
          "SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', ?::text)", role));
      statement.execute(format(conn,
          "SELECT format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', ?::text)", role));
      statement.execute(format(conn, "SELECT format('ALTER DEFAULT PRIVILEGES IN SCHEMA public "
          + "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', ?::text)", role));
      statement.execute(format(conn, "SELECT format('ALTER DEFAULT PRIVILEGES IN SCHEMA public "
          + "GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I', ?::text)", role));
      // The migration history is the owner's alone.
      try (ResultSet rs = statement.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          statement.execute(format(conn, "SELECT format('REVOKE ALL ON public.flyway_schema_history FROM %I', ?::text)",
              role));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set up the functions' role " + role + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code statement_timeout} and {@code lock_timeout} (milliseconds, 0 = none) the defaults of
   * {@code role} ({@code null}: the login itself), so every session opened for it later has them: the way
   * they reach sessions behind RDS Proxy, which refuses them in the startup message.
   */
  public static void setRoleTimeouts(Server login, String database, String role, int statementMillis, int lockMillis) {
    try (Connection conn = connect(login, database, 0); Statement statement = conn.createStatement()) {
      String target = role == null ? login.user() : role;
      statement.execute(format(conn, "SELECT format('ALTER ROLE %I SET statement_timeout = %L', ?::text, ?::text)",
          target, statementMillis + "ms"));
      statement.execute(format(conn, "SELECT format('ALTER ROLE %I SET lock_timeout = %L', ?::text, ?::text)",
          target, lockMillis + "ms"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set the timeouts of role " + (role == null ? login.user() : role)
          + ": " + e.getMessage(), e);
    }
  }

  /** A statement PostgreSQL builds from {@code formatQuery} and its text arguments (quoting names and literals). */
  private static String format(Connection conn, String formatQuery, String... arguments) throws SQLException {
    try (PreparedStatement query = conn.prepareStatement(formatQuery)) {
      for (int i = 0; i < arguments.length; i++) {
        query.setString(i + 1, arguments[i]);
      }
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static Connection connect(Server server, String database, int connectRetries) throws SQLException {
    long waitMillis = 1_000;
    for (int attempt = 0; ; attempt++) {
      try {
        return DriverManager.getConnection(server.jdbcUrl(database), server.user(), server.password());
      } catch (SQLException e) {
        // Only a server that does not answer is worth waiting for; a refusal (no such database, bad login) is final.
        boolean unreachable = e.getSQLState() != null && e.getSQLState().startsWith("08");
        if (!unreachable || attempt >= connectRetries) {
          throw e;
        }
        try {
          Thread.sleep(waitMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        waitMillis *= 2;
      }
    }
  }
}
