package io.shopmesh.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The boundaries of the mesh as executable rules (see ARCHITECTURE.md): a service never uses
 * another service's code, shared modules never depend on a service, and {@code domain} packages
 * are plain Java without Vert.x or Netty types. Each service's test suite checks its own code;
 * the shared modules check theirs.
 */
public final class ArchitectureRules {

  /** The base package of every service. */
  public static final List<String> SERVICE_PACKAGES = List.of(
      "io.shopmesh.gateway", "io.shopmesh.users", "io.shopmesh.orders", "io.shopmesh.inventory");

  /** The base package of every shared module. */
  public static final List<String> MODULE_PACKAGES = List.of(
      "io.shopmesh.platform", "io.shopmesh.events", "io.shopmesh.devstack", "io.shopmesh.testkit",
      "io.shopmesh.bench");

  private ArchitectureRules() {
  }

  /** Checks the production code of the service whose base package is {@code servicePackage}. */
  public static void checkService(String servicePackage) {
    JavaClasses classes = productionClasses(servicePackage);
    String[] others = SERVICE_PACKAGES.stream().filter(p -> !p.equals(servicePackage))
        .map(p -> p + "..").toArray(String[]::new);
    ArchRule isolated = noClasses().should().dependOnClassesThat().resideInAnyPackage(others)
        .because("services share code only through modules/ and facts only through events");
    ArchRule plainDomain = noClasses().that().resideInAPackage(servicePackage + ".domain..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..")
        .allowEmptyShould(true)
        .because("domain holds records, state machines and rules, testable without Vert.x");
    isolated.allowEmptyShould(true).check(classes);
    plainDomain.check(classes);
  }

  /** Checks that the shared modules on the classpath depend on no service. */
  public static void checkModules() {
    JavaClasses classes = productionClasses(MODULE_PACKAGES.toArray(String[]::new));
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage(SERVICE_PACKAGES.stream().map(p -> p + "..").toArray(String[]::new))
        .because("modules/ is shared by every service and never depends on one")
        .allowEmptyShould(true)
        .check(classes);
  }

  private static JavaClasses productionClasses(String... packages) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(packages);
  }
}
