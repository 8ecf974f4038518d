package io.shopmesh.orders;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.contracts.PricedLine;
import io.shopmesh.events.contracts.StockReserved;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shopmesh.orders.OrdersFixture.DEADLINE;
import static io.shopmesh.orders.OrdersFixture.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The deadline: orders PENDING too long expire, once, and tell inventory to release their stock. */
@ExtendWith(InfraExtension.class)
class ExpiryTest {

  private static OrdersFixture orders;

  @BeforeAll
  static void start(TestEnv env) {
    orders = OrdersFixture.start(env, new JsonObject().put("orders", new JsonObject()
        .put("pendingDeadline", "4s").put("expiryScan", "200ms")));
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  /** Makes the order look placed an hour ago, past any deadline. */
  private void backdate(String id) {
    orders.rows("UPDATE orders SET created_at = created_at - interval '1 hour' WHERE id = $1", UUID.fromString(id));
  }

  @Test
  @DisplayName("an order still PENDING at its deadline becomes EXPIRED with a reason, and OrderCancelled(EXPIRED) is"
      + " published so inventory releases a late reservation")
  void expires() {
    String user = newUser();
    String token = orders.token(user);
    String id = orders.placed(token, "SKU-A", 1);

    JsonObject expired = orders.awaitStatus(token, id, "EXPIRED");

    assertThat(expired.getString("statusReason")).contains("deadline");
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced", "OrderCancelled");
    assertThat(orders.outboxPayloads(id, "OrderCancelled").get(0).getMap())
        .containsEntry("reason", "EXPIRED").containsEntry("userId", user).containsEntry("orderId", id);
    List<JsonObject> published = await().atMost(DEADLINE).until(() -> orders.published("orders.events", id),
        events -> events.size() == 2);
    assertThat(published.get(1).getString("type")).isEqualTo("OrderCancelled");
    assertThat(published.get(1).getJsonObject("payload").getString("reason")).isEqualTo("EXPIRED");
    assertThat(orders.metric("shopmesh_orders_expired_total", "service=\"orders\"")).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("a reservation that arrives after the deadline is ignored: the order stays EXPIRED")
  void lateReservationIgnored() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 1);
    backdate(id);
    orders.awaitStatus(token, id, "EXPIRED");

    Envelope late = orders.publish(new StockReserved(id, List.of(new PricedLine("SKU-A", 1, 100, "EUR"))));
    await().atMost(DEADLINE).until(() -> orders.count("SELECT count(*) FROM inbox WHERE event_id = $1", late.id()) == 1);

    assertThat(orders.order(token, id).getString("status")).isEqualTo("EXPIRED");
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced", "OrderCancelled");
  }

  @Test
  @DisplayName("only PENDING orders expire: confirmed and cancelled ones past the deadline keep their state")
  void onlyPendingExpires() {
    String token = orders.token(newUser());
    String confirmed = orders.placed(token, "SKU-A", 1);
    orders.publish(new StockReserved(confirmed, List.of(new PricedLine("SKU-A", 1, 100, "EUR"))));
    orders.awaitStatus(token, confirmed, "CONFIRMED");
    String cancelled = orders.placed(token, "SKU-A", 1);
    orders.send(HttpMethod.POST, "/api/orders/" + cancelled + "/cancel", token);
    String sentinel = orders.placed(token, "SKU-A", 1);
    backdate(confirmed);
    backdate(cancelled);
    backdate(sentinel);

    // the sentinel expiring proves a scan ran over all three
    orders.awaitStatus(token, sentinel, "EXPIRED");

    assertThat(orders.order(token, confirmed).getString("status")).isEqualTo("CONFIRMED");
    assertThat(orders.order(token, cancelled).getString("status")).isEqualTo("CANCELLED");
    assertThat(orders.outboxTypes(confirmed)).containsExactly("OrderPlaced", "OrderConfirmed");
  }

  @Test
  @DisplayName("with two instances scanning, every overdue order expires exactly once")
  void twoInstancesExpireOnce() {
    String token = orders.token(newUser());
    List<String> ids = new ArrayList<>();
    try (RunningService second = orders.startAnother()) {
      for (int i = 0; i < 30; i++) {
        ids.add(orders.placed(token, "SKU-A", 1));
      }
      UUID[] uuids = ids.stream().map(UUID::fromString).toArray(UUID[]::new);
      orders.rows("UPDATE orders SET created_at = created_at - interval '1 hour' WHERE id = ANY ($1)", (Object) uuids);

      await().atMost(DEADLINE).until(() -> orders.count("SELECT count(*) FROM orders WHERE status = 'EXPIRED'"
          + " AND id = ANY ($1)", (Object) uuids) == ids.size());
    }

    assertThat(orders.count("SELECT count(*) FROM outbox WHERE type = 'OrderCancelled' AND aggregate_id = ANY ($1)",
        (Object) ids.toArray(String[]::new))).isEqualTo(ids.size());
  }
}
