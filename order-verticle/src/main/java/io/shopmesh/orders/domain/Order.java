package io.shopmesh.orders.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order and where it stands.
 *
 * @param totalCents   sum of quantity x unit price; set when CONFIRMED
 * @param currency     of every price of the order; set when CONFIRMED
 * @param rejections   why inventory refused it; non-empty only when REJECTED
 * @param statusReason why it was CANCELLED or EXPIRED
 */
public record Order(UUID id, String userId, OrderStatus status, List<OrderItem> items, Long totalCents,
                    String currency, List<Rejection> rejections, String statusReason, Instant createdAt,
                    Instant updatedAt) {

  public Order {
    items = List.copyOf(items);
    rejections = List.copyOf(rejections);
  }

  /** A new PENDING order. */
  public static Order placed(UUID id, String userId, List<OrderItem> items, Instant now) {
    return new Order(id, userId, OrderStatus.PENDING, items, null, null, List.of(), null, now, now);
  }

  /** Whether {@code userId} may see this order: its owner, or an admin. */
  public boolean visibleTo(String userId, boolean admin) {
    return admin || this.userId.equals(userId);
  }

  Order withStatus(OrderStatus next, String reason) {
    return new Order(id, userId, next, items, totalCents, currency, rejections, reason, createdAt, updatedAt);
  }

  Order confirmed(List<OrderItem> pricedItems, long total, String inCurrency) {
    return new Order(id, userId, OrderStatus.CONFIRMED, pricedItems, total, inCurrency, rejections, null, createdAt,
        updatedAt);
  }

  Order rejected(List<Rejection> reasons) {
    return new Order(id, userId, OrderStatus.REJECTED, items, totalCents, currency, reasons, null, createdAt,
        updatedAt);
  }

  /** The same order as stored at {@code time}. */
  public Order updatedAt(Instant time) {
    return new Order(id, userId, status, items, totalCents, currency, rejections, statusReason, createdAt, time);
  }
}
