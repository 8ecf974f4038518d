package io.shopmesh.inventory.domain;

import java.util.List;
import java.util.Optional;

/** One page of the catalog in sku order, and where the next one starts when there is one. */
public record ProductPage(List<Product> items, Optional<PageCursor> next) {

  /** The page from up to {@code limit + 1} products read in sku order: the extra one only says "more". */
  public static ProductPage of(List<Product> readOneMore, int limit) {
    if (readOneMore.size() <= limit) {
      return new ProductPage(List.copyOf(readOneMore), Optional.empty());
    }
    List<Product> items = List.copyOf(readOneMore.subList(0, limit));
    return new ProductPage(items, Optional.of(new PageCursor(items.get(limit - 1).sku())));
  }
}
