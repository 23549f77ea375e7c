package io.leadcycle.functions.dbmigrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.leadcycle.runtime.DatabaseSettings;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
    assertThat(result).containsEntry("migrationsApplied", 0);
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
