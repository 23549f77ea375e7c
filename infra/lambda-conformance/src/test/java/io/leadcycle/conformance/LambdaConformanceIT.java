package io.leadcycle.conformance;


import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.conformance.baseline.DatabaseFunction;
import io.leadcycle.conformance.baseline.HelloFunction;
import io.leadcycle.testing.InvocationLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every function of template.yaml, as AWS runs it: its shaded jar unpacked as the task root, a JVM of
 * its own under AWS's Lambda Java runtime interface client with the template's handler, memory and
 * environment, a Runtime API on loopback, the AWS services it calls on a loopback endpoint, and a
 * PostgreSQL that wants TLS and SCRAM as Aurora behind RDS Proxy does. The template drives it: a new
 * function, route, schedule, queue or bucket is covered without touching this class.
 *
 * <p>In the order a deploy and its traffic would: the migration step's custom resource (Create, which
 * creates the functions' database role), then every HTTP function (one request per route, more where
 * requests.json says), then the schedule, queue and bucket functions (their events use what the first
 * answers created: a contact for a journey tile, an import's uploaded file), then Update and Delete of
 * the custom resource. Each answer must have the shape its trigger needs; any error the runtime reports,
 * any runtime that exits, and any ERROR line in a function's log fails the suite. Prints, per function,
 * its jar's size and the time from JVM start to its first answer.
 */
class LambdaConformanceIT {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}+]+)\\+?}");
  private static final String OWNER_PASSWORD = "owner-" + UUID.randomUUID();
  private static final String FUNCTIONS_ROLE = "leadcycle_app";
  private static final String FUNCTIONS_PASSWORD = "app-" + UUID.randomUUID();

  private final Path repository = Path.of(System.getProperty("conformance.repository", "../..")).toAbsolutePath().normalize();
  private final Path work = Path.of(System.getProperty("conformance.work", "target/conformance")).toAbsolutePath();
  private final Path runtimeJars = Path.of(System.getProperty("conformance.runtime", "target/lambda-runtime")).toAbsolutePath();
  private final Path javaCommand = Path.of(System.getProperty("conformance.java",
      Path.of(System.getProperty("java.home"), "bin", "java").toString()));
  private final int parallelism = Integer.getInteger("conformance.parallelism", 2);

  private final int rounds = Integer.getInteger("conformance.rounds", 0);

  private final List<String> failures = new CopyOnWriteArrayList<>();
  /** While cold starts are measured, answers are not checked (a second Create of the same contact is a 409). */
  private volatile boolean measuring;
  private final Map<String, String> captured = new ConcurrentHashMap<>();
  /** Per function, the metrics its closing log line must show for an invocation (by request id). */
  private final Map<String, Map<String, JsonObject>> expectedMetrics = new ConcurrentHashMap<>();
  /** Per function, the ranges of its log's lines where the suite provoked errors on purpose. */
  private final Map<String, List<int[]>> expectedErrors = new ConcurrentHashMap<>();
  private final Map<String, ExecutionEnvironment> environments = Collections.synchronizedMap(new LinkedHashMap<>());
  private JsonObject fixtures;
  private FakeAws aws;
  private Map<String, String> overrides;

  @Test
  void everyFunctionOfTheTemplateAnswersItsEventsUnderAwsJavaRuntime() throws Exception {
    List<DeployedFunction> functions = DeployedFunction.readAll(repository);
    assertThat(functions).as("functions in template.yaml").isNotEmpty();
    fixtures = new JsonObject(resource("conformance/requests.json"));
    Files.createDirectories(work);
    ExecutionEnvironment.LambdaRuntime runtime = ExecutionEnvironment.LambdaRuntime.of(javaCommand, runtimeJars, work);

    try (ConformanceDatabase database = ConformanceDatabase.start(work.resolve("postgres"), OWNER_PASSWORD);
        FakeAws fakeAws = new FakeAws()) {
      aws = fakeAws;
      // The cluster's master secret (what RDS writes) and the functions' own login, as the stack creates them.
      aws.secret(DeployedFunction.secretArn("DatabaseCluster-master"), new JsonObject().put("username", "postgres")
          .put("password", OWNER_PASSWORD).put("engine", "postgres").put("port", database.port()));
      aws.secret(DeployedFunction.secretArn("DatabaseAppSecret"), new JsonObject().put("username", FUNCTIONS_ROLE)
          .put("password", FUNCTIONS_PASSWORD));
      // The erasure tombstones' hash key, as the template generates it: 64 letters and digits (read as base64).
      aws.secret(DeployedFunction.secretArn("PrivacyHashKeySecret"),
          "Conf0rmanceKeyConf0rmanceKeyConf0rmanceKeyConf0rmanceKey01234567");
      // Where AWS has an RDS Proxy endpoint and the AWS service endpoints, the suite has its own.
      overrides = new LinkedHashMap<>(aws.credentials());
      // The database's certificate is the suite's own: trusted through its PEM, as the RDS CA bundle would be.
      overrides.putAll(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(database.port()),
          "DB_SSL_ROOT_CERT", database.certificate().toString(), "AWS_ENDPOINT_URL", aws.endpoint()));

      try {
        for (DeployedFunction function : functions) {
          if (function.isCustomResource()) {
            run(function, runtime, this::createCustomResource);
          }
        }
        inParallel(functions.stream().filter(f -> !f.isCustomResource() && isHttpOnly(f)).toList(), runtime,
            this::sweepRoutes);
        inParallel(functions.stream().filter(f -> !f.isCustomResource() && !isHttpOnly(f)).toList(), runtime,
            this::sendEvents);
        importedFileIsReported(functions);
        for (DeployedFunction function : functions) {
          if (function.isCustomResource()) {
            updateAndDeleteCustomResource(environments.get(function.logicalId()));
          }
        }
        functions.forEach(f -> checkEnvironment(environments.get(f.logicalId())));
        if (rounds > 0) {
          measureColdStarts(functions, runtime);
        }
      } finally {
        ColdStarts.print(functions, environments, work);
        environments.values().forEach(ExecutionEnvironment::close);
      }
      assertThat(aws.unknown()).as("AWS calls no fake answers").isEmpty();
      assertThat(aws.containerCredentialsServed()).as("credentials asked of the container endpoint (SnapStart)")
          .isPositive();
    }
    assertThat(failures).as("conformance failures (function logs under " + work + ")").isEmpty();
  }

  private interface Work {
    void on(ExecutionEnvironment environment) throws Exception;
  }

  private Work workOf(DeployedFunction function) {
    return function.isCustomResource() ? this::createCustomResource
        : isHttpOnly(function) ? this::sweepRoutes : this::sendEvents;
  }

  private void fail(String failure) {
    if (!measuring) {
      failures.add(failure);
    }
  }

  /**
   * The cold-start benchmark ({@code infra/bench/run-coldstart.sh}): {@code conformance.rounds} times, one
   * function after the other, a new environment gets the first event the suite sends it, on the database
   * the suite left; per function the median of its rounds.
   */
  private void measureColdStarts(List<DeployedFunction> functions, ExecutionEnvironment.LambdaRuntime runtime)
      throws IOException {
    measuring = true;
    List<DeployedFunction> baselines = baselines();
    Map<String, List<ColdStarts.Round>> onDemand = new LinkedHashMap<>();
    Map<String, List<ColdStarts.Round>> snapStart = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (DeployedFunction function : baselines) {
        onDemand.computeIfAbsent(function.logicalId(), id -> new ArrayList<>())
            .add(coldStart(function, runtime, "on-demand", round));
      }
      for (DeployedFunction function : functions) {
        if (!measured(function)) {
          continue;
        }
        onDemand.computeIfAbsent(function.logicalId(), id -> new ArrayList<>())
            .add(coldStart(function, runtime, "on-demand", round));
        if (function.snapStart()) {
          snapStart.computeIfAbsent(function.logicalId(), id -> new ArrayList<>())
              .add(coldStart(function, runtime, "snap-start", round));
        }
      }
    }
    measuring = false;
    ColdStarts.printRounds(functions, baselines, onDemand, snapStart, work);
  }

  /**
   * The benchmark's baselines, measured in the same rounds under the same runtime: the least Java function
   * ({@link HelloFunction}) and a plain one answering from the same database, the same way in
   * ({@link DatabaseFunction}: JDBC, TLS, SCRAM, one query), each a deployment package as AWS takes one
   * (its classes, and its libraries in {@code lib/}).
   */
  private List<DeployedFunction> baselines() throws IOException {
    Map<String, DeployedFunction.Event> route = Map.of("Get", new DeployedFunction.Event("HttpApi",
        Map.of("Method", "GET", "Path", "/baseline", "Auth", Map.of("Authorizer", "NONE")), null));
    Path driver;
    try {
      driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> database = Map.of("DB_HOST", overrides.get("DB_HOST"), "DB_PORT", overrides.get("DB_PORT"),
        "DB_NAME", "leadcycle", "DB_USER", FUNCTIONS_ROLE, "DB_PASSWORD", FUNCTIONS_PASSWORD, "DB_SSL_MODE", "require");
    return List.of(
        new DeployedFunction("BaselineHello", HelloFunction.class.getName(), deploymentPackage(HelloFunction.class),
            1024, 20, false, Map.of(), route, null),
        new DeployedFunction("BaselineDatabase", DatabaseFunction.class.getName(),
            deploymentPackage(DatabaseFunction.class, driver), 1024, 20, false, database, route, null));
  }

  private Path deploymentPackage(Class<?> handler, Path... libraries) throws IOException {
    Path jar = work.resolve("baselines").resolve(handler.getSimpleName() + ".zip");
    Files.createDirectories(jar.getParent());
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
      String name = handler.getName().replace('.', '/') + ".class";
      out.putNextEntry(new java.util.zip.ZipEntry(name));
      try (InputStream in = handler.getClassLoader().getResourceAsStream(name)) {
        in.transferTo(out);
      }
      for (Path library : libraries) {
        out.putNextEntry(new java.util.zip.ZipEntry("lib/" + library.getFileName()));
        Files.copy(library, out);
      }
    }
    return jar;
  }

  /** {@code conformance.only}: the functions (logical ids, comma-separated) to measure, for a diagnosis; default all. */
  private static boolean measured(DeployedFunction function) {
    String only = System.getProperty("conformance.only", "").strip();
    return only.isEmpty() || List.of(only.split(",")).contains(function.logicalId());
  }

  /** A new environment of {@code function}, initialized as {@code initializationType}, up to its first answer. */
  private ColdStarts.Round coldStart(DeployedFunction function, ExecutionEnvironment.LambdaRuntime runtime,
      String initializationType, int round) throws IOException {
    Map<String, String> environment = new LinkedHashMap<>(overrides);
    environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType);
    try (ExecutionEnvironment started = ExecutionEnvironment.start(function,
        work.resolve("rounds").resolve(initializationType), runtime, environment)) {
      started.stopAfterFirstAnswer();
      try {
        workOf(function).on(started);
      } catch (ExecutionEnvironment.FirstAnswerTaken measuredEnough) {
        // the rest of the function's events are not needed
      } catch (Exception e) {
        failures.add(function.logicalId() + " (" + initializationType + " round " + (round + 1) + "): " + e.getMessage());
      }
      return ColdStarts.round(started);
    }
  }

  private void run(DeployedFunction function, ExecutionEnvironment.LambdaRuntime runtime, Work work) {
    ExecutionEnvironment environment;
    try {
      environment = ExecutionEnvironment.start(function, this.work, runtime, overrides);
    } catch (IOException e) {
      fail(function.logicalId() + ": cannot start: " + e);
      return;
    }
    environments.put(function.logicalId(), environment);
    try {
      work.on(environment);
    } catch (Exception | AssertionError e) {
      fail(function.logicalId() + ": " + e.getMessage());
    }
  }

  private void inParallel(List<DeployedFunction> functions, ExecutionEnvironment.LambdaRuntime runtime, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (DeployedFunction function : functions) {
        all.add(pool.submit(() -> run(function, runtime, work)));
      }
      for (Future<?> one : all) {
        one.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static boolean isHttpOnly(DeployedFunction function) {
    return !function.events().isEmpty() && function.events().values().stream().allMatch(e -> e.type().equals("HttpApi"));
  }

  // ---------------------------------------------------------------------------------------------------
  // HTTP API routes

  /** Every route of the function: the requests.json requests for it, else one generic request. */
  private void sweepRoutes(ExecutionEnvironment environment) {
    DeployedFunction function = environment.function();
    List<DeployedFunction.Event> routes = function.eventsOfType("HttpApi");
    Set<String> routeKeys = new java.util.LinkedHashSet<>();
    routes.forEach(r -> routeKeys.add(routeKey(r)));
    Set<String> covered = new java.util.HashSet<>();
    for (Object entry : fixtures.getJsonArray("routes")) {
      JsonObject fixture = (JsonObject) entry;
      String route = fixture.getString("route");
      if (routeKeys.contains(route)) {
        DeployedFunction.Event event = routes.stream().filter(r -> routeKey(r).equals(route)).findFirst().orElseThrow();
        send(environment, event, fixture);
        covered.add(route);
      }
    }
    for (DeployedFunction.Event route : routes) {
      if (!covered.contains(routeKey(route))) {
        send(environment, route, new JsonObject());
      }
    }
  }

  private void send(ExecutionEnvironment environment, DeployedFunction.Event route, JsonObject fixture) {
    String method = (String) route.properties().get("Method");
    String path = (String) route.properties().get("Path");
    Map<String, String> pathParameters = new LinkedHashMap<>();
    Matcher parameter = PATH_PARAMETER.matcher(path);
    JsonObject given = fixture.getJsonObject("path", new JsonObject());
    while (parameter.find()) {
      String name = parameter.group(1);
      pathParameters.put(name, given.containsKey(name) ? fill(given.getString(name))
          : name.endsWith("Id") ? UUID.randomUUID().toString() : "conformance-" + name.toLowerCase(Locale.ROOT));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = null;
    boolean base64 = false;
    if (fixture.containsKey("json")) {
      headers.put("content-type", "application/json");
      body = fill(fixture.getJsonObject("json").encode()).getBytes(StandardCharsets.UTF_8);
    } else if (fixture.containsKey("form")) {
      // What a browser posts: API Gateway passes form-encoded bodies base64-encoded.
      headers.put("content-type", "application/x-www-form-urlencoded");
      body = fill(fixture.getString("form")).getBytes(StandardCharsets.UTF_8);
      base64 = true;
    } else if (Set.of("POST", "PUT", "PATCH").contains(method)) {
      headers.put("content-type", "application/json");
      body = "{}".getBytes(StandardCharsets.UTF_8);
      base64 = true; // a generic body goes base64-encoded, as API Gateway sends anything it does not take for text
    } else if (method.equals("OPTIONS")) {
      headers.put("origin", "https://www.example.com");
      headers.put("access-control-request-method", "POST");
      headers.put("access-control-request-headers", "content-type");
    }
    if (body != null) {
      headers.put("content-length", Integer.toString(body.length));
    }
    Map<String, Object> auth = (Map<String, Object>) route.properties().getOrDefault("Auth", Map.of());
    boolean management = !"NONE".equals(auth.get("Authorizer"));
    String query = fill(fixture.getString("query", ""));
    String event = Events.http(new Events.HttpRequest(method, path, pathParameters, query, headers, body, base64,
        management));
    String name = environment.function().logicalId() + " " + method + " " + path;
    RuntimeApi.Answer answer = environment.invoke(event);
    if (answer.error()) {
      fail(name + ": the runtime reported " + answer.errorType() + ": " + answer.body());
      return;
    }
    JsonObject response = new JsonObject(answer.body());
    Integer status = response.getInteger("statusCode");
    if (status == null || status >= 500) {
      fail(name + ": answered " + status + " " + response.getString("body"));
      return;
    }
    Integer expected = fixture.getInteger("expect");
    if (expected != null && !expected.equals(status)) {
      fail(name + ": expected " + expected + ", answered " + status + " " + response.getString("body"));
      return;
    }
    String text = response.getString("body", "");
    if (Boolean.TRUE.equals(response.getBoolean("isBase64Encoded"))) {
      text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }
    if (status >= 400) {
      String type = headerOf(response, "content-type");
      JsonObject problem = text.startsWith("{") ? new JsonObject(text) : null;
      if (!"application/problem+json".equals(type) || problem == null || !status.equals(problem.getInteger("status"))
          || problem.getString("title", "").isBlank()) {
        fail(name + ": a " + status + " without problem details (" + type + "): " + text);
      }
    }
    if (fixture.containsKey("metrics")) {
      String requestId = new JsonObject(event).getJsonObject("requestContext").getString("requestId");
      expectMetrics(environment, requestId, fixture.getJsonObject("metrics"));
    }
    JsonObject capture = fixture.getJsonObject("capture");
    if (capture != null) {
      JsonObject json = new JsonObject(text);
      capture.forEach(c -> captured.put(c.getKey(), String.valueOf(json.getValue((String) c.getValue()))));
    }
  }

  private static String routeKey(DeployedFunction.Event route) {
    return route.properties().get("Method") + " " + route.properties().get("Path");
  }

  private static String headerOf(JsonObject response, String name) {
    JsonObject headers = response.getJsonObject("headers", new JsonObject());
    for (String key : headers.fieldNames()) {
      if (key.equalsIgnoreCase(name)) {
        String value = headers.getString(key);
        return value == null ? null : value.split(";")[0].strip();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------
  // Schedules, queues, buckets

  private void sendEvents(ExecutionEnvironment environment) {
    DeployedFunction function = environment.function();
    function.events().forEach((name, event) -> {
      switch (event.type()) {
        case "Schedule" -> scheduleTick(environment, name);
        case "SQS" -> queueBatch(environment, event);
        case "S3" -> objectCreated(environment, event);
        default -> fail(function.logicalId() + ": the suite does not know event type " + event.type()
            + " (" + name + "): teach it");
      }
    });
  }

  private void scheduleTick(ExecutionEnvironment environment, String eventName) {
    String name = environment.function().logicalId() + " " + eventName;
    RuntimeApi.Answer answer = environment.invoke(Events.scheduled(environment.function().logicalId(), eventName));
    if (answer.error()) {
      fail(name + ": the runtime reported " + answer.errorType() + ": " + answer.body());
      return;
    }
    JsonObject summary = new JsonObject(answer.body());
    if (!"completed".equals(summary.getString("outcome"))) {
      fail(name + ": the scheduled run did not complete: " + summary.encode());
    }
  }

  /**
   * A batch of a good message and a poison one: the answer's {@code batchItemFailures} names what SQS must
   * deliver again. A poison message the function parks on its dead-letter queue is not named; with the
   * dead-letter queue unreachable, it is (a second batch).
   */
  private void queueBatch(ExecutionEnvironment environment, DeployedFunction.Event event) {
    String queueArn = event.source();
    String queue = queueArn.substring(queueArn.lastIndexOf(':') + 1).replace(".fifo", "");
    String name = environment.function().logicalId() + " " + queue;
    JsonObject fixture = fixtures.getJsonObject("queues").getJsonObject(queue);
    if (fixture == null) {
      fail(name + ": requests.json has no messages for queue " + queue + ": add a good and a poison one");
      return;
    }
    Object message = fixture.getValue("message");
    String good = fill(message instanceof JsonObject json ? json.encode() : String.valueOf(message));
    String poison = fixture.getString("poison");
    boolean parked = fixture.getBoolean("poisonParked", false);
    JsonObject goodRecord = Events.sqsRecord(queueArn, good);
    JsonObject poisonRecord = poison == null ? null : Events.sqsRecord(queueArn, poison);
    int sentBefore = aws.sent().size();
    RuntimeApi.Answer first = environment.invoke(poison == null ? Events.sqs(goodRecord)
        : Events.sqs(goodRecord, poisonRecord));
    if (fixture.containsKey("metrics")) {
      expectMetrics(environment, first.requestId(), fixture.getJsonObject("metrics"));
    }
    List<String> failed = batchItemFailures(name, first);
    if (failed == null) {
      return;
    }
    if (poison == null || parked) {
      if (!failed.isEmpty()) {
        fail(name + ": batchItemFailures " + failed + ", expected none");
      }
    } else if (!failed.equals(List.of(poisonRecord.getString("messageId")))) {
      fail(name + ": batchItemFailures " + failed + ", expected exactly the poison message");
    }
    if (parked) {
      boolean onDeadLetterQueue = aws.sent().subList(sentBefore, aws.sent().size()).stream().anyMatch(sent ->
          poison.equals(sent.request().getString("MessageBody")));
      if (!onDeadLetterQueue) {
        fail(name + ": the poison message was not parked on the dead-letter queue");
      }
      // The dead-letter queue down: the poison message is reported instead, for SQS to deliver again (and
      // the failure to park it is logged as an error, expected here).
      aws.refuseSqs(true);
      int logBefore = environment.logLines().size();
      try {
        JsonObject again = Events.sqsRecord(queueArn, poison);
        List<String> failedAgain = batchItemFailures(name, environment.invoke(Events.sqs(again)));
        if (failedAgain != null && !failedAgain.equals(List.of(again.getString("messageId")))) {
          fail(name + ": with the dead-letter queue down, batchItemFailures " + failedAgain
              + ", expected exactly the poison message");
        }
      } finally {
        aws.refuseSqs(false);
        expectedErrors.computeIfAbsent(environment.function().logicalId(), id -> new CopyOnWriteArrayList<>())
            .add(new int[] {logBefore, environment.logLines().size()});
      }
    }
  }

  private void expectMetrics(ExecutionEnvironment environment, String requestId, JsonObject metrics) {
    expectedMetrics.computeIfAbsent(environment.function().logicalId(), id -> new ConcurrentHashMap<>())
        .put(requestId, metrics);
  }

  private List<String> batchItemFailures(String name, RuntimeApi.Answer answer) {
    if (answer.error()) {
      fail(name + ": the runtime reported " + answer.errorType() + ": " + answer.body());
      return null;
    }
    JsonArray items = new JsonObject(answer.body()).getJsonArray("batchItemFailures");
    if (items == null) {
      fail(name + ": not an SQS batch response: " + answer.body());
      return null;
    }
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString("itemIdentifier")));
    return ids;
  }

  /** The file the imports API's upload URL names, put there as a client would, then S3's notification. */
  private void objectCreated(ExecutionEnvironment environment, DeployedFunction.Event event) {
    String name = environment.function().logicalId();
    String uploadUrl = captured.get("uploadUrl");
    if (uploadUrl == null) {
      fail(name + ": no import was created (POST /v1/imports) to upload a file for");
      return;
    }
    // The presigned URL's path is /<bucket>/<key> at the fake endpoint, or <bucket>.s3...amazonaws.com/<key>.
    URI url = URI.create(uploadUrl);
    String bucket = event.source();
    String key = url.getHost().startsWith(bucket + ".") ? url.getPath().substring(1)
        : url.getPath().substring(bucket.length() + 2);
    byte[] file = fixtures.getJsonObject("imports").getString("file").getBytes(StandardCharsets.UTF_8);
    if (url.getHost().startsWith(bucket + ".")) {
      aws.object(bucket, java.net.URLDecoder.decode(key, StandardCharsets.UTF_8), file);
    } else {
      // At the fake endpoint: PUT through the presigned URL, as a client does (FakeAws checks its credential).
      putThrough(name, url, file);
    }
    if (aws.object(bucket, java.net.URLDecoder.decode(key, StandardCharsets.UTF_8)) == null) {
      fail(name + ": the file PUT to the upload URL " + uploadUrl + " did not land in the bucket");
      return;
    }
    RuntimeApi.Answer answer = environment.invoke(Events.objectCreated(bucket,
        java.net.URLDecoder.decode(key, StandardCharsets.UTF_8), file.length));
    if (answer.error()) {
      fail(name + ": the runtime reported " + answer.errorType() + ": " + answer.body());
    } else if (!answer.body().equals("null")) {
      fail(name + ": an S3 function answers nothing, not " + answer.body());
    }
  }

  private void putThrough(String name, URI url, byte[] file) {
    try {
      java.net.HttpURLConnection connection = (java.net.HttpURLConnection) url.toURL().openConnection();
      connection.setRequestMethod("PUT");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "text/csv");
      try (java.io.OutputStream out = connection.getOutputStream()) {
        out.write(file);
      }
      int status = connection.getResponseCode();
      if (status != 200) {
        fail(name + ": the upload URL answered " + status + " to the file's PUT");
      }
    } catch (IOException e) {
      fail(name + ": the file could not be PUT to its upload URL: " + e);
    }
  }

  /** The import the bucket function ran, as the imports API reports it: completed, every row imported. */
  private void importedFileIsReported(List<DeployedFunction> functions) {
    String importId = captured.get("importId");
    ExecutionEnvironment imports = functions.stream()
        .filter(f -> f.eventsOfType("HttpApi").stream().anyMatch(e -> "/v1/imports/{importId}".equals(e.properties().get("Path"))))
        .map(f -> environments.get(f.logicalId())).findFirst().orElse(null);
    if (importId == null || imports == null) {
      return; // reported where the import should have been created
    }
    String event = Events.http(new Events.HttpRequest("GET", "/v1/imports/{importId}", Map.of("importId", importId),
        "", Map.of(), null, false, true));
    JsonObject response = new JsonObject(imports.invoke(event).body());
    JsonObject job = new JsonObject(response.getString("body"));
    int rows = fixtures.getJsonObject("imports").getInteger("rows");
    JsonObject progress = job.getJsonObject("progress", new JsonObject());
    if (!"completed".equals(job.getString("status")) || !Integer.valueOf(rows).equals(progress.getInteger("rowsRead"))) {
      fail("the uploaded import file was not imported (" + rows + " rows expected): " + job.encode());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // CloudFormation custom resources

  private void createCustomResource(ExecutionEnvironment environment) {
    customResourceRequest(environment, "Create", null);
  }

  private void updateAndDeleteCustomResource(ExecutionEnvironment environment) {
    if (environment == null) {
      return;
    }
    String physicalId = captured.get(environment.function().logicalId() + ".PhysicalResourceId");
    customResourceRequest(environment, "Update", physicalId);
    customResourceRequest(environment, "Delete", physicalId);
  }

  private void customResourceRequest(ExecutionEnvironment environment, String type, String physicalId) {
    DeployedFunction function = environment.function();
    String name = function.logicalId() + " " + type;
    String requestId = UUID.randomUUID().toString();
    String functionArn = "arn:aws:lambda:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT + ":function:leadcycle-"
        + function.logicalId();
    RuntimeApi.Answer answer = environment.invoke(Events.customResource(type, requestId,
        aws.cloudFormationResponseUrl(requestId), functionArn, function.customResource(), physicalId));
    if (answer.error()) {
      fail(name + ": the runtime reported " + answer.errorType() + ": " + answer.body());
      return;
    }
    JsonObject response = aws.cloudFormationResponse(requestId);
    if (response == null) {
      fail(name + ": nothing reached CloudFormation's response URL");
    } else if (!"SUCCESS".equals(response.getString("Status")) || !requestId.equals(response.getString("RequestId"))
        || response.getString("PhysicalResourceId", "").isBlank()
        || (physicalId != null && !physicalId.equals(response.getString("PhysicalResourceId")))) {
      fail(name + ": CloudFormation was told " + response.encode());
    } else {
      captured.put(function.logicalId() + ".PhysicalResourceId", response.getString("PhysicalResourceId"));
    }
  }

  // ---------------------------------------------------------------------------------------------------

  /** What must hold for every environment at the end: alive, a clean protocol, no ERROR in its log. */
  private void checkEnvironment(ExecutionEnvironment environment) {
    if (environment == null) {
      return;
    }
    String name = environment.function().logicalId();
    if (!environment.alive()) {
      fail(name + ": the runtime exited; its log ends:\n" + environment.logTail(30));
    }
    if (environment.api().initError().isDone()) {
      fail(name + ": " + environment.api().initError().join());
    }
    environment.api().violations().forEach(v -> fail(name + ": Runtime API protocol: " + v));
    if (environment.function().snapStart()) {
      Integer connections = environment.connectionsAtCheckpoint();
      if (connections == null) {
        fail(name + ": a SnapStart function never asked to be restored (/restore/next)");
      } else if (connections != 0) {
        fail(name + ": " + connections + " database connection(s) open where Lambda takes the snapshot");
      }
    }
    List<String> lines = environment.logLines();
    List<JsonObject> closing = InvocationLog.closingLines(String.join("\n", lines));
    if (closing.isEmpty() || !Boolean.TRUE.equals(closing.get(0).getBoolean("coldStart"))
        || closing.stream().skip(1).anyMatch(line -> !Boolean.FALSE.equals(line.getBoolean("coldStart")))) {
      fail(name + ": not exactly its first invocation's log line says coldStart: true");
    }
    for (JsonObject line : closing) {
      try {
        Map<String, Long> metrics = InvocationLog.metricsOf(line);
        JsonObject expected = expectedMetrics.getOrDefault(name, Map.of()).get(line.getString("requestId"));
        if (expected != null) {
          expected.forEach(e -> {
            if (!Long.valueOf(((Number) e.getValue()).longValue()).equals(metrics.get(e.getKey()))) {
              fail(name + ": " + e.getKey() + " " + metrics.get(e.getKey()) + ", expected " + e.getValue()
                  + " in " + line.encode());
            }
          });
        }
      } catch (AssertionError e) {
        fail(name + ": not a CloudWatch EMF line (" + e.getMessage().strip() + "): " + line.encode());
      }
    }
    expectedMetrics.getOrDefault(name, Map.of()).keySet().stream()
        .filter(id -> closing.stream().noneMatch(line -> id.equals(line.getString("requestId"))))
        .forEach(id -> fail(name + ": no closing log line for request " + id));
    List<int[]> provoked = expectedErrors.getOrDefault(name, List.of());
    for (int i = 0, reported = 0; i < lines.size() && reported < 3; i++) {
      int line = i;
      if (lines.get(i).contains("\"level\":\"ERROR\"") && provoked.stream().noneMatch(r -> line >= r[0] && line < r[1])) {
        fail(name + ": an ERROR in its log: " + lines.get(i));
        reported++;
      }
    }
  }

  private String fill(String text) {
    Matcher placeholder = PLACEHOLDER.matcher(text);
    StringBuilder filled = new StringBuilder();
    while (placeholder.find()) {
      String value = captured.get(placeholder.group(1));
      if (value == null) {
        throw new IllegalStateException("${" + placeholder.group(1) + "} was not captured: the request that "
            + "captures it failed or comes later (requests.json)");
      }
      placeholder.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    return placeholder.appendTail(filled).toString();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = LambdaConformanceIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
