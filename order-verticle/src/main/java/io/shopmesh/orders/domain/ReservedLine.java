package io.shopmesh.orders.domain;

/** A line inventory holds stock for, at the unit price in force when it reserved it. */
public record ReservedLine(String sku, int quantity, long unitPriceCents, String currency) {
}
