package io.shopmesh.inventory.http;

/**
 * The request bodies of the inventory API, decoded strictly: an unknown field (say {@code stock}
 * in a PUT, or {@code available} anywhere) is a 400, as is a number where text is expected or a
 * fraction where an integer is.
 */
final class Requests {

  private Requests() {
  }

  record NewProductBody(String sku, String name, String description, Long priceCents, String currency,
                        Integer stock) {
  }

  record DetailsBody(String name, String description, Long priceCents, String currency) {
  }

  record RestockBody(Integer quantity) {
  }
}
