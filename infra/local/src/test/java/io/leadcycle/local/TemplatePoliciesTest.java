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
 * Least privilege, read from template.yaml: each function's policies name only the secrets, queues and
 * bucket it uses (the journey function may send only to its dead-letter queue and the scoring nudge queue; only the import functions
 * touch the import bucket; only the LinkedIn functions read the LinkedIn secret; only the migration step
 * reads the database owner's secret), with a created database and with one you bring. A new function
 * must be added to {@link #USES}, which is the point: its rights are then a decision, not a copy.
 */
class TemplatePoliciesTest {

  private static final Path TEMPLATE = Path.of("../../template.yaml");

  /**
   * What each function may name in its policies besides its database login. The privacy hash key: whoever erases,
   * takes in or imports people (docs/privacy.md).
   */
  private static final Map<String, Set<String>> USES = Map.ofEntries(
      Map.entry("DbMigrateFunction", Set.of("DatabaseCluster")),   // the owner's secret (a created cluster's)
      Map.entry("FormIntakeFunction", Set.of("ScoringNudgeQueue", "PrivacyHashKeySecret")),
      Map.entry("MaintenanceFunction", Set.of()),
      Map.entry("ScoreRecalculationFunction", Set.of("NotificationNudgeQueue", "ScoringNudgeQueue", "SegmentNudgeQueue")),
      Map.entry("ThresholdNotificationFunction", Set.of()),
      Map.entry("NotificationNudgeFunction", Set.of("NotificationNudgeDeadLetterQueue")),
      Map.entry("ScoringNudgeFunction", Set.of("NotificationNudgeQueue", "ScoringNudgeQueue", "ScoringNudgeDeadLetterQueue",
          "SegmentNudgeQueue")),
      Map.entry("JourneyCreateLeadFunction", Set.of("JourneyTileDeadLetterQueue", "ScoringNudgeQueue")),
      Map.entry("LeadManagementFunction", Set.of("NotificationNudgeQueue", "ScoringNudgeQueue", "SegmentNudgeQueue",
          "PrivacyHashKeySecret")),
      Map.entry("ScoringFunction", Set.of("ScoringNudgeQueue")),
      Map.entry("SubscribersFunction", Set.of()),
      Map.entry("SegmentsFunction", Set.of("NotificationNudgeQueue")),
      Map.entry("SegmentEvaluationFunction", Set.of("NotificationNudgeQueue", "SegmentNudgeQueue")),
      Map.entry("SegmentNudgeFunction", Set.of("NotificationNudgeQueue", "SegmentNudgeQueue", "SegmentNudgeDeadLetterQueue")),
      Map.entry("LinkedInWebhookFunction", Set.of("LinkedInSecretArn", "ScoringNudgeQueue", "PrivacyHashKeySecret")),
      Map.entry("LinkedInSyncFunction", Set.of("LinkedInSecretArn", "ScoringNudgeQueue", "PrivacyHashKeySecret")),
      // The bucket's name is computed from ImportBucketPrefix (see ImportBucket); its DLQ is the function's own.
      Map.entry("FileImportFunction", Set.of("ImportBucketPrefix", "FileImportDeadLetterQueue", "ScoringNudgeQueue",
          "PrivacyHashKeySecret")),
      Map.entry("ImportResumeFunction", Set.of("ImportBucketPrefix", "ScoringNudgeQueue", "PrivacyHashKeySecret")),
      Map.entry("ImportsFunction", Set.of("ImportBucketPrefix")),
      Map.entry("WorkbenchFunction", Set.of()));

  /** Functions that never touch the database, so read no login secret: the workbench serves static files. */
  private static final Set<String> WITHOUT_DATABASE = Set.of("WorkbenchFunction");

  /** The SAM policy templates the functions may use; anything else is an inline statement. */
  private static final Set<String> POLICY_TEMPLATES = Set.of("AWSSecretsManagerGetSecretValuePolicy",
      "SQSSendMessagePolicy", "S3ReadPolicy");

  private static Map<String, Object> template;

  @BeforeAll
  static void load() throws IOException {
    template = CloudFormation.load(TEMPLATE);
  }

  private static Deployment created() {
    return new Deployment(template, Map.of("LinkedInSecretArn", "arn:aws:secretsmanager:eu-west-1:1:secret:li"));
  }

  private static Deployment brought() {
    return new Deployment(template, TemplateCombinationsTest.merge(TemplateCombinationsTest.BRING_DATABASE,
        TemplateCombinationsTest.BRING_ISSUER,
        Map.of("LinkedInSecretArn", "arn:aws:secretsmanager:eu-west-1:1:secret:li")));
  }

  @Test
  void everyFunctionIsListedWithWhatItUses() {
    assertThat(functions(template).keySet()).containsExactlyInAnyOrderElementsOf(USES.keySet());
  }

  @Test
  void eachFunctionsPoliciesNameOnlyItsLoginItsQueuesItsBucketAndItsSecrets() {
    for (Deployment deployment : List.of(created(), brought())) {
      boolean createdDatabase = deployment.condition("CreateDatabase");
      String login = createdDatabase ? "DatabaseAppSecret" : "DatabaseSecretArn";
      functions(template).forEach((id, function) -> {
        Set<String> named = new TreeSet<>(Deployment.references(deployment.resolve(List.of(
            properties(function).getOrDefault("Policies", List.of()),
            properties(function).getOrDefault("DeadLetterQueue", Map.of())))));
        named.removeIf(name -> name.startsWith("AWS::"));
        Set<String> allowed = new TreeSet<>(USES.get(id));
        if (!WITHOUT_DATABASE.contains(id)) {
          allowed.add(login);
        }
        if (!createdDatabase) {
          allowed.remove("DatabaseCluster");   // a brought database's owner login is the one secret you bring
        }
        assertThat(named).as(id + (createdDatabase ? " (created database)" : " (brought database)"))
            .containsExactlyInAnyOrderElementsOf(allowed);
      });
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void policiesAreSamTemplatesOrStatementsOnNamedResourcesNeverWildcards() {
    Deployment deployment = created();
    functions(template).forEach((id, function) -> {
      List<Object> policies = (List<Object>) deployment.resolve(properties(function).getOrDefault("Policies", List.of()));
      for (Object policy : policies) {
        assertThat(policy).as(id + ": a managed policy by name or ARN grants more than the function uses")
            .isInstanceOf(Map.class);
        Map<String, Object> map = (Map<String, Object>) policy;
        if (map.containsKey("Statement")) {
          for (Object s : (List<Object>) map.get("Statement")) {
            Map<String, Object> statement = (Map<String, Object>) s;
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(String.valueOf(statement.get("Action"))).as(id + " actions").doesNotContain("*");
            assertThat(statement.get("Resource")).as(id + " resource").isNotEqualTo("*").isNotNull();
          }
        } else {
          assertThat(map.keySet()).as(id).hasSize(1);
          assertThat(POLICY_TEMPLATES).as(id).containsAll(map.keySet());
        }
      }
    });
  }

  @Test
  void onlyTheImportRoutesMayWriteToTheBucketAndOnlyTheImportReaderMayReadIt() {
    Deployment deployment = created();
    functions(template).forEach((id, function) -> {
      String policies = String.valueOf(deployment.resolve(properties(function).getOrDefault("Policies", List.of())));
      assertThat(policies.contains("s3:PutObject")).as(id + " writes to the bucket").isEqualTo(id.equals("ImportsFunction"));
      assertThat(policies.contains("S3ReadPolicy")).as(id + " reads the bucket")
          .isEqualTo(id.equals("FileImportFunction") || id.equals("ImportResumeFunction"));
    });
  }

  /**
   * The workbench's page is public, and so is everything its function is told: where the hosted sign-in
   * pages are and the app client's id (a public client: no secret is generated, and only the code flow,
   * which the page completes with PKCE, is allowed; never the implicit flow, which would put tokens into URLs).
   */
  @Test
  @SuppressWarnings("unchecked")
  void theWorkbenchIsToldOnlyPublicThingsAndTheClientAllowsOnlyTheCodeFlow() {
    Deployment signIn = new Deployment(template, TemplateCombinationsTest.SIGN_IN);
    Map<String, Object> workbench = functions(template).get("WorkbenchFunction");
    Set<String> named = new TreeSet<>(Deployment.references(signIn.resolve(properties(workbench).get("Environment"))));
    assertThat(named).containsExactlyInAnyOrder("UserPoolDomain", "AWS::Region", "UserPoolClient");
    Map<String, Object> client = (Map<String, Object>) signIn.resolve(properties(
        (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get("UserPoolClient")));
    assertThat(client).containsEntry("GenerateSecret", false).containsEntry("AllowedOAuthFlows", List.of("code"));
    assertThat(String.valueOf(client)).doesNotContain("implicit", "client_credentials");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> functions(Map<String, Object> template) {
    Map<String, Map<String, Object>> functions = new java.util.TreeMap<>();
    ((Map<String, Object>) template.get("Resources")).forEach((id, r) -> {
      Map<String, Object> resource = (Map<String, Object>) r;
      if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
        functions.put(id, resource);
      }
    });
    return functions;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }
}
