package io.shopmesh.e2e;

import io.shopmesh.devstack.MeshService;
import io.shopmesh.testkit.FaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * The fast fault suite of {@code mvn verify}: the most telling crashes and one network fault, each
 * under a steady stream of orders from a careful client, on one mesh of real processes (PostgreSQL
 * with fsync and synchronous commit on). Each test checks every {@link Invariants invariant}
 * afterwards and adds its numbers to {@code target/fault-report.json}. The long suite
 * ({@link ChaosE2ETest}, {@code -Pchaos}) runs every fault several times, then a soak.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class FaultToleranceE2ETest {

  private static Faults faults;

  @BeforeAll
  static void start() throws Exception {
    faults = Faults.start(false);
  }

  @AfterAll
  static void stop() {
    if (faults != null) {
      faults.close();
    }
  }

  @Test
  @DisplayName("orders killed with -9 mid-traffic: clients retrying with their Idempotency-Key lose nothing and"
      + " create nothing twice")
  void killOrders() throws Exception {
    faults.drill().run("kill -9 orders", faults.killService(MeshService.ORDERS));
  }

  @Test
  @DisplayName("inventory killed with -9: orders are still accepted, and every one is decided once it is back")
  void killInventory() throws Exception {
    faults.drill().run("kill -9 inventory", faults.killService(MeshService.INVENTORY));
  }

  @Test
  @DisplayName("the Kafka broker killed with -9 and restarted: orders are accepted meanwhile, no event is lost or"
      + " applied twice")
  void killKafka() throws Exception {
    faults.drill().run("kill -9 kafka, restart", faults.killKafka());
  }

  @Test
  @DisplayName("PostgreSQL killed with -9 and restarted: every acknowledged order survives crash recovery and the"
      + " stock is conserved")
  void killPostgres() throws Exception {
    faults.drill().run("kill -9 postgres, restart", faults.killPostgres());
  }

  @Test
  @DisplayName("orders frozen with SIGSTOP past the breaker timeout: the breaker opens (fast 503s) and closes after"
      + " SIGCONT, nothing lost")
  void freezeOrders() throws Exception {
    faults.drill().run("SIGSTOP orders, SIGCONT", faults.freezeOrders());
  }

  @Test
  @DisplayName("the network to inventory blackholed: product reads fail fast with 503, orders and users do not"
      + " notice, reads recover by themselves")
  void inventoryBlackholed() throws Exception {
    faults.drill().run("blackhole gateway -> inventory",
        faults.gatewayToInventory(FaultProxy.Mode.BLACKHOLE));
  }
}
