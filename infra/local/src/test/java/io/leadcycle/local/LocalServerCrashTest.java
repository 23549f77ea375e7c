package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local server as a user runs it, in a JVM of its own on an embedded PostgreSQL: killed with SIGKILL it
 * leaves that PostgreSQL running, and the next start on the same data directory stops it and is healthy within
 * 10 s; a taken port ends the start at once, naming the setting, with no PostgreSQL left behind.
 */
class LocalServerCrashTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofMillis(500)).build();

  @TempDir
  Path dataDirectory;

  @Test
  void aServerKilledWithSigkillRestartsHealthyWithinTenSeconds() throws Exception {
    int port = freePort();
    LocalServerProcess first = LocalServerProcess.start(dataDirectory, port, "first", false);
    try {
      first.awaitHealthy(Duration.ofSeconds(90)); // a first start creates the cluster and migrates it
      long orphan = postmasterPid();

      first.process.destroyForcibly(); // kill -9: no shutdown hook runs
      assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(isAlive(orphan)).as("the killed server's PostgreSQL lives on").isTrue();

      LocalServerProcess second = LocalServerProcess.start(dataDirectory, port, "second", false);
      try {
        long started = System.nanoTime();
        second.awaitHealthy(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        assertThat(isAlive(orphan)).isFalse();
        assertThat(postmasterPid()).isNotEqualTo(orphan);
        assertThat(second.output()).anySatisfy(line -> {
          assertThat(line).contains("\"level\":\"WARN\"", "pid " + orphan);
        });
      } finally {
        second.stop();
      }
      assertThat(postgresProcessesOf(dataDirectory)).isEmpty();
    } finally {
      first.process.destroyForcibly();
      stopPostgresOf(dataDirectory);
    }
  }

  @Test
  void aTakenPortEndsTheStartNamingTheSettingAndLeavesNoPostgres() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      // With its timers, as a user runs it: they kept the JVM alive without a listener when the start failed.
      LocalServerProcess server = LocalServerProcess.start(dataDirectory, port, "taken-port", true);
      try {
        assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();

        assertThat(server.process.exitValue()).isNotZero();
        assertThat(String.join("\n", server.output())).contains("LEADCYCLE_PORT " + port + " is taken");
        assertThat(postgresProcessesOf(dataDirectory)).isEmpty();
        assertThat(dataDirectory.resolve("postgres/postmaster.pid")).doesNotExist();
      } finally {
        server.process.destroyForcibly();
        stopPostgresOf(dataDirectory);
      }
    }
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postgres/postmaster.pid")).get(0).strip());
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The postmasters started on this data directory ({@code postgres -D <dataDirectory>/postgres ...}). */
  static List<ProcessHandle> postgresProcessesOf(Path dataDirectory) {
    String cluster = dataDirectory.resolve("postgres").toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
        .filter(process -> process.info().arguments().map(args -> Arrays.asList(args).contains(cluster)).orElse(false))
        .toList();
  }

  /** A failed test leaves no PostgreSQL behind on the CI machine. */
  private static void stopPostgresOf(Path dataDirectory) {
    postgresProcessesOf(dataDirectory).forEach(ProcessHandle::destroyForcibly);
  }

  /** {@code LocalServer}'s main in a JVM of its own, with the test's classpath; its output goes to a file. */
  private record LocalServerProcess(Process process, Path log, int port) {

    static LocalServerProcess start(Path dataDirectory, int port, String name, boolean schedules) throws IOException {
      Path log = dataDirectory.resolve(name + ".log");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // A short-lived JVM on a shared 2-core machine: start fast rather than run fast.
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
          "-cp", System.getProperty("java.class.path"), LocalServer.class.getName())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      // The embedded database of this data directory, whatever the machine running the tests configures.
      env.keySet().removeIf(variable -> variable.startsWith("LEADCYCLE_") || variable.startsWith("DB_")
          || variable.startsWith("DATABASE_"));
      env.put("LEADCYCLE_DATA_DIR", dataDirectory.toString());
      env.put("LEADCYCLE_PORT", Integer.toString(port));
      env.put("LEADCYCLE_API_TOKEN", "crash-test-token");
      if (!schedules) {
        env.put("LEADCYCLE_SCHEDULE_SECONDS", "0"); // no scheduled runs: only the start is under test
      }
      return new LocalServerProcess(builder.start(), log, port);
    }

    /** Polls {@code GET /health} until it answers 200; fails with the server's output after {@code bound}. */
    void awaitHealthy(Duration bound) throws Exception {
      long deadline = System.nanoTime() + bound.toNanos();
      while (System.nanoTime() < deadline) {
        assertThat(process.isAlive()).as("the server runs: %s", String.join("\n", output())).isTrue();
        try {
          int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
              .timeout(Duration.ofSeconds(1)).GET().build(), BodyHandlers.discarding()).statusCode();
          if (status == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet, or a connection of the killed server's
        }
        Thread.sleep(100);
      }
      throw new AssertionError("not healthy within " + bound + ":\n" + String.join("\n", output()));
    }

    List<String> output() {
      try {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** SIGTERM, as Ctrl-C: the shutdown hook stops the server and its PostgreSQL. */
    void stop() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
