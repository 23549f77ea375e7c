package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leadcycle.local.CloudFormation.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every combination of the create-or-bring parameters (database, network, management issuer, and with a
 * created user pool the workbench's hosted sign-in): the resources each creates, what the functions are
 * pointed at, that the template's Rules accept it (and
 * refuse half-brought things), that nothing refers to a resource the combination leaves out, and that
 * cfn-lint, which runs the SAM transform offline, passes a copy of the template with those values as its
 * defaults.
 */
class TemplateCombinationsTest {

  private static final Path TEMPLATE = Path.of("../../template.yaml");

  static final Set<String> NETWORK = Set.of("Vpc", "PrivateSubnetA", "PrivateSubnetB", "PrivateRouteTable",
      "PrivateSubnetARouteTable", "PrivateSubnetBRouteTable", "S3Endpoint", "EndpointSecurityGroup",
      "SecretsManagerEndpoint", "SqsEndpoint");
  static final Set<String> NAT = Set.of("InternetGateway", "InternetGatewayAttachment", "PublicSubnet",
      "PublicRouteTable", "PublicRoute", "PublicSubnetRouteTable", "NatAddress", "NatGateway", "PrivateRouteToNat");
  static final Set<String> DATABASE = Set.of("FunctionSecurityGroup", "DatabaseProxySecurityGroup",
      "DatabaseSecurityGroup", "DatabaseSubnetGroup", "DatabaseCluster", "DatabaseInstance", "DatabaseAppSecret",
      "DatabaseProxyRole", "DatabaseProxy", "DatabaseProxyTargetGroup");
  /** A created user pool comes with its hosted sign-in domain, whether or not the workbench uses it yet. */
  static final Set<String> USER_POOL = Set.of("UserPool", "UserPoolClient", "UserPoolDomain", "MarketingGroup",
      "TelemarketingGroup", "SalesGroup", "SalesManagerGroup", "AdminGroup");

  static final Map<String, String> BRING_DATABASE = Map.of("DatabaseHost", "leadcycle.proxy-abc.eu-west-1.rds.amazonaws.com",
      "DatabaseSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:leadcycle-db-AbCdEf");
  static final Map<String, String> BRING_SUBNETS = Map.of("SubnetIds", "subnet-0aaa,subnet-0bbb",
      "SecurityGroupIds", "sg-0aaa", "VpcId", "vpc-0aaa");
  static final Map<String, String> NO_NAT = Map.of("CreateNatGateway", "false");
  static final Map<String, String> BRING_ISSUER = Map.of(
      "ManagementAuthIssuer", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI",
      "ManagementAuthAudience", "1example23456789");
  /** The second deploy of docs/workbench.md: the workbench's URL, so that it signs in through the hosted pages. */
  static final String WORKBENCH_URL = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/workbench";
  static final Map<String, String> SIGN_IN = Map.of("WorkbenchSignInUrl", WORKBENCH_URL,
      "SignInDomainPrefix", "leadcycle-test");
  /** Optional settings, switched on in some combinations so that cfn-lint sees those branches too. */
  static final Map<String, String> EXTRAS = Map.of("CorsAllowedOrigins", "https://www.example.com,https://app.example.com",
      "ReserveConcurrency", "true", "AlarmEmail", "ops@example.com",
      "LinkedInSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:linkedin-AbCdEf");

  /** One combination: its name, its parameter values, and the conditional resources it must create. */
  record Combination(String name, Map<String, String> parameters, Set<String> creates) {
  }

  static List<Combination> combinations() {
    List<Combination> all = new ArrayList<>();
    for (boolean bringIssuer : new boolean[] {false, true}) {
      Map<String, String> issuer = bringIssuer ? BRING_ISSUER : Map.of();
      Set<String> pool = bringIssuer ? Set.of() : USER_POOL;
      String by = bringIssuer ? ", own issuer" : ", created user pool";
      all.add(new Combination("everything created" + by, merge(issuer), union(NETWORK, NAT, DATABASE, pool)));
      // With the created pool, some combinations also sign the workbench in, so that cfn-lint sees both.
      Map<String, String> signIn = bringIssuer ? Map.of() : SIGN_IN;
      String withSignIn = bringIssuer ? "" : ", workbench sign-in";
      all.add(new Combination("created VPC without NAT" + by + withSignIn, merge(NO_NAT, issuer, signIn),
          union(NETWORK, DATABASE, pool)));
      all.add(new Combination("own subnets, created database" + by, merge(BRING_SUBNETS, issuer), union(DATABASE, pool)));
      all.add(new Combination("own database outside a VPC" + by + withSignIn,
          merge(BRING_DATABASE, issuer, signIn, bringIssuer ? EXTRAS : Map.of()), union(pool)));
      all.add(new Combination("own database in own subnets" + by, merge(BRING_DATABASE, BRING_SUBNETS, issuer,
          bringIssuer ? Map.of() : EXTRAS), union(pool)));
    }
    return all;
  }

  private static Map<String, Object> template;
  private static Set<String> conditional;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    template = CloudFormation.load(TEMPLATE);
    conditional = new TreeSet<>();
    ((Map<String, Object>) template.get("Resources")).forEach((id, resource) -> {
      if (((Map<String, Object>) resource).containsKey("Condition")) {
        conditional.add(id);
      }
    });
  }

  @Test
  void theDefaultsCreateEverythingAnEmptyAccountNeeds() {
    Deployment defaults = new Deployment(template, Map.of());

    assertThat(defaults.conditions()).containsEntry("CreateDatabase", true).containsEntry("CreateNetwork", true)
        .containsEntry("CreateNat", true).containsEntry("CreateUserPool", true).containsEntry("InVpc", true)
        // The workbench's URL is not known before the first deploy: the sign-in domain is there, the sign-in not.
        .containsEntry("OffersSignIn", false).containsEntry("HasSignInDomainPrefix", false);
    assertThat(defaults.resources()).contains("UserPoolDomain");
    assertThat(defaults.brokenRules()).isEmpty();
  }

  @Test
  void eachCombinationCreatesWhatItDoesNotBring() {
    assertThat(union(NETWORK, NAT, DATABASE, USER_POOL)).as("every conditional resource belongs to a group")
        .containsAll(conditional.stream().filter(id -> !id.equals("AlarmEmailSubscription")).toList());
    for (Combination combination : combinations()) {
      Deployment deployment = new Deployment(template, combination.parameters());
      Set<String> created = new TreeSet<>(deployment.resources());
      created.retainAll(conditional);
      created.remove("AlarmEmailSubscription");
      assertThat(created).as(combination.name()).containsExactlyInAnyOrderElementsOf(combination.creates());
      assertThat(deployment.brokenRules()).as(combination.name()).isEmpty();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theFunctionsArePointedAtWhatIsCreatedOrBrought() {
    for (Combination combination : combinations()) {
      Deployment deployment = new Deployment(template, combination.parameters());
      Map<String, Object> globals = (Map<String, Object>) deployment.resolve(
          ((Map<String, Object>) template.get("Globals")).get("Function"));
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) globals.get("Environment")).get("Variables");
      boolean createdDatabase = combination.creates().contains("DatabaseCluster");
      assertThat(env.get("DB_SECRET_ID")).as(combination.name())
          .isEqualTo(Map.of("Ref", createdDatabase ? "DatabaseAppSecret" : "DatabaseSecretArn"));
      assertThat(env.get("DB_HOST")).as(combination.name())
          .isEqualTo(createdDatabase ? Map.of("Fn::GetAtt", List.of("DatabaseProxy", "Endpoint")) : Map.of("Ref", "DatabaseHost"));
      Object vpc = globals.get("VpcConfig");
      if (combination.creates().contains("Vpc")) {
        assertThat(vpc).as(combination.name()).isEqualTo(Map.of(
            "SubnetIds", List.of(Map.of("Ref", "PrivateSubnetA"), Map.of("Ref", "PrivateSubnetB")),
            "SecurityGroupIds", List.of(Map.of("Ref", "FunctionSecurityGroup"))));
      } else if (combination.parameters().containsKey("SubnetIds")) {
        assertThat(vpc).as(combination.name()).isEqualTo(Map.of("SubnetIds", Map.of("Ref", "SubnetIds"),
            "SecurityGroupIds", createdDatabase ? List.of(Map.of("Ref", "FunctionSecurityGroup"))
                : Map.of("Ref", "SecurityGroupIds")));
      } else {
        assertThat(vpc).as(combination.name() + ": outside a VPC, as before").isNull();
      }
      Object jwt = at(deployment.resolve(resource("LeadcycleApi")), "Properties", "Auth", "Authorizers", "ManagementJwt",
          "JwtConfiguration");
      assertThat(CloudFormation.Deployment.references(jwt)).as(combination.name()).containsAnyOf(
          combination.creates().contains("UserPool") ? "UserPoolClient" : "ManagementAuthAudience");
    }
  }

  /**
   * The workbench signs in through the hosted pages only with the created user pool and once told its URL:
   * then the app client allows the code flow back to it (with and without the trailing slash), and the
   * workbench is told the domain and the client; otherwise the client has no OAuth flows and the workbench
   * gets empty values (and asks for a pasted token).
   */
  @Test
  @SuppressWarnings("unchecked")
  void theWorkbenchSignsInThroughTheHostedPagesOnlyWithTheCreatedPoolAndItsUrl() {
    for (Combination combination : combinations()) {
      Deployment deployment = new Deployment(template, combination.parameters());
      boolean signIn = combination.creates().contains("UserPoolDomain")
          && combination.parameters().containsKey("WorkbenchSignInUrl");
      assertThat(deployment.condition("OffersSignIn")).as(combination.name()).isEqualTo(signIn);
      Map<String, Object> env = (Map<String, Object>) at(deployment.resolve(resource("WorkbenchFunction")),
          "Properties", "Environment", "Variables");
      if (signIn) {
        assertThat(env.get("SIGN_IN_BASE_URL")).as(combination.name()).isEqualTo(
            Map.of("Fn::Sub", "https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com"));
        assertThat(env.get("SIGN_IN_CLIENT_ID")).as(combination.name()).isEqualTo(Map.of("Ref", "UserPoolClient"));
        Map<String, Object> client = (Map<String, Object>) at(deployment.resolve(resource("UserPoolClient")), "Properties");
        assertThat(client).as(combination.name()).containsEntry("AllowedOAuthFlowsUserPoolClient", true)
            .containsEntry("AllowedOAuthFlows", List.of("code"))
            .containsEntry("AllowedOAuthScopes", List.of("openid", "email", "profile"))
            .containsEntry("SupportedIdentityProviders", List.of("COGNITO"))
            .containsEntry("GenerateSecret", false);
        List<Object> urls = List.of(Map.of("Ref", "WorkbenchSignInUrl"), Map.of("Fn::Sub", "${WorkbenchSignInUrl}/"));
        assertThat(client).containsEntry("CallbackURLs", urls).containsEntry("LogoutURLs", urls);
        Map<String, Object> domain = (Map<String, Object>) at(deployment.resolve(resource("UserPoolDomain")), "Properties");
        assertThat(domain).containsEntry("Domain", Map.of("Ref", "SignInDomainPrefix"));
      } else {
        assertThat(env).as(combination.name()).containsEntry("SIGN_IN_BASE_URL", "").containsEntry("SIGN_IN_CLIENT_ID", "");
        if (combination.creates().contains("UserPoolClient")) {
          assertThat((Map<String, Object>) at(deployment.resolve(resource("UserPoolClient")), "Properties"))
              .as(combination.name()).doesNotContainKeys("AllowedOAuthFlowsUserPoolClient", "AllowedOAuthFlows",
                  "CallbackURLs", "LogoutURLs");
        }
      }
    }
    // Without a prefix, the account's own: unique per account and region, changeable by the parameter.
    assertThat(at(new Deployment(template, Map.of()).resolve(resource("UserPoolDomain")), "Properties", "Domain"))
        .isEqualTo(Map.of("Fn::Sub", "leadcycle-${AWS::AccountId}"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void nothingRefersToAResourceTheCombinationLeavesOut() {
    Set<String> parameters = ((Map<String, Object>) template.get("Parameters")).keySet();
    for (Combination combination : combinations()) {
      Deployment deployment = new Deployment(template, combination.parameters());
      Set<String> present = deployment.resources();
      Map<String, Object> scope = new LinkedHashMap<>();
      scope.put("Globals", template.get("Globals"));
      ((Map<String, Object>) template.get("Resources")).forEach((id, r) -> {
        if (present.contains(id)) {
          scope.put(id, r);
        }
      });
      ((Map<String, Object>) template.get("Outputs")).forEach((id, o) -> {
        Object condition = ((Map<String, Object>) o).get("Condition");
        if (condition == null || deployment.condition((String) condition)) {
          scope.put("Output " + id, o);
        }
      });
      Set<String> dangling = CloudFormation.Deployment.references(deployment.resolve(scope)).stream()
          .filter(name -> !present.contains(name) && !parameters.contains(name) && !name.startsWith("AWS::"))
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(dangling).as(combination.name()).isEmpty();
    }
  }

  @Test
  void halfBroughtThingsAreRefusedBeforeAnythingIsCreated() {
    assertThat(new Deployment(template, Map.of("DatabaseHost", "db.example.com")).brokenRules())
        .containsExactly("BroughtDatabaseHasSecret");
    assertThat(new Deployment(template, Map.of("DatabaseSecretArn", BRING_DATABASE.get("DatabaseSecretArn")))
        .brokenRules()).containsExactly("BroughtSecretHasDatabase");
    assertThat(new Deployment(template, Map.of("SubnetIds", "subnet-0aaa,subnet-0bbb")).brokenRules())
        .containsExactly("BroughtSubnetsHaveVpcForCreatedDatabase");
    assertThat(new Deployment(template, merge(BRING_DATABASE, Map.of("SubnetIds", "subnet-0aaa"))).brokenRules())
        .containsExactly("BroughtSubnetsWithBroughtDatabaseHaveSecurityGroups");
    assertThat(new Deployment(template, Map.of("ManagementAuthIssuer", "https://issuer.example.com")).brokenRules())
        .containsExactly("BroughtIssuerHasAudience");
    assertThat(new Deployment(template, merge(BRING_ISSUER, SIGN_IN)).brokenRules())
        .containsExactly("SignInNeedsCreatedUserPool");
  }

  /**
   * cfn-lint (with the SAM transform) on a copy of the template per combination, the combination's values
   * as the parameters' defaults, all in one cfn-lint run. Skipped where cfn-lint is not installed (CI and
   * the development machines have it: pip install cfn-lint).
   */
  @Test
  void cfnLintPassesEveryCombination(@TempDir Path directory) throws Exception {
    assumeTrue(cfnLintInstalled(), "cfn-lint is not installed: the lint of every combination is skipped");
    String text = Files.readString(TEMPLATE);
    List<String> command = new ArrayList<>(List.of("cfn-lint", "--format", "parseable", "--"));
    int n = 0;
    for (Combination combination : combinations()) {
      String copy = text;
      for (Map.Entry<String, String> value : combination.parameters().entrySet()) {
        copy = withDefault(copy, value.getKey(), value.getValue());
        assertThat(copy).contains("    Default: '" + value.getValue() + "'");
      }
      Path file = directory.resolve("combination-" + (++n) + ".yaml");
      Files.writeString(file, "# " + combination.name() + "\n" + copy);
      command.add(file.toString());
    }
    Process lint = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as("cfn-lint findings").isEmpty();
    assertThat(lint.exitValue()).isZero();
  }

  /** {@code template} with parameter {@code name}'s Default line set to {@code value}. */
  static String withDefault(String template, String name, String value) {
    Matcher m = Pattern.compile("(?m)^  " + name + ":\\n(    (?!Default:).*\\n)*?    Default: .*$").matcher(template);
    if (!m.find()) {
      throw new IllegalArgumentException("parameter " + name + " has no Default line to change");
    }
    String line = m.group();
    String replaced = line.substring(0, line.lastIndexOf("    Default: ")) + "    Default: '" + value + "'";
    return template.substring(0, m.start()) + replaced + template.substring(m.end());
  }

  static boolean cfnLintInstalled() {
    try {
      Process version = new ProcessBuilder("cfn-lint", "--version").redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resource(String id) {
    return (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(id);
  }

  /** The value at {@code path} in nested maps; null when something on the way is missing. */
  @SuppressWarnings("unchecked")
  static Object at(Object node, String... path) {
    Object value = node;
    for (String key : path) {
      if (!(value instanceof Map<?, ?>)) {
        return null;
      }
      value = ((Map<String, Object>) value).get(key);
    }
    return value;
  }

  @SafeVarargs
  static Map<String, String> merge(Map<String, String>... maps) {
    Map<String, String> merged = new LinkedHashMap<>();
    Stream.of(maps).forEach(merged::putAll);
    return merged;
  }

  @SafeVarargs
  static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    Stream.of(sets).forEach(all::addAll);
    return all;
  }
}
