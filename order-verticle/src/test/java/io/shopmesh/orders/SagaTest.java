package io.shopmesh.orders;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.contracts.LineRejection;
import io.shopmesh.events.contracts.PricedLine;
import io.shopmesh.events.contracts.StockRejected;
import io.shopmesh.events.contracts.StockReserved;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static io.shopmesh.orders.OrdersFixture.DEADLINE;
import static io.shopmesh.orders.OrdersFixture.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The saga driven by real events on the broker, as inventory publishes them. */
@ExtendWith(InfraExtension.class)
class SagaTest {

  private static OrdersFixture orders;

  @BeforeAll
  static void start(TestEnv env) {
    orders = OrdersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  private static StockReserved reserved(String id) {
    return new StockReserved(id, List.of(new PricedLine("SKU-A", 2, 1250, "EUR"),
        new PricedLine("SKU-B", 3, 199, "EUR")));
  }

  private long inboxed(Envelope envelope) {
    return orders.count("SELECT count(*) FROM inbox WHERE event_id = $1", envelope.id());
  }

  @Test
  @DisplayName("StockReserved confirms the order with its unit prices and the correct total, and publishes OrderConfirmed")
  void confirmed() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 2, "SKU-B", 3);

    orders.publish(reserved(id));
    JsonObject order = orders.awaitStatus(token, id, "CONFIRMED");

    assertThat(order.getLong("totalCents")).isEqualTo(2 * 1250 + 3 * 199);
    assertThat(order.getString("currency")).isEqualTo("EUR");
    assertThat(order.getJsonArray("items").encode()).isEqualTo(
        "[{\"sku\":\"SKU-A\",\"quantity\":2,\"unitPriceCents\":1250},{\"sku\":\"SKU-B\",\"quantity\":3,"
            + "\"unitPriceCents\":199}]");
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced", "OrderConfirmed");
    assertThat(orders.outboxPayloads(id, "OrderConfirmed").get(0).getLong("totalCents")).isEqualTo(3097);
  }

  @Test
  @DisplayName("StockRejected rejects the order with inventory's reasons per line, and publishes OrderRejected")
  void rejected() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 5, "SKU-X", 1);

    orders.publish(new StockRejected(id, List.of(
        new LineRejection("SKU-A", LineRejection.INSUFFICIENT_STOCK, "5 requested, 2 available"),
        new LineRejection("SKU-X", LineRejection.UNKNOWN_SKU, "no such product"))));
    JsonObject order = orders.awaitStatus(token, id, "REJECTED");

    assertThat(order.getJsonArray("rejectionReasons").encode()).isEqualTo(
        "[{\"sku\":\"SKU-A\",\"reason\":\"INSUFFICIENT_STOCK\",\"detail\":\"5 requested, 2 available\"},"
            + "{\"sku\":\"SKU-X\",\"reason\":\"UNKNOWN_SKU\",\"detail\":\"no such product\"}]");
    assertThat(order.containsKey("totalCents")).isFalse();
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced", "OrderRejected");
  }

  @Test
  @DisplayName("a redelivered event and a contradicting late event are recorded and change nothing")
  void redeliveryChangesNothing() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 2, "SKU-B", 3);
    Envelope first = orders.publish(reserved(id));
    JsonObject confirmed = orders.awaitStatus(token, id, "CONFIRMED");

    orders.publish(first);
    Envelope late = orders.publish(new StockRejected(id, List.of()));
    Envelope again = orders.publish(reserved(id));
    await().atMost(DEADLINE).until(() -> inboxed(late) == 1 && inboxed(again) == 1);

    assertThat(inboxed(first)).isEqualTo(1);
    assertThat(orders.order(token, id)).isEqualTo(confirmed);
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced", "OrderConfirmed");
  }

  @Test
  @DisplayName("a reservation that does not match the order, or names an unknown order, is recorded and ignored")
  void inapplicableEventsIgnored() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 2, "SKU-B", 3);

    Envelope wrong = orders.publish(new StockReserved(id, List.of(new PricedLine("SKU-A", 1, 1250, "EUR"))));
    Envelope unknown = orders.publish(reserved(UUID.randomUUID().toString()));
    Envelope foreign = orders.publish(reserved("not-an-order-id"));
    await().atMost(DEADLINE).until(() -> inboxed(wrong) + inboxed(unknown) + inboxed(foreign) == 3);

    assertThat(orders.order(token, id).getString("status")).isEqualTo("PENDING");
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced");
  }

  @Test
  @DisplayName("the owner cancels a pending order: 200 CANCELLED and OrderCancelled(CANCELLED_BY_CUSTOMER)")
  void cancelPending() {
    String user = newUser();
    String token = orders.token(user);
    String id = orders.placed(token, "SKU-A", 1);

    HttpResponse<Buffer> cancelled = orders.send(HttpMethod.POST, "/api/orders/" + id + "/cancel", token);

    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced", "OrderCancelled");
    JsonObject event = orders.outboxPayloads(id, "OrderCancelled").get(0);
    assertThat(event.getString("reason")).isEqualTo("CANCELLED_BY_CUSTOMER");
    assertThat(event.getString("userId")).isEqualTo(user);
  }

  @Test
  @DisplayName("a confirmed order can be cancelled; a reservation arriving after a cancellation is ignored")
  void cancelConfirmedAndLateReservation() {
    String token = orders.token(newUser());
    String confirmedId = orders.placed(token, "SKU-A", 2, "SKU-B", 3);
    orders.publish(reserved(confirmedId));
    orders.awaitStatus(token, confirmedId, "CONFIRMED");
    String cancelledId = orders.placed(token, "SKU-A", 2, "SKU-B", 3);
    assertThat(orders.send(HttpMethod.POST, "/api/orders/" + cancelledId + "/cancel", token).statusCode())
        .isEqualTo(200);

    HttpResponse<Buffer> cancelConfirmed = orders.send(HttpMethod.POST, "/api/orders/" + confirmedId + "/cancel",
        token);
    Envelope late = orders.publish(reserved(cancelledId));
    await().atMost(DEADLINE).until(() -> inboxed(late) == 1);

    assertThat(cancelConfirmed.statusCode()).isEqualTo(200);
    assertThat(cancelConfirmed.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelConfirmed.bodyAsJsonObject().getLong("totalCents")).as("the prices stay").isEqualTo(3097);
    assertThat(orders.outboxTypes(confirmedId)).containsExactly("OrderPlaced", "OrderConfirmed", "OrderCancelled");
    assertThat(orders.order(token, cancelledId).getString("status")).isEqualTo("CANCELLED");
    assertThat(orders.outboxTypes(cancelledId)).containsExactly("OrderPlaced", "OrderCancelled");
  }

  @Test
  @DisplayName("cancelling a rejected or an already cancelled order is a 409 and publishes nothing")
  void cancelTerminalConflicts() {
    String token = orders.token(newUser());
    String rejected = orders.placed(token, "SKU-A", 1);
    orders.publish(new StockRejected(rejected, List.of(new LineRejection("SKU-A", LineRejection.UNKNOWN_SKU, "-"))));
    orders.awaitStatus(token, rejected, "REJECTED");
    String cancelled = orders.placed(token, "SKU-A", 1);
    orders.send(HttpMethod.POST, "/api/orders/" + cancelled + "/cancel", token);

    HttpResponse<Buffer> again = orders.send(HttpMethod.POST, "/api/orders/" + cancelled + "/cancel", token);
    HttpResponse<Buffer> ofRejected = orders.send(HttpMethod.POST, "/api/orders/" + rejected + "/cancel", token);

    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("detail")).contains("CANCELLED");
    assertThat(ofRejected.statusCode()).isEqualTo(409);
    assertThat(orders.outboxTypes(cancelled)).containsExactly("OrderPlaced", "OrderCancelled");
    assertThat(orders.outboxTypes(rejected)).containsExactly("OrderPlaced", "OrderRejected");
  }

  @Test
  @DisplayName("the saga is measured: orders per state, PENDING-to-outcome durations")
  void measured() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 2, "SKU-B", 3);
    orders.publish(reserved(id));
    orders.awaitStatus(token, id, "CONFIRMED");

    String metrics = await().atMost(DEADLINE).until(orders::metrics,
        m -> m.contains("shopmesh_saga_duration_seconds_count{outcome=\"CONFIRMED\"")
            && !m.contains("shopmesh_orders{service=\"orders\",status=\"CONFIRMED\"} 0.0"));

    assertThat(metrics).contains("shopmesh_orders{service=\"orders\",status=\"PENDING\"}")
        .contains("shopmesh_saga_duration_seconds_bucket{outcome=\"CONFIRMED\"")
        .contains("shopmesh_orders_expired_total");
  }
}
