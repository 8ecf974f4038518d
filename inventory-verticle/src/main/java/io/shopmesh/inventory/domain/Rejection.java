package io.shopmesh.inventory.domain;

/** Why one line of an order cannot be served, with a sentence for people. */
public record Rejection(String sku, Reason reason, String detail) {

  public enum Reason {
    UNKNOWN_SKU, INSUFFICIENT_STOCK, CURRENCY_MISMATCH
  }
}
