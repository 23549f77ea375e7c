package io.leadcycle.local;

import io.leadcycle.domain.WebhookUrlPolicy;
import io.leadcycle.platform.LeadcycleFunction;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.runtime.JavaLogging;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.users.UserService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs every Leadcycle function on one machine, each by its trigger, calling the very handler class
 * that Lambda calls with the event AWS would send:
 * <ul>
 *   <li>HTTP functions: every request becomes the API Gateway HTTP API event of its route (management
 *       routes need {@code Authorization: Bearer <token>} of a user, whose claims go into the event as the
 *       JWT authorizer puts a token's in AWS);</li>
 *   <li>scheduled functions: a timer sends EventBridge's scheduled event every few seconds;</li>
 *   <li>queue functions: an in-process queue ({@link LocalQueue}) delivers SQS records, redelivers
 *       failed ones and keeps a dead-letter list; writers' nudges ({@code SCORING_NUDGE_QUEUE_URL},
 *       {@code NOTIFICATION_NUDGE_QUEUE_URL}) go to the queue of the function the template names
 *       ({@link LocalNudge});</li>
 *   <li>object-created functions: a directory under the data directory stands in for the bucket
 *       ({@link LocalBucket});</li>
 *   <li>custom resources (db-migrate): invoked once at start, as the deploy step runs before the
 *       functions update.</li>
 * </ul>
 * {@code POST /_local/invoke/{function}} feeds any function an event by hand. Without a configured
 * database it starts an embedded PostgreSQL whose data stays in the data directory.
 *
 * <p>Its parts: {@link LocalDatabase} (the database), {@link HandlerThreads} (where handlers run),
 * {@link LocalFunctions} (the handlers), {@link LocalTimers} (schedules, deliveries, scans),
 * {@link LocalQueues}, {@link LocalBuckets}; on the HTTP side {@link LocalRouter} (routing to the
 * functions), {@link LocalApi} (the server's own routes), {@link LocalUploads}, {@link ManagementAccess}
 * (the token), {@link LocalRequests} (request id, raw body) and {@link LocalProblems} (failure answers).
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

  private final HttpServer server;
  private final Running running;
  private final LocalBuckets buckets;
  private final LocalTimers timers;

  private LocalServer(HttpServer server, Running running, LocalBuckets buckets, LocalTimers timers) {
    this.server = server;
    this.running = running;
    this.buckets = buckets;
    this.timers = timers;
  }

  public static void main(String[] args) {
    JavaLogging.routeToJson();
    Map<String, String> env = System.getenv();
    LocalServer server;
    ApiToken token;
    try {
      token = ApiToken.resolve(env, LocalSettings.dataDirectory(env));
      server = start(env, LocalSettings.setting(env, "LEADCYCLE_PORT", 8080), token.value());
    } catch (Exception | Error e) { // Vert.x's await() also throws checked ones (a taken port's BindException)
      JsonLog.error(null, "Leadcycle could not start: " + e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    JsonLog.info(null, token.describe(), null);
    JsonLog.info(null, token.describeWorkbench(server.port()), null);
    JsonLog.info(null, "Leadcycle is listening on http://localhost:" + server.port()
        + " (GET /health, GET /openapi.json, the workbench at /workbench/)",
        new JsonObject().put("dataDirectory", LocalSettings.dataDirectory(env).toString()));
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
    Path dataDirectory = LocalSettings.dataDirectory(env);
    Running running = new Running();
    try {
      LocalDatabase database = running.add(LocalDatabase.open(env, dataDirectory));
      HandlerThreads threads = running.add(new HandlerThreads(LocalSettings.positive(env, "LEADCYCLE_HANDLER_THREADS", 64)));
      LocalTimers timers = running.add(new LocalTimers(database.vertx(), threads));

      LocalFunctions hosted = LocalFunctions.create(functions, env);
      hosted.runCustomResources();
      // The first start's token stays the "admin" user's (docs/api.md, "People and roles").
      UserService users = new UserService(database.database());
      users.ensureFirstStart(apiToken).await();
      timers.schedule(hosted, env);
      LocalQueues queues = LocalQueues.create(hosted, env);
      AwsResources.DEAD_LETTERS.install(queues.deadLetters());
      // Writers nudge the same functions as in AWS, through the in-process queues (docs/scoring.md).
      Map<String, String> consumers = SamTemplate.bundledQueueVariableConsumers();
      for (Nudge.Target target : Nudge.Target.values()) {
        AwsResources.nudge(target).install(LocalNudge.of(target, queues, consumers));
      }
      queues.deliverOn(timers, threads::execute, env);
      LocalBuckets buckets = LocalBuckets.create(hosted, dataDirectory);
      buckets.scanOn(timers, env);
      LocalImportFiles imports = buckets.importFiles();

      LocalRouter router = new LocalRouter(hosted.httpFunctions(), new LocalApi(hosted, queues, threads),
          new ManagementAccess(users, env, dataDirectory), imports == null ? null : new LocalUploads(imports), threads);
      HttpServer server = listen(database.vertx(), router.router(database.vertx()), port);
      running.add(() -> server.close().await());
      if (imports != null) {
        imports.listeningOn(server.actualPort());
        AwsResources.IMPORT_FILES.install(imports);
      }
      return new LocalServer(server, running, buckets, timers);
    } catch (Throwable e) {
      // Whatever was started stops again, so that a failed start (a port in use, a failed migration) exits
      // and leaves no PostgreSQL, timer or thread behind. Throwable: Vert.x's await() throws checked ones too.
      try {
        running.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * Listens with API Gateway's limits; a request HTTP/1.1 cannot read is answered before any route. A port
   * another program holds fails the start with the setting to change.
   */
  private static HttpServer listen(Vertx vertx, Router router, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
            .setMaxHeaderSize(MAX_HEADER_BYTES))
        .requestHandler(router)
        .invalidRequestHandler(LocalProblems::answerInvalidRequest);
    try {
      return server.listen(port).await();
    } catch (Exception e) { // await() rethrows the bind's own exception, checked or not
      if (e instanceof BindException) {
        throw new IllegalStateException("LEADCYCLE_PORT " + port + " is taken: another program listens on port " + port
            + "; stop it, or set LEADCYCLE_PORT to a free port", e);
      }
      throw new IllegalStateException("cannot listen on LEADCYCLE_PORT " + port + ": " + e.getMessage(), e);
    }
  }

  /** A handler of template.yaml, created the way Lambda creates it. */
  public static LeadcycleFunction<?, ?> instantiate(String handlerClass) {
    return LocalFunctions.instantiate(handlerClass, null);
  }

  /**
   * A handler of template.yaml: one with a public constructor taking the environment (the workbench, which
   * reads its sign-in from it) gets {@code env}, the local server's, as Lambda's would read
   * {@code System.getenv()}; any other is created the way Lambda creates it. Null: always as Lambda does.
   */
  public static LeadcycleFunction<?, ?> instantiate(String handlerClass, Map<String, String> env) {
    return LocalFunctions.instantiate(handlerClass, env);
  }

  public int port() {
    return server.actualPort();
  }

  /** Where the object-created function {@code function} watches for files. */
  public Path bucketDirectory(String function) {
    return buckets.directory(function);
  }

  /**
   * How many runs the timer of {@code function} has finished (a scheduled function's runs, a queue's
   * delivery rounds, a bucket's scans), so that a test waits for "two more runs" rather than for a time;
   * throws for a function without a timer.
   */
  public long finishedRuns(String function) {
    return timers.finishedRuns(function);
  }

  /** Stops taking requests, lets running handlers finish (a few seconds at most), then stops the database. */
  @Override
  public void close() {
    running.close();
  }

  /**
   * What a start has started, stopped in reverse order: the HTTP server, the timers, the handler threads
   * (which finish what runs), then the database.
   */
  private static final class Running implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();

    <T extends AutoCloseable> T add(T part) {
      started.add(part);
      return part;
    }

    /** Stops every part, even when one fails to (the database above all); then throws the first failure. */
    @Override
    public void close() {
      RuntimeException failure = null;
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          if (failure == null) {
            failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      started.clear();
      if (failure != null) {
        throw failure;
      }
    }
  }
}
