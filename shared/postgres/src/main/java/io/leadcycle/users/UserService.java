package io.leadcycle.users;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.UserInput;
import io.leadcycle.postgres.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Users and their tokens. A token is kept only as its SHA-256 hash: it is shown once, when made, and a
 * lookup hashes what a request sends. No admin can take the admin role from the last admin, nor from the
 * first start's user (whose token is the one the local server prints or LEADCYCLE_API_TOKEN names).
 */
public final class UserService {

  private static final String COLUMNS = "id, name, email, roles, first_start, source, created_at, disabled_at";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database database;

  public UserService(Database database) {
    this.database = database;
  }

  /** The hash a token is kept and looked up as: SHA-256, hex. */
  public static String tokenHash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** A new user with a new token (32 random bytes, base64url). */
  public Future<User.Created> create(UserInput input) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return database.inTransaction(conn -> conn.preparedQuery("INSERT INTO users (name, email, roles, token_hash)"
            + " VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS)
        .execute(Tuple.of(input.name(), input.email(), input.roles().toArray(new String[0]), tokenHash(token)))
        .map(rows -> new User.Created(first(rows), token)));
  }

  /** Every user who is not disabled, by name. */
  public Future<List<User>> list() {
    return database.read(conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE disabled_at IS NULL"
        + " ORDER BY lower(name), id").execute().map(UserService::all));
  }

  /** The user, disabled or not; 404 when there is none. */
  /** The user {@code id}, enabled or not; null when there is none. */
  public Future<User> find(UUID id) {
    return database.read(conn -> find(conn, id));
  }

  public Future<User> get(UUID id) {
    return database.read(conn -> find(conn, id)).map(user -> {
      if (user == null) {
        throw new NotFound("No user with id " + id + ".");
      }
      return user;
    });
  }

  /** The user a token belongs to, when it is theirs and they are not disabled; else null. */
  public Future<User> byToken(String token) {
    return database.read(conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM users"
            + " WHERE token_hash = $1 AND disabled_at IS NULL").execute(Tuple.of(tokenHash(token)))
        .map(UserService::first));
  }

  /** Changes name, email, roles: 409 when it would leave no admin, or take admin from the first start's user. */
  public Future<User> patch(UUID id, UserInput patch) {
    return database.inTransaction(conn -> lockedForAdminCheck(conn, id).compose(user -> {
      if (patch.roles() != null && user.roles().contains("admin") && !patch.roles().contains("admin")) {
        if (user.firstStart()) {
          throw new Conflict("The first start's user keeps the admin role: its token is the one the server was "
              + "started with. Give another user the role instead.");
        }
        return otherAdmins(conn, id).compose(others -> {
          if (others == 0) {
            throw new Conflict("This is the last admin: make another user an admin first.");
          }
          return update(conn, id, patch);
        });
      }
      return update(conn, id, patch);
    }));
  }

  /** Disables a user: their token stops working at once. 409 for the last admin or the first start's user. */
  public Future<User> disable(UUID id) {
    return database.inTransaction(conn -> lockedForAdminCheck(conn, id).compose(user -> {
      if (user.disabledAt() != null) {
        return Future.succeededFuture(user);
      }
      if (user.firstStart()) {
        throw new Conflict("The first start's user cannot be disabled: set another LEADCYCLE_API_TOKEN to replace "
            + "its token.");
      }
      Future<Long> others = user.roles().contains("admin") ? otherAdmins(conn, id) : Future.succeededFuture(1L);
      return others.compose(count -> {
        if (count == 0) {
          throw new Conflict("This is the last admin: make another user an admin first.");
        }
        return conn.preparedQuery("UPDATE users SET disabled_at = now(), updated_at = now(), token_hash = NULL"
            + " WHERE id = $1 RETURNING " + COLUMNS).execute(Tuple.of(id)).map(UserService::first);
      });
    }));
  }

  /**
   * The first start's user ("admin") holds {@code token}: made at the first start, its token replaced when the
   * server starts with another one (LEADCYCLE_API_TOKEN changed).
   */
  public Future<User> ensureFirstStart(String token) {
    return database.inTransaction(conn -> conn.preparedQuery("""
            INSERT INTO users (name, roles, token_hash, first_start) VALUES ('admin', '{admin}', $1, true)
            ON CONFLICT (first_start) WHERE first_start
            DO UPDATE SET token_hash = excluded.token_hash, disabled_at = NULL,
                          updated_at = CASE WHEN users.token_hash = excluded.token_hash THEN users.updated_at ELSE now() END
            RETURNING """ + " " + COLUMNS).execute(Tuple.of(tokenHash(token))).map(UserService::first));
  }

  /**
   * Records a user an identity provider vouched for (Cognito: its subject, a UUID), with their name, email and
   * roles as the token says, so that owner pickers list them. A subject that is no UUID is not recorded.
   */
  public Future<Void> recordSeen(String subject, String name, String email, List<String> roles) {
    UUID id;
    try {
      id = UUID.fromString(subject);
    } catch (IllegalArgumentException | NullPointerException notUuid) {
      return Future.succeededFuture();
    }
    return database.inTransaction(conn -> conn.preparedQuery("""
            INSERT INTO users (id, name, email, roles, source) VALUES ($1, $2, $3, $4, 'cognito')
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, roles = excluded.roles,
                                           updated_at = now()
             WHERE users.source = 'cognito'
               AND (users.name, users.email, users.roles) IS DISTINCT FROM (excluded.name, excluded.email, excluded.roles)""")
        .execute(Tuple.of(id, name, email, roles.toArray(new String[0]))).mapEmpty());
  }

  /** The user, locked; the whole table is locked against other admin changes so two cannot race past the check. */
  private static Future<User> lockedForAdminCheck(SqlClient conn, UUID id) {
    return conn.query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE").execute()
        .compose(locked -> find(conn, id))
        .map(user -> {
          if (user == null) {
            throw new NotFound("No user with id " + id + ".");
          }
          return user;
        });
  }

  private static Future<Long> otherAdmins(SqlClient conn, UUID id) {
    return conn.preparedQuery("SELECT count(*) FROM users WHERE id <> $1 AND disabled_at IS NULL AND 'admin' = ANY (roles)")
        .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getLong(0));
  }

  private static Future<User> update(SqlClient conn, UUID id, UserInput patch) {
    return conn.preparedQuery("""
            UPDATE users SET name = coalesce($2, name),
                             email = CASE WHEN $3 THEN $4 ELSE email END,
                             roles = coalesce($5::text[], roles),
                             updated_at = now()
             WHERE id = $1 RETURNING """ + " " + COLUMNS)
        .execute(Tuple.of(id, patch.name(), patch.changesEmail(), patch.email(),
            patch.roles() == null ? null : patch.roles().toArray(new String[0])))
        .map(UserService::first);
  }

  private static Future<User> find(SqlClient conn, UUID id) {
    return conn.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1").execute(Tuple.of(id))
        .map(UserService::first);
  }

  private static User first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : toUser(rows.iterator().next());
  }

  private static List<User> all(RowSet<Row> rows) {
    List<User> users = new ArrayList<>();
    rows.forEach(row -> users.add(toUser(row)));
    return users;
  }

  private static User toUser(Row row) {
    OffsetDateTime disabled = row.getOffsetDateTime("disabled_at");
    return new User(row.getUUID("id"), row.getString("name"), row.getString("email"),
        List.copyOf(Arrays.asList(row.getArrayOfStrings("roles"))), row.getBoolean("first_start"), row.getString("source"),
        row.getOffsetDateTime("created_at").toInstant(), disabled == null ? null : disabled.toInstant());
  }
}
