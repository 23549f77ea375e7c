package io.leadcycle.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import io.leadcycle.runtime.Database;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies (docs/architecture.md): the domain and the process are plain Java that
 * depend on nothing but each other's pure types; stores and services know nothing of HTTP; functions
 * depend on shared, never on each other. Checked on the production classes of every module.
 */
class ArchitectureTest {

  /** Production classes only: no test classes, no test jars. */
  private static final ImportOption PRODUCTION = (Location location) -> !location.contains("/test-classes/")
      && !location.contains("-tests.jar");

  private static final JavaClasses LEADCYCLE = new ClassFileImporter()
      .withImportOption(PRODUCTION)
      .importPackages("io.leadcycle");

  @Test
  void theDomainIsPlainJavaAndDependsOnNothingOfOurs() {
    classes().that().resideInAPackage("io.leadcycle.domain..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.leadcycle.domain..", "java..")
        .check(LEADCYCLE);
  }

  @Test
  void theProcessIsPlainJavaAndDependsOnlyOnTheDomain() {
    classes().that().resideInAPackage("io.leadcycle.process..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.leadcycle.process..", "io.leadcycle.domain..", "java..")
        .check(LEADCYCLE);
  }

  @Test
  void scoringIsPlainJavaAndDependsOnlyOnTheDomain() {
    classes().that().resideInAPackage("io.leadcycle.scoring..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.leadcycle.scoring..", "io.leadcycle.domain..", "java..")
        .check(LEADCYCLE);
  }

  @Test
  void storesKnowNothingOfHttpTriggersOrServices() {
    noClasses().that().resideInAPackage("io.leadcycle.store..")
        .should().dependOnClassesThat().resideInAnyPackage("io.leadcycle.http..", "io.leadcycle.platform..",
            "io.leadcycle.intake..", "io.leadcycle.leads..", "io.leadcycle.contacts..", "io.leadcycle.forms..",
            "io.leadcycle.rescoring..", "io.leadcycle.interactions..", "io.leadcycle.scoringmodels..", "io.leadcycle.subscribers..",
            "io.leadcycle.journeys..", "io.leadcycle.linkedin..", "io.leadcycle.imports..", "com.amazonaws..")
        .check(LEADCYCLE);
  }

  @Test
  void servicesKnowNothingOfHttpOrTriggers() {
    noClasses().that().resideInAnyPackage("io.leadcycle.intake..", "io.leadcycle.leads..", "io.leadcycle.contacts..",
            "io.leadcycle.forms..", "io.leadcycle.events..", "io.leadcycle.rescoring..", "io.leadcycle.interactions..",
            "io.leadcycle.scoringmodels..", "io.leadcycle.subscribers..", "io.leadcycle.journeys..", "io.leadcycle.linkedin..",
            "io.leadcycle.imports..")
        .should().dependOnClassesThat().resideInAnyPackage("io.leadcycle.http..", "io.leadcycle.platform..",
            "com.amazonaws..")
        .check(LEADCYCLE);
  }

  @Test
  void functionsCallServicesWhichOwnTheTransactions() {
    // docs/architecture.md, "Services and transactions": a handler that opened a transaction on stores
    // itself would be a second place where a unit of work is decided.
    noClasses().that().resideInAPackage("io.leadcycle.functions..")
        .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
            JavaClass.Predicates.assignableTo(Database.class))).and(JavaCall.Predicates.target(
                HasName.Predicates.nameMatching("inTransaction|inIdempotentTransaction"))))
        .orShould().callConstructorWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
            JavaClass.Predicates.simpleNameEndingWith("Store"))))
        .check(LEADCYCLE);
  }

  @Test
  void theRuntimeIsTheBottomLayer() {
    noClasses().that().resideInAPackage("io.leadcycle.runtime..")
        .should().dependOnClassesThat().resideInAnyPackage("io.leadcycle.http..", "io.leadcycle.platform..",
            "io.leadcycle.store..", "io.leadcycle.intake..", "io.leadcycle.leads..", "io.leadcycle.contacts..",
            "io.leadcycle.forms..")
        .check(LEADCYCLE);
  }

  @Test
  void sharedCodeNeverDependsOnAFunctionOrAHost() {
    noClasses().that().resideOutsideOfPackages("io.leadcycle.functions..", "io.leadcycle.local..", "io.leadcycle.bench..")
        .should().dependOnClassesThat().resideInAnyPackage("io.leadcycle.functions..", "io.leadcycle.local..",
            "io.leadcycle.bench..")
        .check(LEADCYCLE);
  }

  @Test
  void functionsNeverDependOnEachOther() {
    slices().matching("io.leadcycle.functions.(*)..").should().notDependOnEachOther().check(LEADCYCLE);
  }

  @Test
  void theImportSeesEveryLayer() {
    // Guards the rules above against passing vacuously on an empty import.
    for (String name : new String[] {"io.leadcycle.domain.Lead", "io.leadcycle.process.LeadProcessMachine",
        "io.leadcycle.store.LeadStore", "io.leadcycle.http.HttpFunction",
        "io.leadcycle.functions.formintake.FormIntakeHandler",
        "io.leadcycle.functions.leadmanagement.LeadManagementHandler",
        "io.leadcycle.functions.scoring.ScoringHandler", "io.leadcycle.interactions.InteractionService",
        "io.leadcycle.scoringmodels.ScoringModelService", "io.leadcycle.journeys.JourneyTileService",
        "io.leadcycle.functions.subscribers.SubscribersHandler", "io.leadcycle.subscribers.SubscriberService",
        "io.leadcycle.linkedin.LinkedInSync", "io.leadcycle.imports.ImportService", "io.leadcycle.functions.linkedinsync.LinkedInWebhookHandler"}) {
      org.assertj.core.api.Assertions.assertThat(LEADCYCLE.contain(name)).as(name).isTrue();
    }
  }
}
