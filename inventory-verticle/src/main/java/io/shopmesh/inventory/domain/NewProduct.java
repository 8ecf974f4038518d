package io.shopmesh.inventory.domain;

/** A product about to be created (or upserted by an import) that passed {@link ProductRules}. */
public record NewProduct(String sku, String name, String description, long priceCents, String currency, int stock) {

  /** What the catalog holds once this product exists with {@code stock} available. */
  public Product asProduct() {
    return new Product(sku, name, description, priceCents, currency, stock);
  }
}
