package io.shopmesh.inventory;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.ServiceChecks;
import io.shopmesh.testkit.TestEnv;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(InfraExtension.class)
class InventoryStartupTest {

  @Test
  @DisplayName("the inventory service starts against real infrastructure and is live, ready and measured")
  void startsReady(TestEnv env) {
    try (InventoryFixture inventory = InventoryFixture.start(env)) {
      ServiceChecks.assertOperable(inventory.service());
      assertThat(inventory.get("/health/ready").bodyAsString()).contains("signing-keys");
      assertThat(inventory.get("/metrics").bodyAsString()).contains("shopmesh_worker_queue_depth{pool=\"imports\"");
    }
  }
}
