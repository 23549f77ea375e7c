package io.leadcycle.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * What one invocation counted, by {@link Metric}, written once at its end into its closing log line in
 * CloudWatch's Embedded Metric Format (EMF): CloudWatch Logs turns those members into metrics, with no API
 * call, no library and no permission beyond writing the log. Locally the same line is simply logged.
 *
 * <p>Thread-safe: a run may count from several threads (webhook sends).
 */
public final class Metrics {

  /** The CloudWatch namespace of every Leadcycle metric. */
  public static final String NAMESPACE = "Leadcycle";

  /**
   * The one dimension: the Lambda function's name, as AWS/Lambda's own metrics name it. It is unique per
   * stack, so two stacks in one account never mix their counts, and it keeps cardinality at one series per
   * function and metric (never ids or personal data).
   */
  public static final String DIMENSION = "FunctionName";

  private final Map<Metric, Long> counts = new EnumMap<>(Metric.class);

  public void count(Metric metric) {
    count(metric, 1);
  }

  /** Adds {@code n}; a 0 still reports the metric, so its graph says 0 instead of nothing. */
  public synchronized void count(Metric metric, long n) {
    // No lambdas here or below: each would cost a class spun at the first cold start (docs/operations.md).
    Long before = counts.get(metric);
    counts.put(metric, before == null ? n : before + n);
  }

  /** What was counted so far, in the enum's order. */
  public synchronized Map<Metric, Long> counted() {
    return new EnumMap<>(counts);
  }

  /**
   * Adds the EMF members to {@code line}: the {@code _aws} metadata (one directive: at most 100 metrics,
   * which the enum never exceeds), the dimension's value and each counted metric as a top-level number.
   * Nothing when nothing was counted.
   */
  public synchronized void embedIn(JsonObject line, String functionName, long timestampMillis) {
    if (counts.isEmpty()) {
      return;
    }
    JsonArray definitions = new JsonArray();
    for (Map.Entry<Metric, Long> counted : counts.entrySet()) {
      definitions.add(new JsonObject().put("Name", counted.getKey().metricName()).put("Unit", Metric.UNIT));
      line.put(counted.getKey().metricName(), counted.getValue());
    }
    line.put(DIMENSION, functionName);
    line.put("_aws", new JsonObject()
        .put("Timestamp", timestampMillis)
        .put("CloudWatchMetrics", new JsonArray().add(new JsonObject()
            .put("Namespace", NAMESPACE)
            .put("Dimensions", new JsonArray().add(new JsonArray().add(DIMENSION)))
            .put("Metrics", definitions))));
  }
}
