package io.leadcycle.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of the local server over the measured phase only (started and stopped with {@code jcmd},
 * so start-up and warm-up stay out of it), and where its CPU samples went: the top frames by own samples,
 * and the share of the samples under each part of the request path (a frame anywhere on the stack).
 */
final class ServerProfile {

  /** The parts of a submission's path a sample is counted under (inclusive: a sample may count in several). */
  private static final List<Map.Entry<String, Predicate<String>>> PARTS = List.of(
      Map.entry("routing (route tables)", m -> m.startsWith("io.leadcycle.http.RouteTable.")),
      Map.entry("closing log line (JsonLog)", m -> m.startsWith("io.leadcycle.runtime.JsonLog.")),
      Map.entry("signature (StandardWebhooks)", m -> m.startsWith("io.leadcycle.http.StandardWebhooks.")),
      Map.entry("body parsing (SubmissionBody)", m -> m.startsWith("io.leadcycle.functions.formintake.SubmissionBody.")),
      Map.entry("API Gateway event (HttpEventConverter)", m -> m.startsWith("io.leadcycle.local.HttpEventConverter.")),
      Map.entry("intake statements (IntakeService)", m -> m.startsWith("io.leadcycle.intake.IntakeService.")),
      Map.entry("PostgreSQL client (io.vertx.pgclient)", m -> m.startsWith("io.vertx.pgclient.")),
      Map.entry("HTTP server (Vert.x http, Netty codec)", m -> m.startsWith("io.vertx.core.http.impl.")),
      Map.entry("JSON encoding (Jackson)", m -> m.startsWith("com.fasterxml.jackson.")),
      Map.entry("thread hand-offs (park/unpark)", m -> m.startsWith("java.util.concurrent.locks.LockSupport.")),
      Map.entry("new ids (UUID.randomUUID)", m -> m.equals("java.util.UUID.randomUUID")));

  private static final String NAME = "leadcycle-intake";

  /** The server's JVM flag for whole stacks: Netty's and the SQL client's are deeper than JFR's default 64. */
  static final String STACK_DEPTH = "-XX:FlightRecorderOptions:stackdepth=512";

  private ServerProfile() {
  }

  static void start(Process server) throws IOException, InterruptedException {
    jcmd(server, "JFR.start", "name=" + NAME, "settings=profile");
  }

  static void stop(Process server, Path file) throws IOException, InterruptedException {
    jcmd(server, "JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
  }

  private static void jcmd(Process server, String... command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> line = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(server.pid())));
    line.addAll(List.of(command));
    Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new BenchSupport.BenchmarkFailure(String.join(" ", line) + " failed: " + output);
    }
  }

  /** The report's lines: samples, the parts of the path, then the top {@code top} frames by own samples. */
  static String summary(Path file, int top) throws IOException {
    Map<String, Integer> own = new HashMap<>();
    int[] parts = new int[PARTS.size()];
    int total = 0;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        List<RecordedFrame> frames = stack.getFrames();
        if (frames.isEmpty()) {
          continue;
        }
        total++;
        own.merge(name(frames.get(0)), 1, Integer::sum);
        Set<String> methods = new HashSet<>();
        frames.forEach(f -> methods.add(name(f)));
        for (int i = 0; i < PARTS.size(); i++) {
          if (methods.stream().anyMatch(PARTS.get(i).getValue())) {
            parts[i]++;
          }
        }
      }
    }
    StringBuilder r = new StringBuilder();
    BenchSupport.line(r, "samples", total + " CPU samples of the local server (JFR, settings=profile)");
    if (total == 0) {
      return r.toString();
    }
    for (int i = 0; i < PARTS.size(); i++) {
      BenchSupport.line(r, "", String.format("%5.1f %%  under %s", 100.0 * parts[i] / total, PARTS.get(i).getKey()));
    }
    int all = total;
    own.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
        .forEach(e -> BenchSupport.line(r, "", String.format("%5.1f %%  own  %s", 100.0 * e.getValue() / all, e.getKey())));
    return r.toString();
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }
}
