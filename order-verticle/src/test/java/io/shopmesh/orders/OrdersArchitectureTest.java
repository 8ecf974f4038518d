package io.shopmesh.orders;

import io.shopmesh.testkit.ArchitectureRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrdersArchitectureTest {

  @Test
  @DisplayName("the orders service uses no other service's code and keeps its domain free of Vert.x")
  void boundaries() {
    ArchitectureRules.checkService("io.shopmesh.orders");
  }
}
