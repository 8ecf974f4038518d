package io.shopmesh.inventory;

import io.shopmesh.testkit.ArchitectureRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InventoryArchitectureTest {

  @Test
  @DisplayName("the inventory service uses no other service's code and keeps its domain free of Vert.x")
  void boundaries() {
    ArchitectureRules.checkService("io.shopmesh.inventory");
  }
}
