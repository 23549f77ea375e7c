package io.leadcycle.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The closing {@code invocation} log lines that some work writes on standard output, captured, and the
 * metrics in them read the way CloudWatch Logs reads Embedded Metric Format (EMF): every rule of the
 * specification that a line could break is checked, so a line this accepts is one CloudWatch would turn
 * into metrics.
 */
public final class InvocationLog {

  /** CloudWatch's units (PutMetricData's StandardUnit). */
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");
  private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9._#:/-]{1,256}");

  private InvocationLog() {
  }

  /** What {@code work} answered and the closing lines it wrote, in order; the output is passed on as well. */
  public record Captured<T>(T result, List<JsonObject> invocations) {

    /** The one closing line. */
    public JsonObject line() {
      assertThat(invocations).as("closing invocation lines").hasSize(1);
      return invocations.get(0);
    }

    /** The metrics of the one closing line, as CloudWatch would extract them. */
    public Map<String, Long> metrics() {
      return metricsOf(line());
    }
  }

  public static <T> Captured<T> capture(Supplier<T> work) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    T result;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      result = work.get();
    } finally {
      System.setOut(original);
      original.print(out.toString(StandardCharsets.UTF_8));
    }
    return new Captured<>(result, closingLines(out.toString(StandardCharsets.UTF_8)));
  }

  /** The closing lines of a log: JSON objects whose message is "invocation". */
  public static List<JsonObject> closingLines(String log) {
    return log.lines().filter(line -> line.startsWith("{") && line.contains("\"message\":\"invocation\""))
        .map(JsonObject::new).filter(line -> "invocation".equals(line.getString("message"))).toList();
  }

  /**
   * The metrics CloudWatch extracts from {@code line} (name to value), after checking it against the EMF
   * specification; empty for a line without {@code _aws}.
   */
  public static Map<String, Long> metricsOf(JsonObject line) {
    Map<String, Long> metrics = new LinkedHashMap<>();
    if (!line.containsKey("_aws")) {
      return metrics;
    }
    JsonObject aws = line.getJsonObject("_aws");
    assertThat(aws.fieldNames()).as("_aws members").containsExactlyInAnyOrder("Timestamp", "CloudWatchMetrics");
    assertThat(aws.getValue("Timestamp")).as("_aws.Timestamp: milliseconds since the epoch")
        .isInstanceOfAny(Long.class, Integer.class);
    long age = System.currentTimeMillis() - aws.getLong("Timestamp");
    assertThat(age).as("_aws.Timestamp within CloudWatch's window (2 weeks back, 2 hours ahead)")
        .isBetween(-Duration.ofHours(2).toMillis(), Duration.ofDays(14).toMillis());
    JsonArray directives = aws.getJsonArray("CloudWatchMetrics");
    assertThat(directives).as("_aws.CloudWatchMetrics").isNotEmpty();
    for (int d = 0; d < directives.size(); d++) {
      JsonObject directive = directives.getJsonObject(d);
      assertThat(directive.fieldNames()).as("a metric directive's members")
          .containsExactlyInAnyOrder("Namespace", "Dimensions", "Metrics");
      assertThat(directive.getString("Namespace")).as("Namespace").matches(NAMESPACE);
      Set<String> dimensionNames = new HashSet<>();
      JsonArray dimensionSets = directive.getJsonArray("Dimensions");
      for (int s = 0; s < dimensionSets.size(); s++) {
        JsonArray set = dimensionSets.getJsonArray(s);
        assertThat(set.size()).as("dimensions in a dimension set").isBetween(1, 30);
        for (int k = 0; k < set.size(); k++) {
          String name = set.getString(k);
          assertThat(name).as("a dimension name").hasSizeBetween(1, 250);
          assertThat(line.getValue(name)).as("the value of dimension " + name + ": a string member of the line")
              .isInstanceOf(String.class);
          assertThat(line.getString(name)).as("the value of dimension " + name).hasSizeBetween(1, 1024);
          dimensionNames.add(name);
        }
      }
      JsonArray definitions = directive.getJsonArray("Metrics");
      assertThat(definitions.size()).as("metrics in one directive").isBetween(1, 100);
      for (int m = 0; m < definitions.size(); m++) {
        JsonObject definition = definitions.getJsonObject(m);
        assertThat(Set.of("Name", "Unit", "StorageResolution")).as("a metric definition's members")
            .containsAll(definition.fieldNames());
        String name = definition.getString("Name");
        assertThat(name).as("a metric name").hasSizeBetween(1, 1024);
        assertThat(dimensionNames).as("metric " + name + " is no dimension").doesNotContain(name);
        assertThat(definition.getString("Unit", "None")).as("the unit of " + name).isIn(UNITS);
        assertThat(line.getValue(name)).as("the value of metric " + name + ": a number member of the line")
            .isInstanceOfAny(Long.class, Integer.class, Double.class);
        assertThat(metrics.put(name, line.getLong(name))).as("metric " + name + " defined twice").isNull();
      }
    }
    return metrics;
  }
}
