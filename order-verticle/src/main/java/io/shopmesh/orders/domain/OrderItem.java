package io.shopmesh.orders.domain;

/**
 * One line of an order.
 *
 * @param unitPriceCents the price inventory reserved the stock at; null until the order is CONFIRMED
 */
public record OrderItem(String sku, int quantity, Long unitPriceCents) {

  public static OrderItem of(String sku, int quantity) {
    return new OrderItem(sku, quantity, null);
  }

  public OrderItem priced(long cents) {
    return new OrderItem(sku, quantity, cents);
  }
}
