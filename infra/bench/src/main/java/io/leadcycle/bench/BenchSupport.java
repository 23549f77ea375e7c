package io.leadcycle.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the benchmarks share: progress lines, the report's layout, the machine, the database's settings, the local server. */
final class BenchSupport {

  private BenchSupport() {
  }

  /** A failure whose message says it all (no stack trace). */
  static final class BenchmarkFailure extends RuntimeException {
    BenchmarkFailure(String message) {
      super(message);
    }
  }

  /** What every run starts and stops: its work directory (deleted at the end unless kept) and what a subclass adds. */
  abstract static class Resources implements AutoCloseable {
    volatile Path workDirectory;
    volatile boolean keepFiles;

    /** Stops everything; safe to call twice (the shutdown hook and the normal end). */
    @Override
    public abstract void close();

    /** The last steps of {@link #close()}: stops PostgreSQL, deletes the work directory unless kept. */
    void closeDatabaseAndFiles(BenchDatabase database) {
      if (database != null) {
        try {
          database.close();
        } catch (RuntimeException e) {
          System.err.println("bench: stopping PostgreSQL: " + e);
        }
      }
      if (workDirectory != null && !keepFiles) {
        deleteTree(workDirectory);
      }
    }
  }

  /** A benchmark's run, given its resources to register what it starts. */
  interface Run {
    void run() throws Exception;
  }

  /**
   * Runs a benchmark with its resources closed on success, failure and Ctrl-C alike, then exits: 0, or 1 on a
   * failure (the work directory is then kept; {@code kept} says what it holds, e.g. "(server.log)").
   */
  static void runAndExit(Resources resources, String kept, Run run) {
    Thread hook = new Thread(resources::close, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    int exit;
    try {
      run.run();
      exit = 0;
    } catch (Throwable failure) {
      System.err.println();
      System.err.println("BENCHMARK FAILED: " + failure.getMessage());
      if (!(failure instanceof BenchmarkFailure)) {
        failure.printStackTrace();
      }
      if (resources.workDirectory != null) {
        resources.keepFiles = true;
        System.err.println("bench: kept " + resources.workDirectory + " " + kept);
      }
      exit = 1;
    }
    resources.close();
    Runtime.getRuntime().removeShutdownHook(hook);
    System.exit(exit);
  }

  /** The database's settings as the report shows them, and the postmaster's pid (for {@link CpuMeter}). */
  record DatabaseInfo(String version, String fsync, String synchronousCommit, String sharedBuffers,
      long postmasterPid) {
  }

  /** Sets synchronous_commit for every later session and reads what the report shows. */
  static DatabaseInfo prepareDatabase(BenchDatabase database, String synchronousCommit) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      // A database-level setting overrides the server's command line (embedded PostgreSQL starts with "off").
      s.execute("ALTER DATABASE " + BenchDatabase.DATABASE + " SET synchronous_commit = " + synchronousCommit);
      String version = single(s, "SHOW server_version");
      String fsync = single(s, "SHOW fsync");
      String sharedBuffers = single(s, "SHOW shared_buffers");
      long backend = Long.parseLong(single(s, "SELECT pg_backend_pid()"));
      long postmaster = CpuMeter.parentPid(backend);
      try (Connection fresh = connect(database); Statement t = fresh.createStatement()) {
        String effective = single(t, "SHOW synchronous_commit");
        return new DatabaseInfo(version, fsync, effective, sharedBuffers, postmaster);
      }
    }
  }

  static Connection connect(BenchDatabase database) throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), BenchDatabase.USER, "");
  }

  static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Fresh planner statistics, as autovacuum would have them on a database that is not brand new. */
  static void analyze(BenchDatabase database) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
  }

  /**
   * The local server ({@code java [jvmArgs] -jar localJar}) on {@code port} with the bench database, its output in
   * {@code log}; the caller adds its own environment and starts it.
   */
  static ProcessBuilder localServer(Path localJar, List<String> jvmArgs, BenchDatabase database, int port,
      String token, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(localJar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("LEADCYCLE_PORT", Integer.toString(port));
    env.put("LEADCYCLE_API_TOKEN", token);
    env.put("DATABASE_URL", "postgresql://" + BenchDatabase.USER + "@localhost:" + database.port() + "/"
        + BenchDatabase.DATABASE + "?sslmode=disable");
    env.remove("DB_HOST");
    return builder;
  }

  /** A new random API token for the local server (32 hex digits). */
  static String newToken() {
    return HexFormat.of().formatHex(randomBytes(16));
  }

  /** Waits until the local server answers {@code GET /health} with 200 (90 s at most). */
  static void waitForHealth(Process server, int port, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new BenchmarkFailure("the local server exited with " + server.exitValue() + ":\n" + tail(log));
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new BenchmarkFailure("the local server did not answer GET /health with 200 within 90 s:\n" + tail(log));
  }

  /** Stops a child process: politely, then forcibly. */
  static void stop(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static void line(StringBuilder r, String label, String value) {
    r.append(String.format("  %-11s %s%n", label, value));
  }

  /** The report's first lines: title, command, date, machine and load average ({@code skews}: "both phases"). */
  static void header(StringBuilder r, String benchmark, String command, String startedAt, String load,
      String skews) {
    r.append('\n');
    r.append("==== Leadcycle " + benchmark + " benchmark ====\n");
    line(r, "command", command);
    line(r, "date", startedAt);
    line(r, "machine", machine());
    line(r, "load avg", load + " (other work on the machine skews " + skews + ")");
  }

  static double ms(long micros) {
    return micros / 1000.0;
  }

  /** One command-line option: its name, and its value (null for a flag). */
  record Argument(String name, String value) {
  }

  /**
   * The command line as the benchmarks take it: {@code --name value} or {@code --name=value}, and the
   * {@code flags} without a value. {@code --help} (or {@code -h}) prints {@code usage} and exits; an option
   * without its value is an {@link IllegalArgumentException}. Which names exist is the caller's to say.
   */
  static List<Argument> arguments(String[] args, String usage, java.util.Set<String> flags) {
    List<Argument> arguments = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
      if (name.equals("--help") || name.equals("-h")) {
        System.out.print(usage);
        System.exit(0);
      }
      if (flags.contains(name)) {
        arguments.add(new Argument(name, null));
        continue;
      }
      if (inline == null && i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value\n" + usage);
      }
      arguments.add(new Argument(name, inline != null ? inline : args[++i]));
    }
    return arguments;
  }

  /** The options {@code parse} reads from the command line; a bad one is printed and the run exits with 2. */
  static <T> T optionsOrExit(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return null;
    }
  }

  /** An option's integer value, at least {@code min}. */
  static int positive(String name, String value, int min) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(name + " must be an integer >= " + min + ", got " + value);
  }

  /** An option's value, one of {@code allowed}. */
  static String oneOf(String name, String value, String... allowed) {
    if (List.of(allowed).contains(value)) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ", got " + value);
  }

  static void progress(String message) {
    System.out.println("bench: " + message);
    System.out.flush();
  }

  /** "2 cores (nproc), 23.5 GiB memory, Linux 6.x, Java 17". */
  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores (nproc), " + memory() + " memory, "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
        + System.getProperty("java.version");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  static String memory() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
          .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** The last 40 lines of a log. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no server log: " + e + ")";
    }
  }

  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
