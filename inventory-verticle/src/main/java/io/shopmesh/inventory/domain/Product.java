package io.shopmesh.inventory.domain;

/** A catalog entry as customers see it: price in integer minor units of {@code currency}. */
public record Product(String sku, String name, String description, long priceCents, String currency,
                     int available) {
}
