package io.shopmesh.orders.domain;

/** One line as a client asked for it, before validation (either field may be missing). */
public record RequestedItem(String sku, Integer quantity) {
}
