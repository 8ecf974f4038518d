package io.shopmesh.orders.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order saga's rules, as pure functions of the order and the fact:
 * <pre>
 * PENDING   -> CONFIRMED (stock reserved) | REJECTED (stock rejected) | CANCELLED (customer) | EXPIRED (deadline)
 * CONFIRMED -> CANCELLED (customer)
 * </pre>
 * REJECTED, CANCELLED and EXPIRED are terminal. A fact that does not fit the current state is
 * {@link Transition.Ignored ignored}: events are delivered at least once and may arrive late.
 * The deadline is applied to many orders at once by one guarded UPDATE ({@code status = 'PENDING'},
 * see {@link #EXPIRES_FROM}) rather than order by order.
 */
public final class OrderStateMachine {

  /** The only state an order expires from. */
  public static final OrderStatus EXPIRES_FROM = OrderStatus.PENDING;
  public static final String EXPIRED_REASON = "stock was not confirmed before the order's deadline";
  public static final String CANCELLED_REASON = "cancelled by the customer";

  private OrderStateMachine() {
  }

  /**
   * Inventory reserved the stock: the order is CONFIRMED with each line's unit price and the total.
   * A reservation that does not match the order line for line (sku and quantity) or mixes
   * currencies is ignored: the order stays PENDING, and its deadline releases the stock.
   */
  public static Transition confirm(Order order, List<ReservedLine> reserved) {
    if (order.status() != OrderStatus.PENDING) {
      return ignored("stock reserved", order);
    }
    Map<String, ReservedLine> bySku = new HashMap<>();
    reserved.forEach(line -> bySku.put(line.sku(), line));
    if (bySku.size() != reserved.size() || reserved.size() != order.items().size()) {
      return new Transition.Ignored("the reservation's lines do not match the order's lines");
    }
    String currency = reserved.isEmpty() ? null : reserved.get(0).currency();
    List<OrderItem> priced = new ArrayList<>();
    long total = 0;
    for (OrderItem item : order.items()) {
      ReservedLine line = bySku.get(item.sku());
      if (line == null || line.quantity() != item.quantity()) {
        return new Transition.Ignored("the reservation does not hold " + item.quantity() + " x " + item.sku());
      }
      if (line.unitPriceCents() < 0 || currency == null || !currency.equals(line.currency())) {
        return new Transition.Ignored("the reservation's prices are not in one currency or negative");
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(line.unitPriceCents(), (long) item.quantity()));
      } catch (ArithmeticException e) {
        return new Transition.Ignored("the order's total does not fit in 64 bits");
      }
      priced.add(item.priced(line.unitPriceCents()));
    }
    return new Transition.Applied(order.confirmed(priced, total, currency), order.status());
  }

  /** Inventory could not serve the order: REJECTED with its reasons. */
  public static Transition reject(Order order, List<Rejection> reasons) {
    if (order.status() != OrderStatus.PENDING) {
      return ignored("stock rejected", order);
    }
    return new Transition.Applied(order.rejected(reasons), order.status());
  }

  /** The customer cancels: allowed while PENDING or CONFIRMED. */
  public static Transition cancel(Order order) {
    if (order.status() != OrderStatus.PENDING && order.status() != OrderStatus.CONFIRMED) {
      return ignored("a cancellation", order);
    }
    return new Transition.Applied(order.withStatus(OrderStatus.CANCELLED, CANCELLED_REASON), order.status());
  }

  private static Transition ignored(String fact, Order order) {
    return new Transition.Ignored(fact + " does not apply to an order that is " + order.status());
  }
}
