package io.leadcycle.functions.dbmigrate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.leadcycle.database.Migrations;
import io.leadcycle.runtime.DatabaseSettings;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.SecretsManagerSecrets;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The deploy step that migrates the database. CloudFormation calls it as a custom resource on every
 * deploy that changes this function's code (template.yaml passes the function version), before the
 * other functions are updated; it can also be invoked by hand ({@code aws lambda invoke}).
 *
 * <p>As a custom resource it always answers CloudFormation (a handler that throws would leave the stack
 * waiting for an hour): SUCCESS after migrating, FAILED with the reason otherwise. Delete does
 * nothing: removing the stack never drops data.
 */
public final class DbMigrateHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  static final String PHYSICAL_RESOURCE_ID = "leadcycle-database-schema";

  private final Supplier<DatabaseSettings> settings;
  private final HttpClient http;

  public DbMigrateHandler() {
    this(() -> DatabaseSettings.fromEnvironment(System.getenv(),
        id -> SecretsManagerSecrets.fromEnvironment().apply(id)), HttpClient.newHttpClient());
  }

  public DbMigrateHandler(Supplier<DatabaseSettings> settings, HttpClient http) {
    this.settings = settings;
    this.http = http;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Object responseUrl = event == null ? null : event.get("ResponseURL");
    if (responseUrl == null) {
      int applied = migrate();
      return Map.of("migrationsApplied", applied);
    }
    return answerCloudFormation(event, responseUrl.toString());
  }

  private int migrate() {
    DatabaseSettings db = settings.get();
    int applied = Migrations.migrate(db.jdbcUrl(), db.user(), db.password());
    JsonLog.info(null, "database migrated", new JsonObject().put("migrationsApplied", applied)
        .put("database", db.toString()));
    return applied;
  }

  private Map<String, Object> answerCloudFormation(Map<String, Object> event, String responseUrl) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("PhysicalResourceId", PHYSICAL_RESOURCE_ID);
    response.put("StackId", event.get("StackId"));
    response.put("RequestId", event.get("RequestId"));
    response.put("LogicalResourceId", event.get("LogicalResourceId"));
    try {
      if ("Delete".equals(event.get("RequestType"))) {
        response.put("Status", "SUCCESS");
      } else {
        int applied = migrate();
        response.put("Status", "SUCCESS");
        response.put("Data", Map.of("MigrationsApplied", applied));
      }
    } catch (RuntimeException | Error e) {
      // Every failure must reach CloudFormation, or the stack waits an hour for an answer.
      JsonLog.error(null, "database migration failed", e);
      response.put("Status", "FAILED");
      response.put("Reason", "Migration failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
          + " (see the function's CloudWatch log)");
    }
    send(responseUrl, new JsonObject(response).encode());
    return response;
  }

  /** CloudFormation's pre-signed S3 URL wants a PUT with an empty content type. */
  private void send(String url, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        throw new IllegalStateException("CloudFormation response URL answered " + answer.statusCode());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot reach the CloudFormation response URL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while answering CloudFormation", e);
    }
  }
}
