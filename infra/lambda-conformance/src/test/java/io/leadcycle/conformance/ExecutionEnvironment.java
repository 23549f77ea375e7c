package io.leadcycle.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * One Lambda execution environment of one function, started the way AWS's managed Java runtime starts
 * it: the function's jar unpacked as the task root ({@code /var/task} in AWS; the working directory, whose
 * classes the runtime's customer class loader reads), a JVM with the runtime's flags running the runtime
 * interface client's {@code AWSLambda} main class with the template's {@code Handler}, Lambda's reserved
 * environment variables plus the template's, and the Runtime API it polls ({@link RuntimeApi}).
 */
final class ExecutionEnvironment implements AutoCloseable {

  /** What AWS's java21 image's bootstrap passes beside the memory-derived sizes (its public image). */
  private static final List<String> RUNTIME_FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto",
      "-Djava.net.preferIPv4Stack=true",
      // How the runtime hands org.crac's global context to its own (SnapStart's before-checkpoint and
      // after-restore hooks).
      "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");

  private final DeployedFunction function;
  private final RuntimeApi api;
  private final Process process;
  private final Path log;
  private final long startedNanos;
  private volatile Long firstAnswerNanos;
  private volatile boolean stopAfterFirstAnswer;
  private volatile Integer connectionsAtCheckpoint;

  /** Thrown by {@link #invoke} after the first answer when only the cold start is measured. */
  static final class FirstAnswerTaken extends RuntimeException {
    FirstAnswerTaken() {
      super("only the first answer is measured", null, false, false);
    }
  }

  private ExecutionEnvironment(DeployedFunction function, RuntimeApi api, Process process, Path log, long startedNanos) {
    this.function = function;
    this.api = api;
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code function}'s environment in {@code work}/{logical id}; {@code overrides} replace or add
   * environment variables (where the database and the AWS endpoint are, the credentials).
   */
  static ExecutionEnvironment start(DeployedFunction function, Path work, LambdaRuntime runtime,
      Map<String, String> overrides) throws IOException {
    List<Path> runtimeClassPath = runtime.classPath();
    Path home = work.resolve(function.logicalId());
    deleteRecursively(home);
    Path taskRoot = home.resolve("task");
    unpack(function.jar(), taskRoot);
    String functionName = "leadcycle-" + function.logicalId();
    String arn = "arn:aws:lambda:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT + ":function:" + functionName + ":live";
    RuntimeApi api = new RuntimeApi(arn);

    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "en_US.UTF-8");
    env.put("TZ", ":UTC");
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", runtimeClassPath.get(0).getParent().toString());
    env.put("_HANDLER", function.handler());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    env.put("AWS_LAMBDA_RUNTIME_API", api.address());
    env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/06/[1]0123456789abcdef0123456789abcdef");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", function.snapStart() ? "snap-start" : "on-demand");
    env.put("AWS_REGION", FakeAws.REGION);
    env.put("AWS_DEFAULT_REGION", FakeAws.REGION);
    env.putAll(function.environment());
    env.putAll(overrides);
    // With SnapStart, Lambda gives credentials through its container endpoint, not as keys: none may be
    // kept in a snapshot.
    List<String> unused = "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"))
        ? List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
        : List.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    unused.forEach(env::remove);

    List<String> command = new ArrayList<>();
    command.add(runtime.javaCommand().toString());
    // Heap, metaspace and code cache as the runtime sizes them from the function's memory (85%, 10%, 5%).
    command.add("-XX:MaxHeapSize=" + function.memoryMb() * 1024 * 85 / 100 + "k");
    command.add("-XX:MaxMetaspaceSize=" + function.memoryMb() * 1024 * 10 / 100 + "k");
    command.add("-XX:ReservedCodeCacheSize=" + function.memoryMb() * 1024 * 5 / 100 + "k");
    command.addAll(RUNTIME_FLAGS);
    // The runtime client's own library, unpacked once: left to itself, every JVM unpacks it to the same
    // /tmp/.libaws-lambda-jni.so (one /tmp per environment in AWS), and JVMs started together break each other's.
    command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + runtime.nativeClient());
    // The runtime stops tiered compilation at C1 unless the function's JAVA_TOOL_OPTIONS says otherwise.
    if (!env.getOrDefault("JAVA_TOOL_OPTIONS", "").contains("TieredStopAtLevel")) {
      command.add("-XX:TieredStopAtLevel=1");
    }
    // For diagnosis only (e.g. -Xlog:class+load:file=classes.log:uptime), never in CI.
    String extra = System.getProperty("conformance.jvmOptions", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, runtimeClassPath.stream().map(Path::toString).toList()));
    command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
    command.add(function.handler());

    Path log = home.resolve("function.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process = builder.start();
    ExecutionEnvironment environment = new ExecutionEnvironment(function, api, process, log, started);
    String databasePort = env.get("DB_PORT");
    if (databasePort != null) {
      api.atCheckpoint(() -> environment.connectionsAtCheckpoint = environment.connectionsTo(Integer.parseInt(databasePort)));
    }
    return environment;
  }

  /** The JVM's established TCP connections to {@code port} (Linux: its sockets in /proc/net/tcp*); -1 unknown. */
  int connectionsTo(int port) {
    try {
      java.util.Set<String> sockets = new java.util.HashSet<>();
      try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
        for (Path fd : fds.toList()) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
              sockets.add(target.substring("socket:[".length(), target.length() - 1));
            }
          } catch (IOException closedMeanwhile) {
            // the descriptor went away while listed
          }
        }
      }
      int established = 0;
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        Path file = Path.of(table);
        if (!Files.exists(file)) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
          String[] columns = line.trim().split("\\s+");
          String remotePort = columns[2].substring(columns[2].indexOf(':') + 1);
          if (Integer.parseInt(remotePort, 16) == port && columns[3].equals("01") && sockets.contains(columns[9])) {
            established++;
          }
        }
      }
      return established;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Open connections to the database when the runtime stood where Lambda takes the snapshot; null if it never did. */
  Integer connectionsAtCheckpoint() {
    return connectionsAtCheckpoint;
  }

  /** AWS's Java runtime as the suite has it: a JVM, the runtime interface client's jars and its native library. */
  record LambdaRuntime(Path javaCommand, List<Path> classPath, Path nativeClient) {

    /** The runtime of the jars in {@code directory}, its native library unpacked into {@code work}. */
    static LambdaRuntime of(Path javaCommand, Path directory, Path work) throws IOException {
      List<Path> jars;
      try (Stream<Path> all = Files.list(directory)) {
        jars = all.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      }
      Path client = jars.stream().filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no runtime interface client in " + directory));
      String architecture = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
      Path nativeClient = work.resolve("libaws-lambda-jni.so");
      try (JarFile jar = new JarFile(client.toFile());
          InputStream in = jar.getInputStream(jar.getEntry("jni/libaws-lambda-jni.linux-" + architecture + ".so"))) {
        Files.createDirectories(work);
        Files.copy(in, nativeClient, StandardCopyOption.REPLACE_EXISTING);
      }
      return new LambdaRuntime(javaCommand, jars, nativeClient);
    }
  }

  DeployedFunction function() {
    return function;
  }

  /** Invokes the function with {@code event} and waits for its answer (at most its timeout, and some). */
  RuntimeApi.Answer invoke(String event) {
    if (stopAfterFirstAnswer && firstAnswerNanos != null) {
      throw new FirstAnswerTaken();
    }
    var answer = api.invoke(event, Duration.ofSeconds(function.timeoutSeconds()));
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(function.timeoutSeconds() + 60L);
    while (true) {
      try {
        RuntimeApi.Answer done = answer.get(100, TimeUnit.MILLISECONDS);
        if (firstAnswerNanos == null) {
          firstAnswerNanos = done.answeredAtNanos();
        }
        return done;
      } catch (TimeoutException stillRunning) {
        if (!process.isAlive()) {
          throw new IllegalStateException(function.logicalId() + ": the runtime exited with " + process.exitValue()
              + " before answering; its log ends:\n" + logTail(40));
        }
        if (System.nanoTime() > waitUntil) {
          throw new IllegalStateException(function.logicalId() + ": no answer within the function's timeout; "
              + "its log ends:\n" + logTail(40));
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException(function.logicalId() + ": " + e.getCause().getMessage() + "\n" + logTail(40));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** For the cold-start benchmark: every {@link #invoke} after the first answer throws {@link FirstAnswerTaken}. */
  void stopAfterFirstAnswer() {
    stopAfterFirstAnswer = true;
  }

  RuntimeApi api() {
    return api;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Milliseconds from the JVM's start to {@code nanos}. */
  double millisSinceStart(long nanos) {
    return (nanos - startedNanos) / 1_000_000.0;
  }

  /** JVM start to the first answer, in milliseconds; null before one. */
  Double coldStartMillis() {
    return firstAnswerNanos == null ? null : millisSinceStart(firstAnswerNanos);
  }

  List<String> logLines() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logTail(int lines) {
    List<String> all = logLines();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  Path log() {
    return log;
  }

  /** Ends the environment as Lambda ends an idle one: the process is killed. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    api.close();
  }

  private static void unpack(Path jar, Path into) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist: build the functions first (./mvnw verify packages them "
          + "before this suite runs)");
    }
    Files.createDirectories(into);
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IllegalStateException("an entry outside the jar's root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          try (InputStream in = file.getInputStream(entry)) {
            Files.copy(in, target);
          }
        }
      }
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
