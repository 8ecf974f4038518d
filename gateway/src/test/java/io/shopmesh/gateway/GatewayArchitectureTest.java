package io.shopmesh.gateway;

import io.shopmesh.testkit.ArchitectureRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewayArchitectureTest {

  @Test
  @DisplayName("the gateway service uses no other service's code and keeps its domain free of Vert.x")
  void boundaries() {
    ArchitectureRules.checkService("io.shopmesh.gateway");
  }
}
