package io.shopmesh.events.contracts;

/** A product and how many of it an order asks for. */
public record OrderLine(String sku, int quantity) {
}
