package io.shopmesh.events.contracts;

/** An order line with the unit price in force when the stock was reserved (integer cents). */
public record PricedLine(String sku, int quantity, long unitPriceCents, String currency) {
}
