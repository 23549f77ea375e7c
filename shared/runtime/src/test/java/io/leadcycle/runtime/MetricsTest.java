package io.leadcycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcycle.testing.InvocationLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The EMF members {@link Metrics} writes into a line, read back as CloudWatch reads them. */
class MetricsTest {

  private static JsonObject line(Metrics metrics) {
    JsonObject line = new JsonObject().put("message", "invocation").put("function", "FormIntakeHandler")
        .put("status", 201);
    metrics.embedIn(line, "leadcycle-FormIntakeFunction-AbC123", System.currentTimeMillis());
    return line;
  }

  @Test
  void countsBecomeOneDirectiveInTheNamespaceWithTheFunctionAsItsOneDimension() {
    Metrics metrics = new Metrics();
    metrics.count(Metric.SUBMISSIONS_ACCEPTED);
    metrics.count(Metric.CONTACTS_CREATED);
    metrics.count(Metric.LEADS_CREATED, 2);
    metrics.count(Metric.LEADS_CREATED);

    JsonObject line = line(metrics);

    assertThat(InvocationLog.metricsOf(line)).containsExactly(Map.entry("SubmissionsAccepted", 1L),
        Map.entry("ContactsCreated", 1L), Map.entry("LeadsCreated", 3L));
    JsonObject directive = line.getJsonObject("_aws").getJsonArray("CloudWatchMetrics").getJsonObject(0);
    assertThat(directive.getString("Namespace")).isEqualTo("Leadcycle");
    assertThat(directive.getJsonArray("Dimensions")).isEqualTo(new JsonArray().add(new JsonArray().add("FunctionName")));
    assertThat(directive.getJsonArray("Metrics").getJsonObject(0))
        .isEqualTo(new JsonObject().put("Name", "SubmissionsAccepted").put("Unit", "Count"));
    assertThat(line.getString("FunctionName")).isEqualTo("leadcycle-FormIntakeFunction-AbC123");
    // What the line said before is left as it was.
    assertThat(line.getInteger("status")).isEqualTo(201);
    assertThat(line.getString("function")).isEqualTo("FormIntakeHandler");
  }

  @Test
  void aZeroIsReportedAndNothingCountedWritesNoMetricsAtAll() {
    Metrics zero = new Metrics();
    zero.count(Metric.WEBHOOKS_FAILED, 0);
    assertThat(InvocationLog.metricsOf(line(zero))).containsExactly(Map.entry("WebhooksFailed", 0L));

    JsonObject nothing = line(new Metrics());
    assertThat(nothing.containsKey("_aws")).isFalse();
    assertThat(nothing.containsKey("FunctionName")).isFalse();
  }

  @Test
  void everyMetricFitsOneDirectiveUnderAUniqueNameThatIsNoDimension() {
    Metrics all = new Metrics();
    Arrays.stream(Metric.values()).forEach(all::count);

    assertThat(InvocationLog.metricsOf(line(all))).hasSize(Metric.values().length);
    assertThat(Metric.values().length).as("one EMF directive holds at most 100 metrics").isLessThanOrEqualTo(100);
    Set<String> names = new HashSet<>();
    for (Metric metric : Metric.values()) {
      assertThat(metric.metricName()).matches("[A-Z][A-Za-z]+").isNotEqualTo(Metrics.DIMENSION);
      assertThat(names.add(metric.metricName())).as(metric.metricName()).isTrue();
    }
  }

  /** The reader above must refuse what CloudWatch would not extract, or the tests that rely on it prove nothing. */
  @Test
  void theReaderRefusesLinesThatBreakTheSpecification() {
    assertRefused(line -> line.getJsonObject("_aws").remove("Timestamp"));
    assertRefused(line -> line.getJsonObject("_aws").put("Timestamp", "2026-01-01T00:00:00Z"));
    assertRefused(line -> line.getJsonObject("_aws").put("Timestamp", System.currentTimeMillis() / 1000));
    assertRefused(line -> directive(line).put("Namespace", "Lead cycle"));
    assertRefused(line -> directive(line).remove("Dimensions"));
    assertRefused(line -> line.remove("FunctionName"));
    assertRefused(line -> line.put("FunctionName", 7));
    assertRefused(line -> line.put("LeadsCreated", "1"));
    assertRefused(line -> line.remove("LeadsCreated"));
    assertRefused(line -> directive(line).getJsonArray("Metrics").getJsonObject(0).put("Unit", "Leads"));
    assertRefused(line -> directive(line).getJsonArray("Metrics").add(new JsonObject().put("Name", "LeadsCreated")));
    assertRefused(line -> {
      JsonArray many = new JsonArray();
      for (int i = 0; i < 101; i++) {
        line.put("M" + i, i);
        many.add(new JsonObject().put("Name", "M" + i).put("Unit", "Count"));
      }
      directive(line).put("Metrics", many);
    });
  }

  private static JsonObject directive(JsonObject line) {
    return line.getJsonObject("_aws").getJsonArray("CloudWatchMetrics").getJsonObject(0);
  }

  private static void assertRefused(Consumer<JsonObject> breakIt) {
    Metrics metrics = new Metrics();
    metrics.count(Metric.LEADS_CREATED);
    JsonObject line = line(metrics);
    assertThat(InvocationLog.metricsOf(line.copy())).isNotEmpty();
    breakIt.accept(line);
    assertThatThrownBy(() -> InvocationLog.metricsOf(line)).as(line.encode()).isInstanceOf(AssertionError.class);
  }
}
