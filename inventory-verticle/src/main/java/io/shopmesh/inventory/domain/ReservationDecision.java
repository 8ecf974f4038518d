package io.shopmesh.inventory.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * All or nothing for one order: either every line can be held, or nothing is and each failing
 * line says why. An order is priced in one currency, that of its first known product; a line
 * priced in another currency cannot be part of it.
 */
public sealed interface ReservationDecision {

  /** Hold every line, at these prices. */
  record Reserve(String currency, List<ReservedLine> lines) implements ReservationDecision {
  }

  /** Hold nothing; one rejection per failing line. */
  record Reject(List<Rejection> rejections) implements ReservationDecision {
  }

  /**
   * @param lines  the order's lines, one per sku ({@link StockLine#merge})
   * @param levels the locked stock of those skus that exist, by sku
   */
  static ReservationDecision decide(List<StockLine> lines, Map<String, StockLevel> levels) {
    String currency = lines.stream().map(line -> levels.get(line.sku())).filter(level -> level != null)
        .map(StockLevel::currency).findFirst().orElse(null);
    List<ReservedLine> reserved = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>();
    for (StockLine line : lines) {
      StockLevel level = levels.get(line.sku());
      if (level == null) {
        rejections.add(new Rejection(line.sku(), Rejection.Reason.UNKNOWN_SKU, "no product with sku " + line.sku()));
      } else if (!level.currency().equals(currency)) {
        rejections.add(new Rejection(line.sku(), Rejection.Reason.CURRENCY_MISMATCH,
            "priced in " + level.currency() + ", the order is in " + currency));
      } else if (level.available() < line.quantity()) {
        rejections.add(new Rejection(line.sku(), Rejection.Reason.INSUFFICIENT_STOCK,
            line.quantity() + " requested, " + level.available() + " available"));
      } else {
        reserved.add(new ReservedLine(line.sku(), line.quantity(), level.priceCents(), level.currency()));
      }
    }
    return rejections.isEmpty() ? new Reserve(currency, reserved) : new Reject(rejections);
  }
}
