package io.shopmesh.inventory.domain;

/** A product's available quantity and price, read while its row is locked for a reservation. */
public record StockLevel(String sku, int available, long priceCents, String currency) {
}
