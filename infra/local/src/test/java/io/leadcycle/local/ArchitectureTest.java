package io.leadcycle.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import io.leadcycle.postgres.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module map of docs/architecture.md, as a whitelist: each layer names the packages (ours and the
 * libraries') it may depend on, and every class of ours must belong to a layer — so a new package, or a
 * new arrow the map does not draw, fails here until the map (and this test) says where it belongs.
 * Checked on the production classes of every module (no test classes, no test jars).
 */
class ArchitectureTest {

  private static final ImportOption PRODUCTION = (Location location) -> !location.contains("/test-classes/")
      && !location.contains("-tests.jar");

  private static final JavaClasses LEADCYCLE = new ClassFileImporter()
      .withImportOption(PRODUCTION)
      .importPackages("io.leadcycle");

  private static final String JAVA = "java..";
  private static final String VERTX_JSON = "io.vertx.core.json..";
  private static final String LAMBDA = "com.amazonaws.services.lambda.runtime..";
  private static final String LAMBDA_EVENTS = "com.amazonaws.services.lambda.runtime.events..";

  // ---- our layers, bottom up (docs/architecture.md#modules) ----

  /** leadcycle-core: plain Java, no I/O. */
  private static final String[] CORE = {"io.leadcycle.domain..", "io.leadcycle.process..", "io.leadcycle.scoring..",
      "io.leadcycle.events..", "io.leadcycle.segments.."};
  /** leadcycle-runtime: logs, metrics, SnapStart hooks, the ports to the environment's resources. */
  private static final String RUNTIME = "io.leadcycle.runtime..";
  /** leadcycle-aws: the AWS adapters. */
  private static final String AWS = "io.leadcycle.aws..";
  /** leadcycle-platform: the function base and the trigger kinds. */
  private static final String[] PLATFORM = {"io.leadcycle.platform..", "io.leadcycle.http.."};
  /** leadcycle-postgres: the database, the stores and the services (one transaction per call). */
  private static final String[] POSTGRES = {"io.leadcycle.postgres..", "io.leadcycle.store..", "io.leadcycle.contacts..",
      "io.leadcycle.forms..", "io.leadcycle.imports..", "io.leadcycle.intake..", "io.leadcycle.interactions..",
      "io.leadcycle.journeys..", "io.leadcycle.leads..", "io.leadcycle.privacy..", "io.leadcycle.processes..", "io.leadcycle.rescoring..",
      "io.leadcycle.scoringmodels..", "io.leadcycle.segmentation..", "io.leadcycle.subscribers..", "io.leadcycle.users.."};
  private static final String NOTIFICATIONS = "io.leadcycle.notifications..";
  private static final String LINKEDIN = "io.leadcycle.linkedin..";
  /** The deployables: one package per function module. */
  private static final String FUNCTIONS = "io.leadcycle.functions..";
  /** Hosts and tools: the local server, the benchmarks, the migrations, the conformance suite. */
  private static final String[] HOSTS = {"io.leadcycle.local..", "io.leadcycle.bench..", "io.leadcycle.database..",
      "io.leadcycle.conformance.."};

  @Test
  void theDomainIsPlainJavaAndDependsOnNothingOfOurs() {
    classes().that().resideInAPackage("io.leadcycle.domain..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.leadcycle.domain..", JAVA)
        .check(LEADCYCLE);
  }

  @Test
  void segmentDefinitionsArePlainJavaOnTheDomain() {
    classes().that().resideInAPackage("io.leadcycle.segments..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.leadcycle.segments..", "io.leadcycle.domain..", JAVA)
        .because("a segment definition is parsed and checked without I/O; the SQL it compiles to is the store's")
        .check(LEADCYCLE);
  }

  @Test
  void theProcessAndScoringArePlainJavaOnTheDomain() {
    classes().that().resideInAnyPackage("io.leadcycle.process..", "io.leadcycle.scoring..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.leadcycle.process..", "io.leadcycle.scoring..",
            "io.leadcycle.domain..", JAVA)
        .because("the process and the scoring engine are plain Java (and neither knows the other)")
        .check(LEADCYCLE);
    noClasses().that().resideInAPackage("io.leadcycle.process..").should().dependOnClassesThat()
        .resideInAPackage("io.leadcycle.scoring..").check(LEADCYCLE);
    noClasses().that().resideInAPackage("io.leadcycle.scoring..").should().dependOnClassesThat()
        .resideInAPackage("io.leadcycle.process..").check(LEADCYCLE);
  }

  @Test
  void eventPayloadsArePlainJavaWithJson() {
    classes().that().resideInAPackage("io.leadcycle.events..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(join(CORE, JAVA, VERTX_JSON))
        .check(LEADCYCLE);
  }

  @Test
  void theRuntimeDependsOnNothingOfOurs() {
    classes().that().resideInAPackage(RUNTIME)
        .should().onlyDependOnClassesThat().resideInAnyPackage(RUNTIME, JAVA, "javax.crypto..", VERTX_JSON, "org.crac..", LAMBDA_EVENTS)
        .check(LEADCYCLE);
  }

  @Test
  void theAwsAdaptersImplementTheRuntimesPorts() {
    classes().that().resideInAPackage(AWS)
        .should().onlyDependOnClassesThat().resideInAnyPackage(AWS, RUNTIME, JAVA, "javax.crypto..", VERTX_JSON,
            LAMBDA_EVENTS)
        .check(LEADCYCLE);
  }

  @Test
  void noProductionCodeUsesTheAwsSdk() {
    // Our own signed calls (aws) instead: the SDK stays a test-scoped reference, out of every function's jar.
    noClasses().should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
        .check(LEADCYCLE);
  }

  @Test
  void thePlatformKnowsNoDatabaseNoAwsServiceAndNoFeature() {
    classes().that().resideInAnyPackage(PLATFORM)
        .should().onlyDependOnClassesThat().resideInAnyPackage(join(PLATFORM, RUNTIME, "io.leadcycle.domain..", JAVA,
            "javax.crypto..", "io.vertx.core..", LAMBDA, "org.joda.time..", "org.apache.commons.csv..",
            // HttpRequest reads bodies with a strict Jackson parser (Vert.x's own takes comments)
            "com.fasterxml.jackson.core.."))
        .check(LEADCYCLE);
  }

  @Test
  void theDatabaseLayerKnowsNoTriggerAndNoHttp() {
    classes().that().resideInAnyPackage(POSTGRES)
        .should().onlyDependOnClassesThat().resideInAnyPackage(join(POSTGRES, join(CORE, RUNTIME, AWS, JAVA,
            "io.vertx.core..", "io.vertx.sqlclient..", "io.vertx.pgclient..", "io.netty.channel..",
            "org.apache.commons.csv..", "javax.net.ssl..", "javax.crypto..")))
        .check(LEADCYCLE);
  }

  @Test
  void storesKnowNothingOfTheServicesAbove() {
    noClasses().that().resideInAPackage("io.leadcycle.store..")
        .should().dependOnClassesThat().resideInAnyPackage(Stream.of(POSTGRES)
            .filter(p -> !p.equals("io.leadcycle.store..") && !p.equals("io.leadcycle.postgres..")).toArray(String[]::new))
        .check(LEADCYCLE);
  }

  @Test
  void notificationsUseTheDatabaseLayerAndOnlyTheSignatureSchemeOfHttp() {
    classes().that().resideInAPackage(NOTIFICATIONS)
        .should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage(join(POSTGRES, join(CORE, NOTIFICATIONS,
            RUNTIME, JAVA, "io.vertx.core..", "io.vertx.ext.web.client..", "io.vertx.ext.web.codec..", "io.netty.handler.codec.http..")))
            .or(HasName.Predicates.name("io.leadcycle.http.StandardWebhooks")))
        .check(LEADCYCLE);
  }

  @Test
  void linkedInIsOneFeatureOnIntake() {
    classes().that().resideInAPackage(LINKEDIN)
        .should().onlyDependOnClassesThat().resideInAnyPackage(join(POSTGRES, join(CORE, LINKEDIN, RUNTIME, AWS,
            "io.leadcycle.http..", JAVA, "javax.crypto..", "io.vertx.core..", "io.vertx.ext.web.client..",
            "io.vertx.sqlclient..")))
        .check(LEADCYCLE);
  }

  @Test
  void functionsCallServicesWhichOwnTheTransactions() {
    // docs/architecture.md, "Services and transactions": a handler that opened a transaction on stores
    // itself would be a second place where a unit of work is decided.
    noClasses().that().resideInAPackage(FUNCTIONS)
        .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
            JavaClass.Predicates.assignableTo(Database.class))).and(JavaCall.Predicates.target(
                HasName.Predicates.nameMatching("inTransaction|inIdempotentTransaction"))))
        .orShould().callConstructorWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
            JavaClass.Predicates.simpleNameEndingWith("Store"))))
        .check(LEADCYCLE);
  }

  @Test
  void sharedCodeNeverDependsOnAFunctionOrAHost() {
    noClasses().that().resideOutsideOfPackages(join(HOSTS, FUNCTIONS))
        .should().dependOnClassesThat().resideInAnyPackage(join(HOSTS, FUNCTIONS))
        .check(LEADCYCLE);
  }

  @Test
  void functionsNeverDependOnEachOther() {
    slices().matching("io.leadcycle.functions.(*)..").should().notDependOnEachOther().check(LEADCYCLE);
  }

  @Test
  void everyClassBelongsToALayerOfTheMap() {
    classes().that().resideInAPackage("io.leadcycle..")
        .should().resideInAnyPackage(join(CORE, join(PLATFORM, join(POSTGRES, join(HOSTS, RUNTIME, AWS, NOTIFICATIONS,
            LINKEDIN, FUNCTIONS)))))
        .because("a new package is placed on the module map (docs/architecture.md) before it is used")
        .check(LEADCYCLE);
  }

  @Test
  void theImportSeesEveryLayer() {
    // Guards the rules above against passing vacuously on an empty import.
    for (String name : new String[] {"io.leadcycle.domain.Lead", "io.leadcycle.process.ProcessMachine",
        "io.leadcycle.events.LeadEventPayload", "io.leadcycle.runtime.LeadcycleRuntime", "io.leadcycle.aws.AwsResources",
        "io.leadcycle.store.LeadStore", "io.leadcycle.postgres.Database", "io.leadcycle.http.HttpFunction",
        "io.leadcycle.notifications.Dispatcher", "io.leadcycle.linkedin.LinkedInSync",
        "io.leadcycle.functions.formintake.FormIntakeHandler",
        "io.leadcycle.functions.leadmanagement.LeadManagementHandler",
        "io.leadcycle.functions.scoring.ScoringHandler", "io.leadcycle.interactions.InteractionService",
        "io.leadcycle.scoringmodels.ScoringModelService", "io.leadcycle.journeys.JourneyTileService",
        "io.leadcycle.functions.subscribers.SubscribersHandler", "io.leadcycle.subscribers.SubscriberService",
        "io.leadcycle.imports.ImportService", "io.leadcycle.functions.linkedinsync.LinkedInWebhookHandler",
        "io.leadcycle.functions.workbench.WorkbenchHandler", "io.leadcycle.local.LocalServer"}) {
      assertThat(LEADCYCLE.contain(name)).as(name).isTrue();
    }
  }

  private static String[] join(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static String[] join(String first, String... more) {
    return join(new String[] {first}, more);
  }
}
