package io.shopmesh.orders.domain;

/**
 * The outcome of placing an order.
 *
 * @param order  the order as it was placed
 * @param replay true when an earlier request with the same key created it
 */
public record Placement(Order order, boolean replay) {
}
