package io.shopmesh.inventory.domain;

/** The fields of a product that {@code PUT /api/products/{sku}} replaces; stock is not among them. */
public record ProductDetails(String name, String description, long priceCents, String currency) {
}
