package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.CloudFormation.Deployment;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alarms of template.yaml against the code: they name only metrics the code emits
 * ({@link Metric}, the one list), in its namespace and dimension, for functions the template has; every
 * emitted metric is on the dashboard; every alarm tells the alarm topic; what the platform counts for a
 * trigger kind is read from exactly the functions of that kind; every function is on the Lambda graphs and
 * under an alarm for its failures.
 */
class TemplateMetricsTest {

  private static final Path TEMPLATE = Path.of("../../template.yaml");
  /** What a ${Name} or ${Name.Attribute} of the dashboard's Fn::Sub stands for while it is read as JSON. */
  private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([^}]+)}");
  private static final String REFERENCE = "ref:";
  /** The metrics an operator must hear of: each has an alarm. */
  private static final Set<String> FAILURES = Set.of("SubmissionsFailed", "SubmissionsRefused", "WebhooksFailed",
      "QueueMessagesParked", "ScheduledRunsFailed");

  /** One metric a widget or an alarm reads. */
  record Series(String namespace, String name, Map<String, String> dimensions) {

    /** The function resource its FunctionName dimension names, or null. */
    String function() {
      String value = dimensions.get("FunctionName");
      return value != null && value.startsWith(REFERENCE) ? value.substring(REFERENCE.length()) : value;
    }
  }

  private static Map<String, Object> template;
  private static Map<String, Object> resources;
  private static JsonObject dashboard;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    template = CloudFormation.load(TEMPLATE);
    resources = (Map<String, Object>) template.get("Resources");
    List<String> dashboards = ofType("AWS::CloudWatch::Dashboard");
    assertThat(dashboards).hasSize(1);
    Object body = TemplateCombinationsTest.at(resources.get(dashboards.get(0)), "Properties", "DashboardBody");
    String sub = (String) ((Map<String, Object>) body).get("Fn::Sub");
    Matcher m = SUBSTITUTION.matcher(sub);
    StringBuilder json = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String resource = name.split("\\.")[0];
      assertThat(name.startsWith("AWS::") || resources.containsKey(resource)).as("${" + name + "} names a resource")
          .isTrue();
      m.appendReplacement(json, Matcher.quoteReplacement(REFERENCE + name));
    }
    m.appendTail(json);
    dashboard = new JsonObject(json.toString());
  }

  @SuppressWarnings("unchecked")
  private static List<String> ofType(String type) {
    return resources.entrySet().stream()
        .filter(e -> type.equals(((Map<String, Object>) e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(String resource) {
    return (Map<String, Object>) ((Map<String, Object>) resources.get(resource)).get("Properties");
  }

  private static List<JsonObject> widgets(String type) {
    List<JsonObject> widgets = new ArrayList<>();
    dashboard.getJsonArray("widgets").forEach(w -> {
      if (type.equals(((JsonObject) w).getString("type"))) {
        widgets.add((JsonObject) w);
      }
    });
    return widgets;
  }

  /** A metric widget's series ({@code "."} repeats the row above) and its expressions' ids by name. */
  private static List<Series> series(JsonObject widget, Map<String, String> expressions, Set<String> ids) {
    List<Series> series = new ArrayList<>();
    JsonArray previous = null;
    for (Object r : widget.getJsonObject("properties").getJsonArray("metrics")) {
      JsonArray row = (JsonArray) r;
      JsonObject options = row.getValue(row.size() - 1) instanceof JsonObject o ? o : new JsonObject();
      if (options.containsKey("expression")) {
        expressions.put(options.getString("id"), options.getString("expression"));
        continue;
      }
      List<String> values = new ArrayList<>();
      int end = row.getValue(row.size() - 1) instanceof JsonObject ? row.size() - 1 : row.size();
      for (int i = 0; i < end; i++) {
        String value = row.getString(i);
        values.add(".".equals(value) ? previous.getString(i) : value);
      }
      Map<String, String> dimensions = new LinkedHashMap<>();
      for (int i = 2; i + 1 < values.size(); i += 2) {
        dimensions.put(values.get(i), values.get(i + 1));
      }
      series.add(new Series(values.get(0), values.get(1), dimensions));
      if (options.containsKey("id")) {
        ids.add(options.getString("id"));
      }
      previous = new JsonArray(new ArrayList<>(values));
    }
    return series;
  }

  private static List<Series> dashboardSeries() {
    List<Series> all = new ArrayList<>();
    for (JsonObject widget : widgets("metric")) {
      all.addAll(series(widget, new LinkedHashMap<>(), new HashSet<>()));
    }
    return all;
  }

  /** An alarm's series: its one metric, or those of its metric math. */
  @SuppressWarnings("unchecked")
  private static List<Series> alarmSeries(String alarm) {
    Map<String, Object> p = properties(alarm);
    List<Map<String, Object>> metrics = new ArrayList<>();
    if (p.containsKey("Metrics")) {
      for (Map<String, Object> query : (List<Map<String, Object>>) p.get("Metrics")) {
        Object metric = TemplateCombinationsTest.at(query, "MetricStat", "Metric");
        if (metric != null) {
          metrics.add((Map<String, Object>) metric);
        }
      }
    } else {
      metrics.add(p);
    }
    List<Series> series = new ArrayList<>();
    for (Map<String, Object> metric : metrics) {
      Map<String, String> dimensions = new LinkedHashMap<>();
      for (Map<String, Object> d : (List<Map<String, Object>>) metric.getOrDefault("Dimensions", List.of())) {
        Object value = d.get("Value");
        dimensions.put((String) d.get("Name"), value instanceof String text ? text
            : REFERENCE + String.join(",", Deployment.references(value)));
      }
      series.add(new Series((String) metric.get("Namespace"), (String) metric.get("MetricName"), dimensions));
    }
    return series;
  }

  private static List<Series> allAlarmSeries() {
    return ofType("AWS::CloudWatch::Alarm").stream().flatMap(a -> alarmSeries(a).stream()).toList();
  }

  private static Set<String> metricNames() {
    return Arrays.stream(Metric.values()).map(Metric::metricName).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> functions() {
    return TemplatePoliciesTest.functions(template).keySet();
  }

  /** The functions with an event of this type (HttpApi, SQS, Schedule, S3). */
  @SuppressWarnings("unchecked")
  private static Set<String> functionsTriggeredBy(String eventType) {
    Set<String> triggered = new TreeSet<>();
    TemplatePoliciesTest.functions(template).forEach((id, function) -> {
      Map<String, Object> events = (Map<String, Object>) TemplatePoliciesTest.properties(function).get("Events");
      if (events != null && events.values().stream().anyMatch(e -> eventType.equals(((Map<String, Object>) e).get("Type")))) {
        triggered.add(id);
      }
    });
    return triggered;
  }

  private static Set<String> functionsOf(List<Series> series, String namespace, String name) {
    return series.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name))
        .map(Series::function).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyAlarmTellsTheAlarmTopic() {
    List<String> alarms = ofType("AWS::CloudWatch::Alarm");
    assertThat(alarms).hasSizeGreaterThanOrEqualTo(FAILURES.size());
    for (String alarm : alarms) {
      assertThat(properties(alarm).get("AlarmActions")).as(alarm).isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
      assertThat(properties(alarm).get("TreatMissingData")).as(alarm + ": no data is no failure").isEqualTo("notBreaching");
    }
  }

  @Test
  void theDashboardAndTheAlarmsNameOnlyMetricsTheCodeEmitsForFunctionsTheTemplateHas() {
    List<Series> ours = new ArrayList<>(dashboardSeries());
    ours.addAll(allAlarmSeries());
    ours.removeIf(s -> s.namespace().startsWith("AWS/"));

    assertThat(ours).isNotEmpty().allSatisfy(s -> {
      assertThat(s.namespace()).isEqualTo(Metrics.NAMESPACE);
      assertThat(metricNames()).as("metrics the code emits").contains(s.name());
      assertThat(s.dimensions().keySet()).containsExactly(Metrics.DIMENSION);
      assertThat(functions()).as(s + ": a function of the template").contains(s.function());
    });
  }

  @Test
  void everyMetricTheCodeEmitsIsOnTheDashboardAndEveryFailureHasAnAlarm() {
    Set<String> onDashboard = dashboardSeries().stream().filter(s -> s.namespace().equals(Metrics.NAMESPACE))
        .map(Series::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> alarmed = allAlarmSeries().stream().filter(s -> Metrics.NAMESPACE.equals(s.namespace()))
        .map(Series::name).collect(Collectors.toCollection(TreeSet::new));

    assertThat(onDashboard).isEqualTo(metricNames());
    assertThat(alarmed).containsAll(FAILURES);
  }

  @Test
  void whatThePlatformCountsForATriggerKindIsReadFromEveryFunctionOfThatKind() {
    List<Series> dashboard = dashboardSeries();
    List<Series> alarms = allAlarmSeries();
    Set<String> queues = functionsTriggeredBy("SQS");
    Set<String> schedules = functionsTriggeredBy("Schedule");

    assertThat(queues).isNotEmpty();
    assertThat(schedules).isNotEmpty();
    assertThat(functionsOf(dashboard, Metrics.NAMESPACE, "QueueMessagesParked")).isEqualTo(queues);
    assertThat(functionsOf(alarms, Metrics.NAMESPACE, "QueueMessagesParked")).isEqualTo(queues);
    assertThat(functionsOf(dashboard, Metrics.NAMESPACE, "ScheduledRunsFailed")).isEqualTo(schedules);
    assertThat(functionsOf(alarms, Metrics.NAMESPACE, "ScheduledRunsFailed")).isEqualTo(schedules);
  }

  @Test
  void everyFunctionIsOnTheLambdaGraphsAndItsFailuresUnderAnAlarm() {
    List<Series> dashboard = dashboardSeries();
    for (String metric : List.of("Invocations", "Errors", "Duration")) {
      assertThat(functionsOf(dashboard, "AWS/Lambda", metric)).as(metric).isEqualTo(functions());
    }
    // HTTP functions answer their failures as 5xx (and API Gateway answers their crashes): the API's alarm.
    // Every other function but the deploy step (whose failure fails the deploy) is under Lambda's Errors.
    Set<String> background = new TreeSet<>(functions());
    background.removeAll(functionsTriggeredBy("HttpApi"));
    background.remove("DbMigrateFunction");
    assertThat(functionsOf(allAlarmSeries(), "AWS/Lambda", "Errors")).isEqualTo(background);
    assertThat(allAlarmSeries()).anySatisfy(s -> {
      assertThat(s.namespace()).isEqualTo("AWS/ApiGateway");
      assertThat(s.name()).isEqualTo("5xx");
      assertThat(s.dimensions()).isEqualTo(Map.of("ApiId", REFERENCE + "LeadcycleApi"));
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void metricMathReadsOnlySeriesItDefinesAndEachAlarmAnswersOneSeries() {
    for (JsonObject widget : widgets("metric")) {
      Map<String, String> expressions = new LinkedHashMap<>();
      Set<String> ids = new HashSet<>();
      series(widget, expressions, ids);
      expressions.values().forEach(expression -> assertThat(ids).as(expression).containsAll(idsIn(expression)));
    }
    for (String alarm : ofType("AWS::CloudWatch::Alarm")) {
      List<Map<String, Object>> queries = (List<Map<String, Object>>) properties(alarm).get("Metrics");
      if (queries == null) {
        continue;
      }
      Set<String> ids = queries.stream().filter(q -> q.containsKey("MetricStat")).map(q -> (String) q.get("Id"))
          .collect(Collectors.toSet());
      assertThat(queries.stream().filter(q -> Boolean.TRUE.equals(q.get("ReturnData")))).as(alarm).hasSize(1);
      queries.stream().filter(q -> q.containsKey("Expression")).forEach(q ->
          assertThat(ids).as(alarm + ": " + q.get("Expression")).containsAll(idsIn((String) q.get("Expression"))));
    }
  }

  /** The series ids an expression reads: its lower-case words (functions and operators are upper case). */
  private static Set<String> idsIn(String expression) {
    Set<String> ids = new TreeSet<>();
    Matcher m = Pattern.compile("\\b[a-z][A-Za-z0-9_]*\\b").matcher(expression);
    while (m.find()) {
      ids.add(m.group());
    }
    assertThat(ids).as(expression).isNotEmpty();
    return ids;
  }

  @Test
  void theColdStartTableReadsEveryFunctionsLogGroup() {
    List<JsonObject> logs = widgets("log");
    assertThat(logs).hasSize(1);
    String query = logs.get(0).getJsonObject("properties").getString("query");
    Set<String> sources = new TreeSet<>();
    Matcher m = Pattern.compile("SOURCE '" + REFERENCE + "([A-Za-z]+)'").matcher(query);
    while (m.find()) {
      sources.add(m.group(1));
    }
    Set<String> groups = new TreeSet<>();
    TemplatePoliciesTest.functions(template).forEach((id, function) -> groups.addAll(Deployment.references(
        TemplateCombinationsTest.at(TemplatePoliciesTest.properties(function), "LoggingConfig", "LogGroup"))));
    assertThat(sources).isEqualTo(groups);
    assertThat(query).contains("filter message = \"invocation\"").contains("coldStart");
  }
}
