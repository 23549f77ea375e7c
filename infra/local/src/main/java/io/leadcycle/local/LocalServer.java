package io.leadcycle.local;

import io.leadcycle.database.EmbeddedDatabase;
import io.leadcycle.domain.WebhookUrlPolicy;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.http.RouteTable;
import io.leadcycle.platform.CustomResourceFunction;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.LeadcycleFunction;
import io.leadcycle.platform.S3Function;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.DatabaseSettings;
import io.leadcycle.runtime.JavaLogging;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs every Leadcycle function on one machine, each by its trigger, calling the very handler class
 * that Lambda calls with the event AWS would send:
 * <ul>
 *   <li>HTTP functions: every request becomes the API Gateway HTTP API event of its route (management
 *       routes need {@code Authorization: Bearer <token>}, as the JWT authorizer demands in AWS);</li>
 *   <li>scheduled functions: a timer sends EventBridge's scheduled event every few seconds;</li>
 *   <li>queue functions: an in-process queue ({@link LocalQueue}) delivers SQS records, redelivers
 *       failed ones and keeps a dead-letter list;</li>
 *   <li>object-created functions: a directory under the data directory stands in for the bucket
 *       ({@link LocalBucket});</li>
 *   <li>custom resources (db-migrate): invoked once at start, as the deploy step runs before the
 *       functions update.</li>
 * </ul>
 * {@code POST /_local/invoke/{function}} feeds any function an event by hand. Without a configured
 * database it starts an embedded PostgreSQL whose data stays in the data directory.
 */
public final class LocalServer implements AutoCloseable {

  /**
   * A function as the local server hosts it: its name (its module's, as in template.yaml's CodeUri, unless
   * the template names it), handler, and, if scheduled, the timer period the template suggests for local
   * runs (null: the default); if queue-triggered, the path at which the local server also takes its
   * messages directly (null: none).
   */
  public record HostedFunction(String name, String handlerClass, Integer scheduleSeconds, String queueRoute) {

    public HostedFunction(String name, String handlerClass) {
      this(name, handlerClass, null, null);
    }
  }

  /** Every function template.yaml declares, read from the copy packed into this jar. */
  public static final List<HostedFunction> FUNCTIONS = SamTemplate.bundled().stream()
      .map(function -> new HostedFunction(function.name(), function.handlerClass(), function.localScheduleSeconds(),
          function.localQueueRoute()))
      .toList();

  /**
   * As API Gateway, the local server takes bodies up to 10 MiB, so that functions answer 413 for their own,
   * smaller limits themselves; files of any size go through {@code PUT /_local/uploads/...}, streamed.
   */
  static final long MAX_BODY_BYTES = 10 * 1024 * 1024;

  /**
   * Longest request line (method, path and query) and largest header block the local server reads, as
   * API Gateway's HTTP API allows 10 KiB of request line and headers; longer ones are 414 and 431.
   */
  static final int MAX_REQUEST_LINE_BYTES = 10 * 1024;
  static final int MAX_HEADER_BYTES = 10 * 1024;

  /** Where each request keeps its id (also its {@code x-request-id}) and its raw body. */
  private static final String REQUEST_ID = "leadcycle.requestId";
  private static final String RAW_BODY = "leadcycle.rawBody";

  private record Hosted(String name, LeadcycleFunction<?, ?> handler, Integer scheduleSeconds, String queueRoute) {
  }

  private final HttpServer server;
  private final ExecutorService handlerThreads;
  private final Database database;
  private final EmbeddedDatabase embedded;
  private final List<Long> timers;
  private final Map<String, LocalBucket> buckets;

  private LocalServer(HttpServer server, ExecutorService handlerThreads, Database database,
      EmbeddedDatabase embedded, List<Long> timers, Map<String, LocalBucket> buckets) {
    this.server = server;
    this.handlerThreads = handlerThreads;
    this.database = database;
    this.embedded = embedded;
    this.timers = timers;
    this.buckets = buckets;
  }

  public static void main(String[] args) {
    JavaLogging.routeToJson();
    Map<String, String> env = System.getenv();
    LocalServer server;
    ApiToken token;
    try {
      token = ApiToken.resolve(env, dataDirectory(env));
      server = start(env, setting(env, "LEADCYCLE_PORT", 8080), token.value());
    } catch (RuntimeException | Error e) {
      JsonLog.error(null, "Leadcycle could not start: " + e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    JsonLog.info(null, token.describe(), null);
    JsonLog.info(null, token.describeWorkbench(server.port()), null);
    JsonLog.info(null, "Leadcycle is listening on http://localhost:" + server.port()
        + " (GET /health, GET /openapi.json, the workbench at /workbench/)",
        new JsonObject().put("dataDirectory", dataDirectory(env).toString()));
  }

  /**
   * Starts the server on {@code port} (0 picks a free one) with every function of the template, on the
   * database the environment names or an embedded one in {@code LEADCYCLE_DATA_DIR}.
   */
  public static LocalServer start(Map<String, String> env, int port, String apiToken) {
    return start(env, port, apiToken, FUNCTIONS);
  }

  /** As {@link #start(Map, int, String)}, hosting {@code functions}. */
  public static LocalServer start(Map<String, String> env, int port, String apiToken, List<HostedFunction> functions) {
    // A development host: webhooks may also go to http and loopback receivers (docs/notifications.md).
    // Set before any function is created, as each reads its policy once, when it is created.
    System.setProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY, "true");
    Path dataDirectory = dataDirectory(env);
    EmbeddedDatabase embedded = null;
    Database database = null;
    ExecutorService handlerThreads = null;
    List<Long> timers = new ArrayList<>();
    try {
      DatabaseSettings settings;
      if (DatabaseSettings.configured(env)) {
        settings = DatabaseSettings.fromEnvironment(env);
      } else {
        embedded = EmbeddedDatabase.persistent(dataDirectory.resolve("postgres"));
        Map<String, String> embeddedEnv = new HashMap<>();
        embeddedEnv.put("DATABASE_URL", embedded.databaseUrl() + "?sslmode=disable");
        // The timeouts hold for the embedded database too, so that they can be tried locally.
        for (String name : List.of("DB_STATEMENT_TIMEOUT_MS", "DB_LOCK_TIMEOUT_MS", "DB_TIMEOUTS_IN_STARTUP")) {
          if (env.get(name) != null) {
            embeddedEnv.put(name, env.get(name));
          }
        }
        settings = DatabaseSettings.fromEnvironment(embeddedEnv);
      }
      // One local process serves many requests at once, unlike one Lambda environment. One event loop, as
      // in Lambda: handlers run on their own threads, so more loops only add hops between threads.
      settings = settings.withPoolSize(positive(env, "DB_POOL_SIZE", 16));
      database = Database.connect(settings, positive(env, "LEADCYCLE_EVENT_LOOPS", 1));
      SharedDatabase.install(settings, database);
      Vertx vertx = database.vertx();
      // Handlers block until their work is done, so they run on plain threads, as in Lambda, never on a
      // Vert.x event loop or worker thread.
      handlerThreads = Executors.newFixedThreadPool(positive(env, "LEADCYCLE_HANDLER_THREADS", 64));

      List<Hosted> hosted = instantiate(functions, env);
      Map<String, LocalQueue> queues = new LinkedHashMap<>();
      Map<String, LocalBucket> buckets = new LinkedHashMap<>();
      List<HttpFunction> http = new ArrayList<>();
      for (Hosted function : hosted) {
        LeadcycleFunction<?, ?> handler = function.handler();
        if (handler instanceof CustomResourceFunction custom) {
          custom.handleRequest(Map.of(), null); // db-migrate: migrate now, before any function runs
        } else if (handler instanceof HttpFunction httpFunction) {
          http.add(httpFunction);
        } else if (handler instanceof ScheduledFunction scheduled) {
          // The function's own setting, else the global one, else what the template suggests, else 5 s.
          int seconds = setting(env, "LEADCYCLE_SCHEDULE_SECONDS_" + variable(function.name()),
              setting(env, "LEADCYCLE_SCHEDULE_SECONDS", function.scheduleSeconds() != null ? function.scheduleSeconds() : 5));
          if (seconds > 0) {
            timers.add(every(vertx, seconds * 1000L, handlerThreads,
                () -> scheduled.handleRequest(LocalEvents.scheduled(function.name(), Instant.now()), null)));
          }
        } else if (handler instanceof SqsFunction queued) {
          queues.put(function.name(), new LocalQueue(function.name(), queued,
              positive(env, "LEADCYCLE_QUEUE_MAX_RECEIVES", 3),
              Duration.ofMillis(positive(env, "LEADCYCLE_QUEUE_RETRY_MILLIS", 1000))));
        } else if (handler instanceof S3Function objects) {
          buckets.put(function.name(), new LocalBucket("leadcycle-" + function.name(),
              dataDirectory.resolve("buckets").resolve(function.name()), objects));
        } else {
          throw new IllegalStateException(function.name() + " has no trigger kind the local server hosts");
        }
      }
      Map<String, LocalQueue> queuesByArn = new LinkedHashMap<>();
      queues.values().forEach(q -> queuesByArn.put(q.arn(), q));
      LocalDeadLetters deadLetters = new LocalDeadLetters(queuesByArn);
      AwsResources.DEAD_LETTERS.install(deadLetters);
      for (LocalQueue queue : queues.values()) {
        timers.add(every(vertx, 100, handlerThreads, () -> {
          while (queue.deliverBatch()) {
            // drain what is visible now
          }
        }));
      }
      int scanMillis = positive(env, "LEADCYCLE_BUCKET_SCAN_MILLIS", 1000);
      for (LocalBucket bucket : buckets.values()) {
        timers.add(every(vertx, scanMillis, handlerThreads, bucket::scan));
      }

      // Imported files go to the import function's bucket (the only bucket, or the one named file-import).
      LocalBucket importBucket = buckets.containsKey("file-import") ? buckets.get("file-import")
          : buckets.size() == 1 ? buckets.values().iterator().next() : null;
      LocalImportFiles imports = importBucket == null ? null
          : new LocalImportFiles(importBucket, dataDirectory.resolve("uploads"), randomKey());

      RouteTable<HttpFunction> routes = new RouteTable<>(http.stream()
          .flatMap(f -> f.routes().stream().map(r -> new RouteTable.Entry<>(f, r))).toList());
      Router router = Router.router(vertx);
      String tokenVariable = env.get(ApiToken.ENVIRONMENT_VARIABLE);
      new Api(routes, hosted, queues, deadLetters, imports, handlerThreads, apiToken,
          tokenVariable != null && !tokenVariable.isBlank(), dataDirectory).register(router);
      HttpServer server = vertx.createHttpServer(new HttpServerOptions()
              .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
              .setMaxHeaderSize(MAX_HEADER_BYTES))
          .requestHandler(router)
          .invalidRequestHandler(LocalServer::answerInvalidRequest)
          .listen(port).await();
      if (imports != null) {
        imports.listeningOn(server.actualPort());
        AwsResources.IMPORT_FILES.install(imports);
      }
      return new LocalServer(server, handlerThreads, database, embedded, timers, buckets);
    } catch (RuntimeException | Error e) {
      // Whatever was started stops again, so that a failed start (a port in use, a failed migration) exits.
      stop(database, handlerThreads, timers, embedded);
      throw e;
    }
  }

  /**
   * The HTTP side: the local server's own routes and the functions' routes, each through a route table
   * (the functions' is the one they use themselves), so that both route, decode path parameters and
   * answer 404 and 405 alike. Vert.x Web only carries requests: it matches no paths itself.
   */
  private record Api(RouteTable<HttpFunction> routes, List<Hosted> functions, Map<String, LocalQueue> queues,
      LocalDeadLetters deadLetters, LocalImportFiles imports, ExecutorService threads, String apiToken, boolean tokenFromEnvironment,
      Path dataDirectory) {

    /** The most messages one direct delivery to a queue function takes. */
    static final int MAX_DIRECT_MESSAGES = 100;

    /** The local server's own routes; their handlers read the path parameters of their match. */
    private RouteTable<LocalRoute> localRoutes() {
      List<RouteTable.Entry<LocalRoute>> own = new ArrayList<>(List.of(
          local("GET", "/openapi.json", Access.PUBLIC, (ctx, parameters) -> ctx.response()
              .putHeader("content-type", "application/json").end(OpenApiDocument.json())),
          local("POST", "/_local/invoke/{function}", Access.MANAGEMENT, this::invoke),
          local("POST", "/_local/queues/{function}/messages", Access.MANAGEMENT, this::sendToQueue),
          local("GET", "/_local/queues/{function}", Access.MANAGEMENT, this::queueStatus)));
      for (Hosted function : functions) {
        if (function.queueRoute() != null && queues.containsKey(function.name())) {
          LocalQueue queue = queues.get(function.name());
          own.add(local("POST", function.queueRoute(), Access.MANAGEMENT, (ctx, parameters) -> deliverDirectly(ctx, queue)));
        }
      }
      return new RouteTable<>(own);
    }

    /**
     * A queue function's {@code QueueRoute} ({@code POST /v1/journeys/tile-events}): {@code {"events":
     * [...]}}, each event the body of one SQS record, handed to the function as one batch at once. The
     * answer is the function's {@code batchItemFailures}, each with the event's {@code index} and, when
     * the function refused it, the {@code reason}; and every event's {@code messageIds}, in order.
     */
    private void deliverDirectly(RoutingContext ctx, LocalQueue queue) {
      List<String> bodies = new ArrayList<>();
      try {
        JsonArray events = new JsonObject(rawBody(ctx)).getJsonArray("events");
        if (events == null || events.isEmpty() || events.size() > MAX_DIRECT_MESSAGES) {
          throw new IllegalArgumentException("no events");
        }
        events.forEach(event -> bodies.add(io.vertx.core.json.Json.encode(event)));
      } catch (RuntimeException e) {
        writeProblem(ctx, Problem.invalid("events", "send {\"events\": [...]}: 1 to " + MAX_DIRECT_MESSAGES
            + " events, each the JSON body of one queue message"));
        return;
      }
      onHandlerThread(ctx, () -> queue.deliverDirectly(bodies, deadLetters), outcomes -> {
        JsonArray failures = new JsonArray();
        JsonArray ids = new JsonArray();
        for (int i = 0; i < outcomes.size(); i++) {
          LocalQueue.DirectOutcome outcome = outcomes.get(i);
          ids.add(outcome.messageId());
          if (outcome.failed()) {
            failures.add(new JsonObject().put("itemIdentifier", outcome.messageId()).put("index", i)
                .put("reason", outcome.reason() != null ? outcome.reason()
                    : "failed for a reason that may pass (see the server log): send it again"));
          }
        }
        ctx.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("batchItemFailures", failures).put("messageIds", ids).encode());
      });
    }

    void register(Router router) {
      RouteTable<LocalRoute> local = localRoutes();
      router.route().handler(ctx -> {
        String requestId = Invocation.newRequestId();
        ctx.put(REQUEST_ID, requestId);
        ctx.response().putHeader("x-request-id", requestId);
        ctx.next();
      });
      // Uploads stream to disk, whatever their size: before the raw body is read into memory.
      router.route().handler(ctx -> {
        if (imports != null && ctx.request().method().name().equals("PUT")
            && ctx.request().path().startsWith(LocalImportFiles.UPLOAD_PATH)) {
          upload(ctx);
        } else {
          ctx.next();
        }
      });
      // The raw body goes to the functions, which parse forms themselves (as in Lambda): Vert.x's
      // BodyHandler would decode form bodies itself and fail on what only the function may judge.
      router.route().handler(LocalServer::readRawBody);
      router.route().handler(ctx -> dispatch(ctx, local));
      router.route().failureHandler(LocalServer::answerFailure);
      // What no failure handler answered (a failure handler that failed itself).
      router.errorHandler(500, LocalServer::answerFailure);
    }

    /** Every request: the local server's route for it, else its function's route and the event AWS would send. */
    private void dispatch(RoutingContext ctx, RouteTable<LocalRoute> local) {
      String method = ctx.request().method().name();
      String path = ctx.request().path();
      RouteTable.Match<LocalRoute> own = find(local, method, path);
      if (own != null) {
        if (own.route().access() == Access.MANAGEMENT && !authorized(ctx)) {
          writeProblem(ctx, unauthorized());
          return;
        }
        own.owner().handler().accept(ctx, own.pathParameters());
        return;
      }
      RouteTable.Match<HttpFunction> match;
      try {
        match = routes.find(null, method, path);
      } catch (Problem notFound) {
        Set<String> allowed = new TreeSet<>(routes.methods(path));
        allowed.addAll(local.methods(path));
        if (allowed.isEmpty()) {
          writeProblem(ctx, Problem.notFound("No route for " + method + " " + path));
        } else {
          ctx.response().putHeader("allow", String.join(", ", allowed));
          writeProblem(ctx, Problem.methodNotAllowed(method + " is not allowed on " + path + "; allowed: "
              + String.join(", ", allowed) + "."));
        }
        return;
      }
      if (match.route().access() == Access.MANAGEMENT && !authorized(ctx)) {
        writeProblem(ctx, unauthorized());
        return;
      }
      var event = HttpEventConverter.toEvent(ctx, match.route(), match.pathParameters(), requestId(ctx), rawBody(ctx));
      HttpFunction function = match.owner();
      onHandlerThread(ctx, () -> function.handleRequest(event, null),
          response -> HttpEventConverter.writeResponse(ctx.response(), response));
    }

    /**
     * {@code PUT /_local/uploads/{key}?expires=&signature=}, an upload URL of {@link LocalImportFiles}: the
     * body is streamed to a file outside the bucket, then moved in whole, where the bucket announces it to
     * the import function as S3 would. Answers 200 as S3 does; 403 for a URL that is not one (or expired).
     */
    private void upload(RoutingContext ctx) {
      HttpServerRequest request = ctx.request();
      String key;
      Path staged;
      try {
        key = java.net.URLDecoder.decode(request.path().substring(LocalImportFiles.UPLOAD_PATH.length()),
            StandardCharsets.UTF_8);
        imports.pathOf(key);
      } catch (IllegalArgumentException e) {
        writeProblem(ctx, Problem.notFound("No upload URL " + request.path() + "."));
        return;
      }
      if (!imports.verify(key, request.getParam("expires"), request.getParam("signature"))) {
        writeProblem(ctx, Problem.forbidden("The upload URL is not one this server made, or it has expired: "
            + "POST /v1/imports again for a new one."));
        return;
      }
      try {
        staged = imports.newStagingFile();
      } catch (java.io.IOException e) {
        ctx.fail(e);
        return;
      }
      request.pause();
      if ("100-continue".equalsIgnoreCase(request.getHeader("expect")) && request.version() == HttpVersion.HTTP_1_1) {
        ctx.response().writeContinue();
      }
      ctx.vertx().fileSystem().open(staged.toString(), new io.vertx.core.file.OpenOptions().setWrite(true))
          .compose(request::pipeTo)
          .compose(piped -> ctx.vertx().executeBlocking(() -> {
            imports.moveIn(staged, key);
            return key;
          }))
          .onComplete(done -> {
            if (done.failed()) {
              staged.toFile().delete();
              ctx.fail(done.cause());
            } else {
              ctx.response().setStatusCode(200).end();
            }
          });
    }

    /** The local route for this method and path, else null. */
    private static RouteTable.Match<LocalRoute> find(RouteTable<LocalRoute> local, String method, String path) {
      try {
        return local.find(null, method, path);
      } catch (Problem notOurs) {
        return null;
      }
    }

    /** {@code POST /_local/invoke/{function}}: the body is the event; the answer is what the handler returned. */
    @SuppressWarnings("unchecked")
    private void invoke(RoutingContext ctx, Map<String, String> parameters) {
      Hosted hosted = function(ctx, parameters.get("function"));
      if (hosted == null) {
        return;
      }
      LeadcycleFunction<Object, Object> handler = (LeadcycleFunction<Object, Object>) hosted.handler();
      Object event;
      try {
        event = LambdaJson.read(handler.eventType(), rawBody(ctx).toString(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        writeProblem(ctx, Problem.malformed("The body is not a " + handler.eventType().getSimpleName()
            + " event in the JSON AWS sends."));
        return;
      }
      record Answer(String json, boolean functionError) {
      }
      onHandlerThread(ctx, () -> {
        try {
          return new Answer(LambdaJson.write(handler.handleRequest(event, null)), false);
        } catch (RuntimeException e) {
          // As Lambda's Invoke API reports a function error: 200, X-Amz-Function-Error, the error as JSON.
          return new Answer(new JsonObject().put("errorMessage", e.getMessage()).put("errorType", e.getClass().getName())
              .encode(), true);
        }
      }, answer -> {
        var response = ctx.response().putHeader("content-type", "application/json");
        if (answer.functionError()) {
          response.putHeader("x-amz-function-error", "Unhandled");
        }
        response.end(answer.json());
      });
    }

    /** {@code POST /_local/queues/{function}/messages} {@code {"messages": [{"body", "attributes"?}]}}: all or none. */
    private void sendToQueue(RoutingContext ctx, Map<String, String> parameters) {
      LocalQueue queue = queue(ctx, parameters.get("function"));
      if (queue == null) {
        return;
      }
      record Outgoing(String body, Map<String, String> attributes) {
      }
      List<Outgoing> outgoing = new ArrayList<>();
      try {
        JsonArray messages = new JsonObject(rawBody(ctx)).getJsonArray("messages");
        for (int i = 0; i < messages.size(); i++) {
          JsonObject message = messages.getJsonObject(i);
          Object body = message.getValue("body");
          if (body == null) {
            throw new IllegalArgumentException("no body");
          }
          Map<String, String> attributes = new LinkedHashMap<>();
          message.getJsonObject("attributes", new JsonObject()).forEach(e -> attributes.put(e.getKey(), String.valueOf(e.getValue())));
          outgoing.add(new Outgoing(body instanceof String text ? text : io.vertx.core.json.Json.encode(body), attributes));
        }
        if (outgoing.isEmpty()) {
          throw new IllegalArgumentException("no messages");
        }
      } catch (RuntimeException e) {
        writeProblem(ctx, Problem.invalid("messages",
            "send {\"messages\": [{\"body\": \"...\" or {...}, \"attributes\"?: {\"name\": \"value\"}}]}"));
        return;
      }
      JsonArray ids = new JsonArray();
      outgoing.forEach(m -> ids.add(queue.send(m.body(), m.attributes())));
      ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
          .end(new JsonObject().put("messageIds", ids).encode());
    }

    private void queueStatus(RoutingContext ctx, Map<String, String> parameters) {
      LocalQueue queue = queue(ctx, parameters.get("function"));
      if (queue != null) {
        ctx.response().putHeader("content-type", "application/json").end(queue.status().encode());
      }
    }

    private Hosted function(RoutingContext ctx, String name) {
      for (Hosted hosted : functions) {
        if (hosted.name().equals(name)) {
          return hosted;
        }
      }
      writeProblem(ctx, Problem.notFound("No function " + name + "; hosted: "
          + String.join(", ", functions.stream().map(Hosted::name).toList())));
      return null;
    }

    private LocalQueue queue(RoutingContext ctx, String name) {
      LocalQueue queue = queues.get(name);
      if (queue == null) {
        writeProblem(ctx, Problem.notFound("No queue-triggered function " + name
            + "; queues: " + String.join(", ", queues.keySet())));
      }
      return queue;
    }

    private Problem unauthorized() {
      return Problem.unauthorized(tokenFromEnvironment
          ? "Send Authorization: Bearer <token>, with the token set in " + ApiToken.ENVIRONMENT_VARIABLE + "."
          : "Send Authorization: Bearer <token>. The local server prints its token when it starts (it is kept in "
              + dataDirectory.resolve(ApiToken.FILE_NAME) + "), or set your own with "
              + ApiToken.ENVIRONMENT_VARIABLE + ".");
    }

    /** {@code Authorization: Bearer <token>}, the scheme in any case (RFC 7235), one or more spaces after it. */
    private boolean authorized(RoutingContext ctx) {
      String header = ctx.request().getHeader("authorization");
      if (header == null) {
        return false;
      }
      String[] credentials = header.strip().split(" +", 2);
      return credentials.length == 2 && credentials[0].equalsIgnoreCase("Bearer")
          && MessageDigest.isEqual(credentials[1].getBytes(StandardCharsets.UTF_8),
              apiToken.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs blocking handler work off the event loop and answers with its result back on it; a failure of
     * either (a response Vert.x cannot write) goes to the failure handler, which logs it.
     */
    private <T> void onHandlerThread(RoutingContext ctx, Supplier<T> work, Consumer<T> answer) {
      Future.fromCompletionStage(CompletableFuture.supplyAsync(work, threads), ctx.vertx().getOrCreateContext())
          .onComplete(result -> {
            if (result.failed()) {
              ctx.fail(result.cause());
              return;
            }
            try {
              answer.accept(result.result());
            } catch (RuntimeException e) {
              ctx.fail(e);
            }
          });
    }
  }

  /** A route of the local server itself, with what serves it. */
  private record LocalRoute(BiConsumer<RoutingContext, Map<String, String>> handler) {
  }

  private static RouteTable.Entry<LocalRoute> local(String method, String path, Access access,
      BiConsumer<RoutingContext, Map<String, String>> handler) {
    // The endpoint is for functions' routes; the local server calls its handler with the context.
    return new RouteTable.Entry<>(new LocalRoute(handler), new Route(method, path, access, null));
  }

  /**
   * Reads the whole body as it came (at most {@link #MAX_BODY_BYTES}, else 413) into the context, then
   * goes on; answers {@code Expect: 100-continue} (any other expectation is 417).
   */
  private static void readRawBody(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("content-length");
    if (length != null && length.strip().matches("\\d{1,18}") && Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
      ctx.fail(413);
      return;
    }
    String expect = request.getHeader("expect");
    if (expect != null) {
      if (!expect.strip().equalsIgnoreCase("100-continue")) {
        ctx.fail(417);
        return;
      }
      if (request.version() == HttpVersion.HTTP_1_1) {
        ctx.response().writeContinue();
      }
    }
    if (request.isEnded()) {
      ctx.put(RAW_BODY, Buffer.buffer());
      ctx.next();
      return;
    }
    Buffer body = Buffer.buffer();
    AtomicBoolean tooLarge = new AtomicBoolean();
    request.handler(chunk -> {
      if (tooLarge.get()) {
        return;
      }
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        tooLarge.set(true);
        ctx.fail(413);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(end -> {
      if (!tooLarge.get()) {
        ctx.put(RAW_BODY, body);
        ctx.next();
      }
    });
    request.exceptionHandler(failure -> {
      if (!tooLarge.get() && !ctx.response().ended()) {
        tooLarge.set(true); // nothing more to read
        ctx.fail(400, failure);
      }
    });
    request.resume();
  }

  private static Buffer rawBody(RoutingContext ctx) {
    Buffer body = ctx.get(RAW_BODY);
    return body == null ? Buffer.buffer() : body;
  }

  private static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    return id == null ? Invocation.newRequestId() : id;
  }

  /**
   * What a failed request is answered: a client's mistake Vert.x found (a 4xx: no Host header, a body
   * over the limit, a broken body stream) as problem details of that status; anything else is the local
   * server's own failure, logged with the request id and answered 500.
   */
  private static void answerFailure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status >= 400 && status < 500) {
      writeProblem(ctx, switch (status) {
        case 413 -> Problem.tooLarge("The body is over the limit of " + HttpFunction.MAX_BODY_BYTES + " bytes.");
        case 417 -> Problem.expectationFailed("Only Expect: 100-continue is supported.");
        case 400 -> Problem.malformed("The request could not be read.");
        default -> problem(status, "The request cannot be served.");
      });
      return;
    }
    String requestId = requestId(ctx);
    Throwable failure = ctx.failure() != null ? ctx.failure() : new IllegalStateException("status " + status);
    JsonLog.error(requestId, "local server: " + ctx.request().method() + " " + ctx.request().path() + " failed", failure,
        new JsonObject().put("method", ctx.request().method().name()).put("path", ctx.request().path()));
    writeProblem(ctx, Problem.internal());
  }

  private static void writeProblem(RoutingContext ctx, Problem problem) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset(); // half an answer: the client must see that it failed
      return;
    }
    // Nothing a failed answer set before stays, but Allow on a 405.
    String allow = problem.status() == 405 ? ctx.response().headers().get("allow") : null;
    ctx.response().headers().clear();
    if (allow != null) {
      ctx.response().putHeader("allow", allow);
    }
    HttpEventConverter.writeResponse(ctx.response(), HttpFunction.problemEvent(problem, requestId(ctx)));
  }

  /**
   * A request HTTP/1.1 cannot read, which Vert.x hands over before any route: a request line over
   * {@link #MAX_REQUEST_LINE_BYTES} (414), headers over {@link #MAX_HEADER_BYTES} (431), or anything
   * else malformed (400). Answered with problem details, and the connection is closed, as the rest of the
   * request cannot be trusted.
   */
  private static void answerInvalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem = cause instanceof TooLongHttpLineException
        ? Problem.uriTooLong("The request line (method, path and query) is longer than " + MAX_REQUEST_LINE_BYTES
            + " bytes.")
        : cause instanceof TooLongHttpHeaderException
            ? Problem.headersTooLarge("The request's headers are larger than " + MAX_HEADER_BYTES + " bytes.")
            : Problem.malformed("The request is not valid HTTP/1.1.");
    request.response().putHeader("connection", "close");
    HttpEventConverter.writeResponse(request.response(), HttpFunction.problemEvent(problem, Invocation.newRequestId()))
        .onComplete(written -> request.connection().close());
  }

  /** Problem details of a 4xx that Vert.x may find and that has no factory of its own. */
  private static Problem problem(int status, String detail) {
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    String title = reason.charAt(0) + reason.substring(1).toLowerCase(Locale.ROOT);
    return new Problem(status, reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"), title, detail, List.of());
  }

  /** A timer that runs {@code work} on a handler thread, never twice at once (a slow run skips a tick). */
  private static long every(Vertx vertx, long millis, ExecutorService threads, Runnable work) {
    AtomicBoolean running = new AtomicBoolean();
    return vertx.setPeriodic(millis, id -> {
      if (running.compareAndSet(false, true)) {
        threads.execute(() -> {
          try {
            work.run();
          } catch (RuntimeException | Error e) {
            JsonLog.error(null, "local timer work failed", e);
          } finally {
            running.set(false);
          }
        });
      }
    });
  }

  /** A key for this run's upload URL signatures. */
  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return key;
  }

  /** Creates each handler with the no-argument constructor Lambda uses. */
  private static List<Hosted> instantiate(List<HostedFunction> functions, Map<String, String> env) {
    List<Hosted> hosted = new ArrayList<>();
    for (HostedFunction function : functions) {
      hosted.add(new Hosted(function.name(), instantiate(function.handlerClass(), env), function.scheduleSeconds(),
          function.queueRoute()));
    }
    return hosted;
  }

  /** A handler of template.yaml, created the way Lambda creates it. */
  public static LeadcycleFunction<?, ?> instantiate(String handlerClass) {
    return instantiate(handlerClass, null);
  }

  /**
   * A handler of template.yaml: one with a public constructor taking the environment (the workbench, which
   * reads its sign-in from it) gets {@code env}, the local server's, as Lambda's would read
   * {@code System.getenv()}; any other is created the way Lambda creates it. Null: always as Lambda does.
   */
  public static LeadcycleFunction<?, ?> instantiate(String handlerClass, Map<String, String> env) {
    try {
      Class<?> type = Class.forName(handlerClass);
      if (env != null) {
        try {
          return (LeadcycleFunction<?, ?>) type.getConstructor(Map.class).newInstance(Map.copyOf(env));
        } catch (NoSuchMethodException noEnvironment) {
          // created as Lambda creates it, below
        }
      }
      return (LeadcycleFunction<?, ?>) type.getDeclaredConstructor().newInstance();
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;   // the handler's own words (a setting it refuses), as Lambda's init error would say
      }
      throw new IllegalStateException("cannot create handler " + handlerClass, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create handler " + handlerClass, e);
    }
  }

  private static Path dataDirectory(Map<String, String> env) {
    return Path.of(env.getOrDefault("LEADCYCLE_DATA_DIR", ".leadcycle")).toAbsolutePath();
  }

  private static int setting(Map<String, String> env, String name, int defaultValue) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be a whole number, not " + value);
    }
  }

  private static int positive(Map<String, String> env, String name, int defaultValue) {
    int value = setting(env, name, defaultValue);
    if (value < 1) {
      throw new IllegalStateException(name + " must be 1 or more, not " + value);
    }
    return value;
  }

  /** {@code lead-management} → {@code LEAD_MANAGEMENT}, for per-function settings. */
  static String variable(String functionName) {
    return functionName.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  public int port() {
    return server.actualPort();
  }

  /** Where the object-created function {@code function} watches for files. */
  public Path bucketDirectory(String function) {
    return buckets.get(function).directory();
  }

  /** Stops taking requests, lets running handlers finish (a few seconds at most), then stops the database. */
  @Override
  public void close() {
    server.close().await();
    stop(database, handlerThreads, timers, embedded);
  }

  private static void stop(Database database, ExecutorService handlerThreads, List<Long> timers,
      EmbeddedDatabase embedded) {
    if (database != null) {
      timers.forEach(database.vertx()::cancelTimer);
    }
    if (handlerThreads != null) {
      handlerThreads.shutdown();
      try {
        if (!handlerThreads.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
          handlerThreads.shutdownNow();
        }
      } catch (InterruptedException e) {
        handlerThreads.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (database != null) {
      database.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
