package io.shopmesh.events.contracts;

/**
 * Why one line of an order cannot be served.
 *
 * @param reason {@code UNKNOWN_SKU}, {@code INSUFFICIENT_STOCK} or {@code CURRENCY_MISMATCH}
 * @param detail a sentence for people, e.g. "3 requested, 1 available"
 */
public record LineRejection(String sku, String reason, String detail) {

  public static final String UNKNOWN_SKU = "UNKNOWN_SKU";
  public static final String INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK";
  public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
}
