package io.shopmesh.e2e;

import io.shopmesh.devstack.MeshService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order saga across the real services, started from their jars: orders and inventory agree
 * through Kafka, customers see the outcome through the gateway.
 */
class OrderSagaE2ETest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Set<String> DECIDED = Set.of("CONFIRMED", "REJECTED");

  private static Mesh mesh;
  private static ShopClient admin;
  private static ShopClient customer;

  @BeforeAll
  static void start() throws Exception {
    mesh = Mesh.start(Map.of());
    admin = new ShopClient(mesh.gateway()).login(mesh.admin().email(), mesh.admin().password());
    customer = ShopClient.customer(mesh.gateway());
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private static String newSku() {
    return "E2E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  }

  @Test
  @DisplayName("an order is confirmed by inventory at the catalog price: correct total, stock taken, names in details")
  void confirmed() {
    String sku = admin.createProduct(newSku(), 1299, 10);

    ShopClient.Response placed = customer.placeOrder(sku, 3).expect(202);
    JsonObject order = customer.awaitOrder(placed.json().getString("id"), DECIDED, DEADLINE);

    assertThat(order.getString("status")).isEqualTo("CONFIRMED");
    assertThat(order.getLong("totalCents")).isEqualTo(3 * 1299);
    assertThat(order.getJsonArray("items").getJsonObject(0).getLong("unitPriceCents")).isEqualTo(1299);
    assertThat(admin.available(sku)).isEqualTo(7);
    JsonObject details = customer.send("GET", "/api/orders/" + order.getString("id") + "/details", null, null)
        .expect(200).json();
    assertThat(details.getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("Product " + sku);
  }

  @Test
  @DisplayName("an order for more than the stock is rejected with inventory's reason, and the stock is untouched")
  void rejected() {
    String sku = admin.createProduct(newSku(), 500, 2);

    ShopClient.Response placed = customer.placeOrder(sku, 5).expect(202);
    JsonObject order = customer.awaitOrder(placed.json().getString("id"), DECIDED, DEADLINE);

    assertThat(order.getString("status")).isEqualTo("REJECTED");
    JsonObject reason = order.getJsonArray("rejectionReasons").getJsonObject(0);
    assertThat(reason.getString("sku")).isEqualTo(sku);
    assertThat(reason.getString("reason")).isEqualTo("INSUFFICIENT_STOCK");
    assertThat(admin.available(sku)).isEqualTo(2);
  }

  @Test
  @DisplayName("cancelling a confirmed order gives its stock back")
  void cancelReleasesStock() {
    String sku = admin.createProduct(newSku(), 250, 5);
    String id = customer.placeOrder(sku, 2).expect(202).json().getString("id");
    assertThat(customer.awaitOrder(id, DECIDED, DEADLINE).getString("status")).isEqualTo("CONFIRMED");
    assertThat(admin.available(sku)).isEqualTo(3);

    JsonObject cancelled = customer.cancel(id).expect(200).json();

    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    await().atMost(DEADLINE).until(() -> admin.available(sku) == 5);
    assertThat(customer.cancel(id).status()).as("a second cancel").isEqualTo(409);
  }

  @Test
  @DisplayName("while inventory is down orders are still accepted, and all of them are confirmed once it is back")
  void inventoryDown() {
    String sku = admin.createProduct(newSku(), 100, 20);
    List<String> ids = new ArrayList<>();
    mesh.freeze(MeshService.INVENTORY);
    try {
      for (int i = 0; i < 5; i++) {
        ShopClient.Response placed = customer.placeOrder(sku, 2);
        assertThat(placed.status()).as(placed.body()).isEqualTo(202);
        ids.add(placed.json().getString("id"));
      }
      assertThat(ids).allSatisfy(id -> assertThat(customer.order(id).getString("status")).isEqualTo("PENDING"));
    } finally {
      mesh.thaw(MeshService.INVENTORY);
    }

    assertThat(ids).allSatisfy(id -> assertThat(customer.awaitOrder(id, DECIDED, DEADLINE).getString("status"))
        .isEqualTo("CONFIRMED"));
    assertThat(admin.available(sku)).isEqualTo(20 - 5 * 2);
  }
}
