package io.shopmesh.e2e;

import io.shopmesh.devstack.MeshService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The saga's deadline across the real services: an order inventory could not answer in time expires. */
class OrderDeadlineE2ETest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static Mesh mesh;
  private static ShopClient admin;
  private static ShopClient customer;

  @BeforeAll
  static void start() throws Exception {
    mesh = Mesh.start(Map.of(MeshService.ORDERS, Map.of(
        "SHOPMESH_ORDERS_PENDING_DEADLINE", "3s",
        "SHOPMESH_ORDERS_EXPIRY_SCAN", "250ms")));
    admin = new ShopClient(mesh.gateway()).login(mesh.admin().email(), mesh.admin().password());
    customer = ShopClient.customer(mesh.gateway());
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  @DisplayName("an order that expires while inventory is down stays EXPIRED; the reservation inventory makes when it"
      + " returns is released again, and the stock is conserved")
  void lateReservationReleased() {
    String sku = admin.createProduct("E2E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), 700, 10);
    String id;
    mesh.freeze(MeshService.INVENTORY);
    try {
      id = customer.placeOrder(sku, 4).expect(202).json().getString("id");
      JsonObject expired = customer.awaitOrder(id, Set.of("EXPIRED"), DEADLINE);
      assertThat(expired.getString("status")).isEqualTo("EXPIRED");
      assertThat(expired.getString("statusReason")).contains("deadline");
    } finally {
      mesh.thaw(MeshService.INVENTORY);
    }

    List<String> types = await().atMost(DEADLINE).until(() -> mesh.events("inventory.events", id).stream()
        .map(e -> e.getString("type")).toList(), t -> t.contains("StockReleased"));

    assertThat(types).as("inventory reserved late, then released").containsExactly("StockReserved", "StockReleased");
    assertThat(mesh.events("orders.events", id).stream().map(e -> e.getString("type")))
        .containsExactly("OrderPlaced", "OrderCancelled");
    assertThat(admin.available(sku)).isEqualTo(10);
    assertThat(customer.order(id).getString("status")).as("the late reservation confirms nothing").isEqualTo("EXPIRED");
  }
}
