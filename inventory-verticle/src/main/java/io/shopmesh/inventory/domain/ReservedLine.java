package io.shopmesh.inventory.domain;

/** A quantity held for an order at the unit price in force when it was reserved. */
public record ReservedLine(String sku, int quantity, long unitPriceCents, String currency) {
}
