package io.leadcycle.functions.dbmigrate;

import io.leadcycle.database.Migrations;
import io.leadcycle.platform.CustomResourceFunction;
import io.leadcycle.platform.Invocation;
import io.leadcycle.runtime.DatabaseSettings;
import io.leadcycle.platform.LeadcycleRuntime;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The deploy step that migrates the database. CloudFormation calls it as a custom resource on every
 * deploy that changes this function's code (template.yaml passes the function version), before the
 * other functions are updated; it can also be invoked by hand ({@code aws lambda invoke}), which
 * answers {@code {"migrationsApplied": n}}. Delete does nothing: removing the stack never drops data.
 */
public final class DbMigrateHandler extends CustomResourceFunction {

  static final String PHYSICAL_RESOURCE_ID = "leadcycle-database-schema";

  private final Supplier<DatabaseSettings> settings;
  private final int connectRetries;

  /** Lambda's constructor (and the local server's): the database named by the environment. */
  public DbMigrateHandler() {
    this(LeadcycleRuntime::databaseSettings, HttpClient.newHttpClient());
  }

  public DbMigrateHandler(Supplier<DatabaseSettings> settings, HttpClient http) {
    this(settings, http, Migrations.CONNECT_RETRIES);
  }

  public DbMigrateHandler(Supplier<DatabaseSettings> settings, HttpClient http, int connectRetries) {
    super(http);
    this.settings = settings;
    this.connectRetries = connectRetries;
  }

  @Override
  protected String physicalResourceId() {
    return PHYSICAL_RESOURCE_ID;
  }

  @Override
  protected String workName() {
    return "Migration";
  }

  @Override
  protected Map<String, Object> createOrUpdate(Map<String, Object> event, Invocation invocation) {
    return Map.of("MigrationsApplied", migrate(invocation));
  }

  @Override
  protected Map<String, Object> invokedDirectly(Map<String, Object> event, Invocation invocation) {
    return Map.of("migrationsApplied", migrate(invocation));
  }

  private int migrate(Invocation invocation) {
    DatabaseSettings db = settings.get();
    int applied = Migrations.migrate(db.jdbcUrl(), db.user(), db.password(), connectRetries);
    invocation.info("database migrated", new JsonObject().put("migrationsApplied", applied).put("database", db.toString()));
    return applied;
  }
}
