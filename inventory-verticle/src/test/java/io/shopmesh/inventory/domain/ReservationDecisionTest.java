package io.shopmesh.inventory.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReservationDecisionTest {

  private static final Map<String, StockLevel> STOCK = Map.of(
      "MUG", new StockLevel("MUG", 3, 1299, "EUR"),
      "TEA", new StockLevel("TEA", 10, 450, "EUR"),
      "HAT", new StockLevel("HAT", 10, 2000, "USD"));

  @Test
  @DisplayName("an order whose every line is in stock holds every line at the current prices")
  void reserves() {
    ReservationDecision decision = ReservationDecision.decide(
        List.of(new StockLine("MUG", 3), new StockLine("TEA", 2)), STOCK);
    assertThat(decision).isEqualTo(new ReservationDecision.Reserve("EUR", List.of(
        new ReservedLine("MUG", 3, 1299, "EUR"), new ReservedLine("TEA", 2, 450, "EUR"))));
  }

  @Test
  @DisplayName("one short line rejects the whole order, with a reason for each failing line only")
  void rejects() {
    ReservationDecision decision = ReservationDecision.decide(
        List.of(new StockLine("MUG", 4), new StockLine("TEA", 2), new StockLine("NOPE", 1), new StockLine("HAT", 1)),
        STOCK);
    assertThat(decision).isEqualTo(new ReservationDecision.Reject(List.of(
        new Rejection("MUG", Rejection.Reason.INSUFFICIENT_STOCK, "4 requested, 3 available"),
        new Rejection("NOPE", Rejection.Reason.UNKNOWN_SKU, "no product with sku NOPE"),
        new Rejection("HAT", Rejection.Reason.CURRENCY_MISMATCH, "priced in USD, the order is in EUR"))));
  }

  @Test
  @DisplayName("a sku listed twice counts with its total quantity")
  void merges() {
    List<StockLine> merged = StockLine.merge(List.of(new StockLine("MUG", 2), new StockLine("TEA", 1),
        new StockLine("MUG", 2)));
    assertThat(merged).containsExactly(new StockLine("MUG", 4), new StockLine("TEA", 1));
    assertThat(ReservationDecision.decide(merged, STOCK)).isInstanceOf(ReservationDecision.Reject.class);
  }
}
