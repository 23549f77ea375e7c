package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.CloudFormation.Deployment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What operating the stack relies on, read from template.yaml: every function logs to its own group
 * with a retention; every queue has a dead-letter queue, and every dead-letter queue an alarm on its
 * depth that tells the alarm topic; every function runs as its published alias, with SnapStart unless
 * the template says why not; the sign-in parameters are checked before a deploy.
 */
class TemplateOperationsTest {

  private static final Path TEMPLATE = Path.of("../../template.yaml");

  private static Map<String, Object> template;
  private static Map<String, Object> resources;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    template = CloudFormation.load(TEMPLATE);
    resources = (Map<String, Object>) template.get("Resources");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyFunctionLogsToItsOwnGroupWithARetention() {
    Set<Object> groups = new TreeSet<>();
    TemplatePoliciesTest.functions(template).forEach((id, function) -> {
      Object group = TemplateCombinationsTest.at(TemplatePoliciesTest.properties(function), "LoggingConfig", "LogGroup");
      assertThat(group).as(id + " LoggingConfig.LogGroup").isInstanceOf(Map.class);
      String name = (String) ((Map<String, Object>) group).get("Ref");
      Map<String, Object> logGroup = (Map<String, Object>) resources.get(name);
      assertThat(logGroup.get("Type")).as(id).isEqualTo("AWS::Logs::LogGroup");
      assertThat(TemplateCombinationsTest.at(logGroup, "Properties", "RetentionInDays"))
          .isEqualTo(Map.of("Ref", "LogRetentionDays"));
      assertThat(groups.add(name)).as(id + " shares its log group").isTrue();
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyQueueHasADeadLetterQueueAndEveryDeadLetterQueueAnAlarmThatTellsTheTopic() {
    Set<String> queues = new TreeSet<>();
    Set<String> deadLetterQueues = new TreeSet<>();
    resources.forEach((id, r) -> {
      Map<String, Object> resource = (Map<String, Object>) r;
      if ("AWS::SQS::Queue".equals(resource.get("Type"))) {
        queues.add(id);
        Object target = TemplateCombinationsTest.at(resource, "Properties", "RedrivePolicy", "deadLetterTargetArn");
        if (target != null) {
          deadLetterQueues.addAll(Deployment.references(target));
        }
      }
      if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
        Object target = TemplateCombinationsTest.at(resource, "Properties", "DeadLetterQueue", "TargetArn");
        if (target != null) {
          deadLetterQueues.addAll(Deployment.references(target));
        }
      }
    });
    Set<String> redriven = new TreeSet<>(queues);
    redriven.removeAll(deadLetterQueues);
    redriven.forEach(queue -> assertThat(TemplateCombinationsTest.at(resources.get(queue), "Properties", "RedrivePolicy"))
        .as(queue + " has no dead-letter queue").isNotNull());
    assertThat(deadLetterQueues).isNotEmpty();
    for (String deadLetters : deadLetterQueues) {
      List<Map<String, Object>> alarms = resources.values().stream().map(r -> (Map<String, Object>) r)
          .filter(r -> "AWS::CloudWatch::Alarm".equals(r.get("Type")))
          .filter(r -> Deployment.references(TemplateCombinationsTest.at(r, "Properties", "Dimensions")).contains(deadLetters))
          .toList();
      assertThat(alarms).as(deadLetters + " has an alarm on its depth").hasSize(1);
      Map<String, Object> alarm = alarms.get(0);
      assertThat(TemplateCombinationsTest.at(alarm, "Properties", "MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
      assertThat(TemplateCombinationsTest.at(alarm, "Properties", "AlarmActions")).as(deadLetters)
          .isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
    }
  }

  /**
   * The sign-in parameters are checked before anything is created: the workbench's URL as the WorkbenchUrl
   * output prints it (https, no trailing slash, no query: the app client registers it with and without the
   * slash, and the hosted pages return to it exactly), the domain prefix as Cognito takes it.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theSignInParametersAreCheckedBeforeTheDeploy() {
    Map<String, Object> parameters = (Map<String, Object>) template.get("Parameters");
    java.util.function.Function<String, java.util.regex.Pattern> pattern = name -> java.util.regex.Pattern.compile(
        (String) ((Map<String, Object>) parameters.get(name)).get("AllowedPattern"));
    java.util.regex.Pattern url = pattern.apply("WorkbenchSignInUrl");
    for (String accepted : List.of("", TemplateCombinationsTest.WORKBENCH_URL, "https://leads.example.com/workbench")) {
      assertThat(url.matcher(accepted).matches()).as(accepted).isTrue();
    }
    for (String refused : List.of("http://abc.execute-api.eu-west-1.amazonaws.com/workbench",
        TemplateCombinationsTest.WORKBENCH_URL + "/", TemplateCombinationsTest.WORKBENCH_URL + "?x=1",
        TemplateCombinationsTest.WORKBENCH_URL + "#/sales", "https://a.example.com/workbench,https://b.example.com/workbench",
        "abc123defg")) {
      assertThat(url.matcher(refused).matches()).as(refused).isFalse();
    }
    java.util.regex.Pattern prefix = pattern.apply("SignInDomainPrefix");
    for (String accepted : List.of("", "leadcycle-test", "acme-leads-2", "a")) {
      assertThat(prefix.matcher(accepted).matches()).as(accepted).isTrue();
    }
    for (String refused : List.of("Leadcycle", "-leadcycle", "leadcycle-", "lead_cycle", "lead.cycle", "a".repeat(64))) {
      assertThat(prefix.matcher(refused).matches()).as(refused).isFalse();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void functionsRunAsTheirLiveAliasWithSnapStartExceptTheMigrationStep() {
    Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.get("Globals")).get("Function");
    assertThat(globals.get("AutoPublishAlias")).isEqualTo("live");
    assertThat(globals.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
    TemplatePoliciesTest.functions(template).forEach((id, function) -> {
      Map<String, Object> properties = TemplatePoliciesTest.properties(function);
      assertThat(properties.getOrDefault("AutoPublishAlias", "live")).as(id).isEqualTo("live");
      Object snapStart = properties.getOrDefault("SnapStart", globals.get("SnapStart"));
      assertThat(snapStart).as(id).isEqualTo(id.equals("DbMigrateFunction")
          ? Map.of("ApplyOn", "None") : Map.of("ApplyOn", "PublishedVersions"));
    });
  }

  /**
   * C1 only (fast start) for the request functions, full tiered compilation (C2) for the long jobs, where it
   * pays (docs/performance.md, "Cold starts").
   */
  @Test
  @SuppressWarnings("unchecked")
  void requestFunctionsCompileWithC1AndTheLongJobsWithC2() {
    Set<String> longJobs = Set.of("MaintenanceFunction", "ScoreRecalculationFunction", "LinkedInSyncFunction",
        "FileImportFunction", "ImportResumeFunction");
    Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.get("Globals")).get("Function");
    String global = (String) ((Map<String, Object>) ((Map<String, Object>) globals.get("Environment"))
        .get("Variables")).get("JAVA_TOOL_OPTIONS");
    assertThat(global).isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    TemplatePoliciesTest.functions(template).forEach((id, function) -> {
      Map<String, Object> environment = (Map<String, Object>) TemplatePoliciesTest.properties(function)
          .getOrDefault("Environment", Map.of());
      Object own = ((Map<String, Object>) environment.getOrDefault("Variables", Map.of())).get("JAVA_TOOL_OPTIONS");
      assertThat(own == null ? global : own).as(id).isEqualTo(longJobs.contains(id)
          ? "-XX:+TieredCompilation -XX:TieredStopAtLevel=4" : global);
    });
  }
}
