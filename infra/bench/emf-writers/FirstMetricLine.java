import io.leadcycle.runtime.JsonLog;
import io.vertx.core.json.JsonObject;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;

/**
 * One fresh JVM, one candidate: the classes loaded and the time taken by the first metric line (three
 * counts, one dimension, a coldStart property), after a plain closing log line through JsonLog, which every
 * invocation writes anyway. Prints one RESULT line on standard error. Run by run-emf-writers.sh.
 */
public final class FirstMetricLine {

  public static void main(String[] args) throws Exception {
    String candidate = args[0];
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    classes.getTotalLoadedClassCount();
    JsonLog.info("warm-up", "invocation", new JsonObject().put("function", "FirstMetricLine"));
    long loadedBefore = classes.getTotalLoadedClassCount();
    long started = System.nanoTime();
    switch (candidate) {
      case "log-line-only" -> JsonLog.info("r1", "invocation", new JsonObject().put("coldStart", true));
      case "leadcycle" -> Leadcycle.emit();
      case "powertools-metrics" -> Powertools.emit();
      case "aws-embedded-metrics" -> EmbeddedMetrics.emit();
      default -> throw new IllegalArgumentException(candidate);
    }
    long micros = (System.nanoTime() - started) / 1000;
    System.err.printf("RESULT %s classes=%d micros=%d%n", candidate, classes.getTotalLoadedClassCount() - loadedBefore,
        micros);
  }

  /** Ours: the counts embedded in the closing log line. */
  static final class Leadcycle {
    static void emit() {
      io.leadcycle.runtime.Metrics metrics = new io.leadcycle.runtime.Metrics();
      metrics.count(io.leadcycle.runtime.Metric.SUBMISSIONS_ACCEPTED);
      metrics.count(io.leadcycle.runtime.Metric.CONTACTS_CREATED);
      metrics.count(io.leadcycle.runtime.Metric.LEADS_CREATED);
      JsonObject line = new JsonObject().put("coldStart", true);
      metrics.embedIn(line, "measure", System.currentTimeMillis());
      JsonLog.info("r1", "invocation", line);
    }
  }

  /** software.amazon.lambda:powertools-metrics 2.3.0 (its functional API, no AspectJ). */
  static final class Powertools {
    static void emit() {
      software.amazon.lambda.powertools.metrics.Metrics metrics =
          software.amazon.lambda.powertools.metrics.MetricsFactory.getMetricsInstance();
      metrics.setNamespace("Leadcycle");
      metrics.setDefaultDimensions(
          software.amazon.lambda.powertools.metrics.model.DimensionSet.of("FunctionName", "measure"));
      var count = software.amazon.lambda.powertools.metrics.model.MetricUnit.COUNT;
      metrics.addMetric("SubmissionsAccepted", 1, count);
      metrics.addMetric("ContactsCreated", 1, count);
      metrics.addMetric("LeadsCreated", 1, count);
      metrics.addMetadata("coldStart", true);
      metrics.flush();
    }
  }

  /** software.amazon.cloudwatchlogs:aws-embedded-metrics 4.2.0 (Lambda environment: standard output). */
  static final class EmbeddedMetrics {
    static void emit() throws Exception {
      var metrics = new software.amazon.cloudwatchlogs.emf.logger.MetricsLogger();
      metrics.setNamespace("Leadcycle");
      metrics.setDimensions(software.amazon.cloudwatchlogs.emf.model.DimensionSet.of("FunctionName", "measure"));
      var count = software.amazon.cloudwatchlogs.emf.model.Unit.COUNT;
      metrics.putMetric("SubmissionsAccepted", 1, count);
      metrics.putMetric("ContactsCreated", 1, count);
      metrics.putMetric("LeadsCreated", 1, count);
      metrics.putProperty("coldStart", true);
      metrics.flush();
    }
  }
}
