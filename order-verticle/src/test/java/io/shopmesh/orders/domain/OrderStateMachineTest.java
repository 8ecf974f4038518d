package io.shopmesh.orders.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OrderStateMachineTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  private static Order order(OrderStatus status, OrderItem... items) {
    return new Order(UUID.randomUUID(), "u1", status, List.of(items), null, null, List.of(), null, NOW, NOW);
  }

  private static Order pending() {
    return order(OrderStatus.PENDING, OrderItem.of("SKU-A", 2), OrderItem.of("SKU-B", 1));
  }

  private static List<ReservedLine> reservation() {
    return List.of(new ReservedLine("SKU-B", 1, 250, "EUR"), new ReservedLine("SKU-A", 2, 1999, "EUR"));
  }

  private static Order applied(Transition transition) {
    assertThat(transition).isInstanceOf(Transition.Applied.class);
    return ((Transition.Applied) transition).order();
  }

  @Test
  @DisplayName("a reservation confirms a pending order with each line's unit price and the total in cents")
  void confirmPrices() {
    Order confirmed = applied(OrderStateMachine.confirm(pending(), reservation()));

    assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(confirmed.items()).containsExactly(new OrderItem("SKU-A", 2, 1999L), new OrderItem("SKU-B", 1, 250L));
    assertThat(confirmed.totalCents()).isEqualTo(2 * 1999 + 250);
    assertThat(confirmed.currency()).isEqualTo("EUR");
  }

  @Test
  @DisplayName("a rejection moves a pending order to REJECTED with inventory's reasons")
  void reject() {
    List<Rejection> reasons = List.of(new Rejection("SKU-A", "INSUFFICIENT_STOCK", "2 requested, 1 available"));

    Order rejected = applied(OrderStateMachine.reject(pending(), reasons));

    assertThat(rejected.status()).isEqualTo(OrderStatus.REJECTED);
    assertThat(rejected.rejections()).isEqualTo(reasons);
  }

  @ParameterizedTest
  @EnumSource(value = OrderStatus.class, names = {"PENDING", "CONFIRMED"})
  @DisplayName("a customer can cancel a pending or a confirmed order")
  void cancelAllowed(OrderStatus status) {
    Transition transition = OrderStateMachine.cancel(order(status, OrderItem.of("SKU-A", 1)));

    assertThat(applied(transition).status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(((Transition.Applied) transition).from()).isEqualTo(status);
  }

  @ParameterizedTest
  @EnumSource(value = OrderStatus.class, names = {"REJECTED", "CANCELLED", "EXPIRED"})
  @DisplayName("terminal states never change: no cancellation, reservation or rejection applies to them")
  void terminalStatesNeverChange(OrderStatus status) {
    Order order = order(status, OrderItem.of("SKU-A", 2), OrderItem.of("SKU-B", 1));

    assertThat(status.isTerminal()).isTrue();
    assertThat(OrderStateMachine.cancel(order)).isInstanceOf(Transition.Ignored.class);
    assertThat(OrderStateMachine.confirm(order, reservation())).isInstanceOf(Transition.Ignored.class);
    assertThat(OrderStateMachine.reject(order, List.of())).isInstanceOf(Transition.Ignored.class);
  }

  @Test
  @DisplayName("a second reservation or a late rejection of a confirmed order is ignored, saying why")
  void confirmedIgnoresStockEvents() {
    Order confirmed = applied(OrderStateMachine.confirm(pending(), reservation()));

    Transition again = OrderStateMachine.confirm(confirmed, reservation());
    Transition rejected = OrderStateMachine.reject(confirmed, List.of());

    assertThat(again).isInstanceOf(Transition.Ignored.class);
    assertThat(((Transition.Ignored) again).why()).contains("CONFIRMED");
    assertThat(rejected).isInstanceOf(Transition.Ignored.class);
  }

  @Test
  @DisplayName("a reservation that does not match the order's lines, or mixes currencies, leaves it PENDING")
  void mismatchedReservationIgnored() {
    Order order = pending();

    assertThat(OrderStateMachine.confirm(order, List.of(new ReservedLine("SKU-A", 2, 100, "EUR"))))
        .as("a line missing").isInstanceOf(Transition.Ignored.class);
    assertThat(OrderStateMachine.confirm(order, List.of(new ReservedLine("SKU-A", 1, 100, "EUR"),
        new ReservedLine("SKU-B", 1, 100, "EUR")))).as("another quantity").isInstanceOf(Transition.Ignored.class);
    assertThat(OrderStateMachine.confirm(order, List.of(new ReservedLine("SKU-A", 2, 100, "EUR"),
        new ReservedLine("SKU-B", 1, 100, "USD")))).as("two currencies").isInstanceOf(Transition.Ignored.class);
    assertThat(OrderStateMachine.confirm(order, List.of(new ReservedLine("SKU-A", 2, Long.MAX_VALUE, "EUR"),
        new ReservedLine("SKU-B", 1, 1, "EUR")))).as("a total beyond 64 bits").isInstanceOf(Transition.Ignored.class);
  }

  @Test
  @DisplayName("only CONFIRMED and PENDING are not terminal, and only PENDING expires")
  void terminalStates() {
    assertThat(OrderStatus.PENDING.isTerminal()).isFalse();
    assertThat(OrderStatus.CONFIRMED.isTerminal()).isFalse();
    assertThat(OrderStateMachine.EXPIRES_FROM).isEqualTo(OrderStatus.PENDING);
  }
}
