package io.shopmesh.testkit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModulesArchitectureTest {

  @Test
  @DisplayName("platform, devstack and testkit depend on no service")
  void modulesDependOnNoService() {
    ArchitectureRules.checkModules();
  }
}
