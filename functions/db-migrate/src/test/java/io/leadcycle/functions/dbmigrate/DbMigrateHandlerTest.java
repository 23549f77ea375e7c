package io.leadcycle.functions.dbmigrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.leadcycle.postgres.DatabaseSettings;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deploy step against a real PostgreSQL and a loopback stand-in for CloudFormation's response URL. */
class DbMigrateHandlerTest {

  private HttpServer cloudFormation;
  private CompletableFuture<JsonObject> answer;
  private CompletableFuture<String> answerContentType;

  @BeforeEach
  void startResponseUrl() throws IOException {
    answer = new CompletableFuture<>();
    answerContentType = new CompletableFuture<>();
    cloudFormation = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    cloudFormation.createContext("/cloudformation-response", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        if (exchange.getRequestMethod().equals("PUT")) {
          answerContentType.complete(exchange.getRequestHeaders().getFirst("Content-Type"));
          answer.complete(new JsonObject(new String(body.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    cloudFormation.start();
  }

  @AfterEach
  void stop() {
    cloudFormation.stop(0);
  }

  private Map<String, Object> customResourceEvent(String requestType) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/events/cloudformation-create.json")) {
      JsonObject event = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      event.put("RequestType", requestType)
          .put("ResponseURL", "http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/cloudformation-response");
      return event.getMap();
    }
  }

  /** Without connect retries: an unreachable database fails at once instead of after Flyway's backoff. */
  private static DbMigrateHandler handler(DatabaseSettings settings) {
    return new DbMigrateHandler(() -> settings, HttpClient.newHttpClient(), 0);
  }

  @Test
  void aDirectInvocationMigratesAndSaysHowManyMigrationsRan() {
    Map<String, Object> result = handler(TestDatabase.settings(1)).handleRequest(Map.of(), null);

    // The test database is already at the newest version, so nothing is left to apply.
    assertThat(result).containsEntry("migrationsApplied", 0).containsEntry("databaseCreated", false);
    assertThat(TestDatabase.count("SELECT count(*) FROM flyway_schema_history WHERE success")).isPositive();
  }

  @Test
  void createMigratesAndAnswersCloudFormationWithSuccess() throws Exception {
    Map<String, Object> event = customResourceEvent("Create");

    handler(TestDatabase.settings(1)).handleRequest(event, null);

    JsonObject sent = answer.get(10, TimeUnit.SECONDS);
    assertThat(sent.getString("Status")).isEqualTo("SUCCESS");
    assertThat(sent.getString("PhysicalResourceId")).isEqualTo(DbMigrateHandler.PHYSICAL_RESOURCE_ID);
    assertThat(sent.getString("StackId")).isEqualTo(event.get("StackId"));
    assertThat(sent.getString("RequestId")).isEqualTo(event.get("RequestId"));
    assertThat(sent.getString("LogicalResourceId")).isEqualTo("DatabaseMigration");
    assertThat(sent.getJsonObject("Data").getInteger("MigrationsApplied")).isZero();
    assertThat(answerContentType.get(1, TimeUnit.SECONDS)).isNullOrEmpty();
  }

  @Test
  void aFailedMigrationIsReportedToCloudFormationWithoutThePassword() throws Exception {
    DatabaseSettings nowhere = new DatabaseSettings("127.0.0.1", freePort(), "leadcycle", "app", "s3cret-pass",
        "disable", 1);

    handler(nowhere).handleRequest(customResourceEvent("Update"), null);

    JsonObject sent = answer.get(60, TimeUnit.SECONDS);
    assertThat(sent.getString("Status")).isEqualTo("FAILED");
    assertThat(sent.getString("Reason")).startsWith("Migration failed").doesNotContain("s3cret-pass");
  }

  @Test
  void deleteNeverTouchesTheDatabase() throws Exception {
    DatabaseSettings nowhere = new DatabaseSettings("127.0.0.1", freePort(), "leadcycle", "app", "x", "disable", 1);

    handler(nowhere).handleRequest(customResourceEvent("Delete"), null);

    assertThat(answer.get(10, TimeUnit.SECONDS).getString("Status")).isEqualTo("SUCCESS");
  }

  /** Settings of the test server, for a database of another name (one that may not exist yet). */
  private static DatabaseSettings inDatabase(String name, DatabaseSettings.Timeouts timeouts) {
    DatabaseSettings test = TestDatabase.settings(1);
    return new DatabaseSettings(test.host(), test.port(), name, test.user(), test.password(), test.sslMode(), 1,
        test.preparedStatements(), timeouts);
  }

  private static String freshName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @Test
  void aDatabaseThatDoesNotExistYetIsCreatedThenMigrated() throws Exception {
    String name = freshName("fresh");
    DatabaseSettings settings = inDatabase(name, DatabaseSettings.Timeouts.DEFAULT);

    Map<String, Object> first = handler(settings).handleRequest(Map.of(), null);
    Map<String, Object> second = handler(settings).handleRequest(Map.of(), null);

    assertThat(first).containsEntry("databaseCreated", true);
    assertThat((Integer) first.get("migrationsApplied")).isPositive();
    assertThat(second).containsEntry("databaseCreated", false).containsEntry("migrationsApplied", 0);
    assertThat(query(settings, settings.user(), "SELECT count(*) FROM flyway_schema_history WHERE success"))
        .isEqualTo(String.valueOf(first.get("migrationsApplied")));
    assertThat(query(settings, settings.user(), "SELECT count(*) FROM matching_strategies")).isEqualTo("2");
  }

  @Test
  void aCreateRequestForAMissingDatabaseCreatesItAndSaysSoToCloudFormation() throws Exception {
    DatabaseSettings settings = inDatabase(freshName("stack"), DatabaseSettings.Timeouts.DEFAULT);

    handler(settings).handleRequest(customResourceEvent("Create"), null);

    JsonObject sent = answer.get(60, TimeUnit.SECONDS);
    assertThat(sent.getString("Status")).isEqualTo("SUCCESS");
    assertThat(sent.getJsonObject("Data").getBoolean("DatabaseCreated")).isTrue();
    assertThat(sent.getJsonObject("Data").getInteger("MigrationsApplied")).isPositive();
  }

  @Test
  void theFunctionsOwnLoginGetsDataRightsOnlyAndTheTimeoutsBehindAProxy() throws Exception {
    DatabaseSettings settings = inDatabase(freshName("roles"),
        new DatabaseSettings.Timeouts(10_000, 5_000, false));  // as behind RDS Proxy: the role carries them
    String role = freshName("app");
    DbMigrateHandler withLogin = new DbMigrateHandler(() -> settings, HttpClient.newHttpClient(), 0,
        () -> Optional.of(new DbMigrateHandler.FunctionsLogin(role, "pw-" + role)));

    withLogin.handleRequest(Map.of(), null);
    withLogin.handleRequest(Map.of(), null);  // a second deploy: the role exists, nothing fails

    String rights = "SELECT concat_ws(',', has_table_privilege('%1$s', 'contacts', 'SELECT, INSERT, UPDATE, DELETE'),"
        + " has_table_privilege('%1$s', 'contacts', 'TRUNCATE'), has_schema_privilege('%1$s', 'public', 'CREATE'),"
        + " has_table_privilege('%1$s', 'flyway_schema_history', 'SELECT'),"
        + " has_sequence_privilege('%1$s', 'lead_timeline_id_seq', 'USAGE'),"
        + " (SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = '%1$s'))";
    assertThat(query(settings, settings.user(), rights.formatted(role)))
        .isEqualTo("t,f,f,f,t,f");  // data rights; no TRUNCATE, no DDL, no migration history, no role powers
    // Sessions of the functions' role get the timeouts without asking (the proxy refuses them at startup).
    assertThat(query(settings, role, "SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout')"))
        .isEqualTo("10s 5s");
    assertThat(query(settings, role, "SELECT count(*) FROM matching_strategies")).isEqualTo("2");
    // The owner (who migrates) keeps no timeouts of its own.
    assertThat(query(settings, settings.user(), "SELECT current_setting('statement_timeout')")).isEqualTo("0");
  }

  @Test
  void withoutALoginOfTheirOwnTheTimeoutsGoOnTheSharedLoginOnlyBehindAProxy() throws Exception {
    String name = freshName("shared");
    String login = freshName("shared_login");
    DatabaseSettings owner = inDatabase(name, DatabaseSettings.Timeouts.DEFAULT);
    try (Connection c = DriverManager.getConnection(owner.jdbcUrl().replace("/" + name + "?", "/postgres?"),
        owner.user(), owner.password()); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + login + " LOGIN CREATEDB");
    }
    DatabaseSettings direct = new DatabaseSettings(owner.host(), owner.port(), name, login, "", owner.sslMode(), 1,
        true, DatabaseSettings.Timeouts.DEFAULT);
    DatabaseSettings proxied = direct.withTimeouts(new DatabaseSettings.Timeouts(7_000, 3_000, false));

    handler(direct).handleRequest(Map.of(), null);
    assertThat(query(direct, login, "SELECT current_setting('statement_timeout')")).isEqualTo("0");

    handler(proxied).handleRequest(Map.of(), null);
    assertThat(query(direct, login, "SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout')"))
        .isEqualTo("7s 3s");
  }

  /** One value from a fresh connection as {@code user} (the embedded server trusts local logins). */
  private static String query(DatabaseSettings settings, String user, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), user, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
