package io.shopmesh.orders.domain;

/** Why inventory could not serve one line: {@code UNKNOWN_SKU}, {@code INSUFFICIENT_STOCK}, ... */
public record Rejection(String sku, String reason, String detail) {
}
