package io.shopmesh.inventory.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How many of one product an order asks for (or a reservation holds). */
public record StockLine(String sku, int quantity) {

  /**
   * One line per sku, quantities of repeated skus added up (capped at {@link Integer#MAX_VALUE},
   * which no stock reaches), in order of first appearance.
   */
  public static List<StockLine> merge(List<StockLine> lines) {
    Map<String, Long> bySku = new LinkedHashMap<>();
    lines.forEach(line -> bySku.merge(line.sku(), (long) line.quantity(), Long::sum));
    return bySku.entrySet().stream()
        .map(e -> new StockLine(e.getKey(), (int) Math.min(Integer.MAX_VALUE, e.getValue())))
        .toList();
  }
}
