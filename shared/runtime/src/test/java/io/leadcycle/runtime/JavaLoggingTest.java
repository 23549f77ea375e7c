package io.leadcycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JavaLoggingTest {

  @Test
  void slf4jAndJavaUtilLoggingBothWriteJsonLines() {
    List<String> lines = captureStandardOutput(() -> {
      JavaLogging.routeToJson();
      JavaLogging.routeToJson();
      org.slf4j.Logger slf4j = LoggerFactory.getLogger("io.leadcycle.test.slf4j");
      slf4j.info("hello {}", "world");
      slf4j.warn("careful");
      slf4j.debug("not shown at INFO");
      LogRecord record = new LogRecord(Level.SEVERE, "failed to {0} the {1}");
      record.setParameters(new Object[] {"open", "door"});
      record.setThrown(new IllegalStateException("stuck"));
      record.setLoggerName("io.leadcycle.test.jul");
      Logger.getLogger("io.leadcycle.test.jul").log(record);
      Logger.getLogger("io.leadcycle.test.jul").fine("not shown either");
    });

    List<JsonObject> ours = new ArrayList<>();
    for (String line : lines) {
      // Every line is one JSON object, whoever wrote it.
      JsonObject json = new JsonObject(line);
      if (String.valueOf(json.getString("logger")).startsWith("io.leadcycle.test.")) {
        ours.add(json);
      }
    }
    assertThat(lines).noneMatch(line -> line.startsWith("SLF4J:"));
    assertThat(ours).hasSize(3);

    JsonObject info = ours.get(0);
    assertThat(info.fieldNames()).containsExactlyInAnyOrder("time", "level", "logger", "message");
    assertThat(info.getString("level")).isEqualTo("INFO");
    assertThat(info.getString("logger")).isEqualTo("io.leadcycle.test.slf4j");
    assertThat(info.getString("message")).isEqualTo("hello world");
    assertThat(java.time.Instant.parse(info.getString("time"))).isNotNull();

    assertThat(ours.get(1).getString("level")).isEqualTo("WARN");
    assertThat(ours.get(1).getString("message")).isEqualTo("careful");

    JsonObject error = ours.get(2);
    assertThat(error.getString("level")).isEqualTo("ERROR");
    assertThat(error.getString("logger")).isEqualTo("io.leadcycle.test.jul");
    assertThat(error.getString("message")).isEqualTo("failed to open the door");
    assertThat(error.getString("error")).isEqualTo("java.lang.IllegalStateException: stuck");
    assertThat(error.getString("stackTrace"))
        .startsWith("java.lang.IllegalStateException: stuck")
        .contains("at io.leadcycle.runtime.JavaLoggingTest");
  }

  @Test
  void slf4jIsBoundToJavaUtilLogging() {
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).isEqualTo("org.slf4j.jul.JDK14LoggerFactory");
  }

  @Test
  void levelNames() {
    assertThat(JavaLogging.level(null)).isEqualTo(Level.INFO);
    assertThat(JavaLogging.level(" debug ")).isEqualTo(Level.FINE);
    assertThat(JavaLogging.level("WARN")).isEqualTo(Level.WARNING);
    assertThat(JavaLogging.level("error")).isEqualTo(Level.SEVERE);
    assertThat(JavaLogging.level("loud")).isNull();
    assertThat(JavaLogging.levelName(Level.SEVERE)).isEqualTo("ERROR");
    assertThat(JavaLogging.levelName(Level.WARNING)).isEqualTo("WARN");
    assertThat(JavaLogging.levelName(Level.INFO)).isEqualTo("INFO");
    assertThat(JavaLogging.levelName(Level.CONFIG)).isEqualTo("DEBUG");
    assertThat(JavaLogging.levelName(Level.FINEST)).isEqualTo("DEBUG");
  }

  /**
   * In a fresh JVM, where SLF4J has not been initialised by another test yet: nothing but JSON lines on
   * either stream, and LEADCYCLE_LOG_LEVEL is obeyed.
   */
  @Test
  void aFreshJvmPrintsOnlyJsonLinesAtTheConfiguredLevel() throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        FreshJvm.class.getName());
    builder.environment().put(JavaLogging.LEVEL_VARIABLE, "warn");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();

    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    assertThat(lines).as(output).hasSize(2).allSatisfy(line -> assertThat(new JsonObject(line)).isNotNull());
    assertThat(new JsonObject(lines.get(0)).getString("message")).isEqualTo("shown at WARN");
    assertThat(new JsonObject(lines.get(1)).getString("level")).isEqualTo("ERROR");
    assertThat(new JsonObject(lines.get(1)).getString("stackTrace")).contains("java.io.IOException: disk");
  }

  /** The program {@link #aFreshJvmPrintsOnlyJsonLinesAtTheConfiguredLevel} runs. */
  static final class FreshJvm {
    public static void main(String[] args) {
      JavaLogging.routeToJson();
      org.slf4j.Logger slf4j = LoggerFactory.getLogger(FreshJvm.class);
      slf4j.info("hidden at WARN");
      slf4j.warn("shown at {}", "WARN");
      Logger.getLogger("jul").log(Level.SEVERE, "failed", new IOException("disk"));
    }
  }

  private static List<String> captureStandardOutput(Runnable action) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      action.run();
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
  }
}
