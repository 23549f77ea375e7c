package io.leadcycle.functions.dbmigrate;

import io.leadcycle.database.DatabaseSetup;
import io.leadcycle.database.Migrations;
import io.leadcycle.platform.CustomResourceFunction;
import io.leadcycle.platform.Invocation;
import io.leadcycle.postgres.DatabaseSettings;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.aws.SecretsManagerSecrets;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deploy step that migrates the database. CloudFormation calls it as a custom resource on every
 * deploy that changes this function's code (template.yaml passes the function version), before the
 * other functions are updated; it can also be invoked by hand ({@code aws lambda invoke}), which
 * answers {@code {"migrationsApplied": n, "databaseCreated": false}}. Delete does nothing: removing the
 * stack never drops data.
 *
 * <p>It logs in as the database owner and, in this order: creates the database when it does not exist
 * yet; migrates it; when the functions have a login of their own ({@code DB_APP_SECRET_ID}, the secret
 * of a role the stack created), creates that role and grants it only data rights; and when connections
 * do not send the timeouts themselves ({@code DB_TIMEOUTS_IN_STARTUP=false}, behind RDS Proxy), makes
 * them the defaults of the functions' role (docs/deployment.md, "The database roles").
 */
public final class DbMigrateHandler extends CustomResourceFunction {

  static final String PHYSICAL_RESOURCE_ID = "leadcycle-database-schema";

  /** The functions' own login, when they have one apart from the owner's. */
  public record FunctionsLogin(String user, String password) {

    @Override
    public String toString() {
      return "FunctionsLogin[" + user + "]";
    }
  }

  private final Supplier<DatabaseSettings> settings;
  private final int connectRetries;
  private final Supplier<Optional<FunctionsLogin>> functionsLogin;

  /** Lambda's constructor (and the local server's): the database named by the environment. */
  public DbMigrateHandler() {
    this(SharedDatabase::settings, HttpClient.newHttpClient(), Migrations.CONNECT_RETRIES,
        DbMigrateHandler::functionsLoginFromEnvironment);
  }

  public DbMigrateHandler(Supplier<DatabaseSettings> settings, HttpClient http) {
    this(settings, http, Migrations.CONNECT_RETRIES);
  }

  public DbMigrateHandler(Supplier<DatabaseSettings> settings, HttpClient http, int connectRetries) {
    this(settings, http, connectRetries, Optional::empty);
  }

  public DbMigrateHandler(Supplier<DatabaseSettings> settings, HttpClient http, int connectRetries,
      Supplier<Optional<FunctionsLogin>> functionsLogin) {
    super(http);
    this.settings = settings;
    this.connectRetries = connectRetries;
    this.functionsLogin = functionsLogin;
  }

  /** {@code DB_APP_SECRET_ID}: a Secrets Manager secret {"username", "password"}; unset or blank: none. */
  static Optional<FunctionsLogin> functionsLoginFromEnvironment() {
    String secretId = System.getenv("DB_APP_SECRET_ID");
    if (secretId == null || secretId.isBlank()) {
      return Optional.empty();
    }
    JsonObject secret = new JsonObject(SecretsManagerSecrets.fromEnvironment().apply(secretId));
    return Optional.of(new FunctionsLogin(secret.getString("username"), secret.getString("password")));
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
    Outcome outcome = migrate(invocation);
    return Map.of("MigrationsApplied", outcome.applied(), "DatabaseCreated", outcome.databaseCreated());
  }

  @Override
  protected Map<String, Object> invokedDirectly(Map<String, Object> event, Invocation invocation) {
    Outcome outcome = migrate(invocation);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("migrationsApplied", outcome.applied());
    answer.put("databaseCreated", outcome.databaseCreated());
    return answer;
  }

  private record Outcome(int applied, boolean databaseCreated) {
  }

  private Outcome migrate(Invocation invocation) {
    DatabaseSettings db = settings.get();
    DatabaseSetup.Server owner = new DatabaseSetup.Server(db.host(), db.port(), db.jdbcSslParameters(), db.user(),
        db.password());
    boolean created = DatabaseSetup.createDatabaseIfMissing(owner, db.database(), connectRetries);
    int applied = Migrations.migrate(db.jdbcUrl(), db.user(), db.password(), connectRetries);
    Optional<FunctionsLogin> login = functionsLogin.get();
    login.ifPresent(l -> DatabaseSetup.grantFunctionsRole(owner, db.database(), l.user(), l.password()));
    DatabaseSettings.Timeouts timeouts = db.timeouts();
    if (!timeouts.inStartup()) {
      DatabaseSetup.setRoleTimeouts(owner, db.database(), login.map(FunctionsLogin::user).orElse(null),
          timeouts.statementMillis(), timeouts.lockMillis());
    }
    invocation.info("database migrated", new JsonObject().put("migrationsApplied", applied)
        .put("databaseCreated", created)
        .put("functionsRole", login.map(FunctionsLogin::user).orElse(db.user()))
        .put("roleTimeouts", !timeouts.inStartup())
        .put("database", db.toString()));
    return new Outcome(applied, created);
  }
}
