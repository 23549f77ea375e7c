package io.leadcycle.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.database.EmbeddedDatabase;
import io.leadcycle.database.Migrations;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.runtime.Database;
import io.leadcycle.runtime.DatabaseSettings;
import io.leadcycle.runtime.LeadcycleRuntime;
import io.leadcycle.runtime.SecretsManagerSecrets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs every Leadcycle function on one machine: a Vert.x Web server that turns each request into
 * the API Gateway event the function's Lambda handler takes, calls that very handler class, and
 * writes its response back. Management routes need {@code Authorization: Bearer <token>}, as the
 * API Gateway authorizer demands in AWS. Without a configured database it starts an embedded
 * PostgreSQL whose data stays in {@code LEADCYCLE_DATA_DIR}.
 *
 * <p>Configuration (environment): {@code LEADCYCLE_PORT} (8080), {@code LEADCYCLE_API_TOKEN}
 * (generated and printed when unset), {@code LEADCYCLE_DATA_DIR} ({@code ./.leadcycle}),
 * {@code DATABASE_URL} or {@code DB_*} as for the functions.
 */
public final class LocalServer implements AutoCloseable {

  /** Every function the server hosts, by the handler class that template.yaml names. */
  public static final List<String> HANDLER_CLASSES = List.of(
      "io.leadcycle.functions.formintake.FormIntakeHandler",
      "io.leadcycle.functions.leadmanagement.LeadManagementHandler");

  /** The local server accepts larger bodies than the functions so that they can answer 413 themselves. */
  private static final long MAX_BODY_BYTES = 1024 * 1024;

  private final Vertx vertx;
  private final HttpServer server;
  private final ExecutorService handlerThreads;
  private final EmbeddedDatabase embedded;

  private LocalServer(Vertx vertx, HttpServer server, ExecutorService handlerThreads, EmbeddedDatabase embedded) {
    this.vertx = vertx;
    this.server = server;
    this.handlerThreads = handlerThreads;
    this.embedded = embedded;
  }

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    String token = env.get("LEADCYCLE_API_TOKEN");
    if (token == null || token.isBlank()) {
      token = generateToken();
      System.out.println("LEADCYCLE_API_TOKEN was not set; management API token for this run: " + token);
    }
    LocalServer server = start(env, Integer.parseInt(env.getOrDefault("LEADCYCLE_PORT", "8080")), token);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("Leadcycle is listening on http://localhost:" + server.port()
        + " (GET /health; functions: " + String.join(", ", HANDLER_CLASSES) + ")");
  }

  /**
   * Starts the server on {@code port} (0 picks a free one) with the database the environment names,
   * or an embedded one in {@code LEADCYCLE_DATA_DIR}.
   */
  public static LocalServer start(Map<String, String> env, int port, String apiToken) {
    EmbeddedDatabase embedded = null;
    DatabaseSettings settings;
    if (DatabaseSettings.configured(env)) {
      settings = DatabaseSettings.fromEnvironment(env, id -> SecretsManagerSecrets.fromEnvironment().apply(id));
    } else {
      Path dataDirectory = Path.of(env.getOrDefault("LEADCYCLE_DATA_DIR", ".leadcycle")).toAbsolutePath();
      embedded = EmbeddedDatabase.persistent(dataDirectory.resolve("postgres"));
      settings = new DatabaseSettings(embedded.host(), embedded.port(), EmbeddedDatabase.DATABASE,
          EmbeddedDatabase.USER, "", "disable", 2);
    }
    // One local process serves many requests at once, unlike one Lambda environment.
    settings = settings.withPoolSize(Integer.parseInt(env.getOrDefault("DB_POOL_SIZE", "16")));
    Migrations.migrate(settings.jdbcUrl(), settings.user(), settings.password());

    // One event loop, as in Lambda: the handlers run on their own threads, so more loops only add hops
    // between threads (the intake benchmark's latency tail came from that).
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Integer.parseInt(env.getOrDefault("LEADCYCLE_EVENT_LOOPS", "1"))));
    LeadcycleRuntime.install(new Database(Database.createPool(vertx, settings)));
    // Handlers block until their database work is done, so they run on plain threads, as in Lambda,
    // never on a Vert.x event loop or worker thread.
    ExecutorService handlerThreads = Executors.newFixedThreadPool(
        Integer.parseInt(env.getOrDefault("LEADCYCLE_HANDLER_THREADS", "64")));
    Router router = router(vertx, handlerThreads, apiToken);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port).await();
    return new LocalServer(vertx, server, handlerThreads, embedded);
  }

  private static Router router(Vertx vertx, ExecutorService handlerThreads, String apiToken) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    for (HttpFunction function : instantiateHandlers()) {
      for (Route route : function.routes()) {
        router.route(HttpMethod.valueOf(route.method()), vertxPath(route.path()))
            .handler(ctx -> serve(ctx, function, route, handlerThreads, apiToken));
      }
    }
    router.route().last().handler(ctx -> writeProblem(ctx,
        Problem.notFound("No route for " + ctx.request().method() + " " + ctx.request().path())));
    router.route().failureHandler(ctx -> writeProblem(ctx, ctx.statusCode() == 413
        ? Problem.tooLarge("The body is over the limit of " + HttpFunction.MAX_BODY_BYTES + " bytes.")
        : Problem.internal()));
    return router;
  }

  private static void serve(RoutingContext ctx, HttpFunction function, Route route, ExecutorService threads,
      String apiToken) {
    if (route.access() == Access.MANAGEMENT && !authorized(ctx.request().getHeader("authorization"), apiToken)) {
      writeProblem(ctx, Problem.unauthorized("Send Authorization: Bearer <LEADCYCLE_API_TOKEN>."));
      return;
    }
    var event = HttpEventConverter.toEvent(ctx, route);
    Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> function.handleRequest(event, null), threads),
            ctx.vertx().getOrCreateContext())
        .onSuccess(response -> HttpEventConverter.writeResponse(ctx, response))
        .onFailure(ctx::fail);
  }

  private static boolean authorized(String header, String apiToken) {
    String expected = "Bearer " + apiToken;
    return header != null && MessageDigest.isEqual(
        header.strip().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeProblem(RoutingContext ctx, Problem problem) {
    HttpResponse response = HttpResponse.problem(problem);
    java.util.Map<String, String> headers = new java.util.HashMap<>(response.headers());
    headers.put("x-request-id", java.util.UUID.randomUUID().toString());
    APIGatewayV2HTTPResponse event = APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status()).withHeaders(headers).withBody(response.body()).build();
    HttpEventConverter.writeResponse(ctx, event);
  }

  /** {@code /v1/forms/{formId}} (SAM) becomes {@code /v1/forms/:formId} (Vert.x Web). */
  static String vertxPath(String samPath) {
    return samPath.replaceAll("\\{([A-Za-z0-9]+)}", ":$1");
  }

  /** Creates each handler with the no-argument constructor Lambda uses. */
  public static List<HttpFunction> instantiateHandlers() {
    List<HttpFunction> functions = new ArrayList<>();
    for (String className : HANDLER_CLASSES) {
      try {
        functions.add((HttpFunction) Class.forName(className).getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create handler " + className, e);
      }
    }
    return functions;
  }

  private static String generateToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
    handlerThreads.shutdownNow();
    vertx.close().await();
    if (embedded != null) {
      embedded.close();
    }
  }
}
