package io.shopmesh.orders.events;

import io.shopmesh.events.EventRouter;
import io.shopmesh.events.contracts.StockRejected;
import io.shopmesh.events.contracts.StockReserved;
import io.shopmesh.orders.domain.Rejection;
import io.shopmesh.orders.domain.ReservedLine;
import io.shopmesh.orders.saga.OrderSaga;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Inventory's answers to {@code OrderPlaced}, applied to the orders they name inside the inbox transaction. */
public final class StockEvents {

  private static final Logger LOG = LoggerFactory.getLogger(StockEvents.class);

  private StockEvents() {
  }

  public static EventRouter router(OrderSaga saga) {
    return new EventRouter()
        .on(StockReserved.class, (tx, event, envelope) -> orderId(event.orderId())
            .map(id -> saga.stockReserved(tx, id, lines(event)))
            .orElseGet(StockEvents::skipped))
        .on(StockRejected.class, (tx, event, envelope) -> orderId(event.orderId())
            .map(id -> saga.stockRejected(tx, id, reasons(event)))
            .orElseGet(StockEvents::skipped));
  }

  private static List<ReservedLine> lines(StockReserved event) {
    return event.lines() == null ? List.of() : event.lines().stream()
        .map(l -> new ReservedLine(l.sku(), l.quantity(), l.unitPriceCents(), l.currency())).toList();
  }

  private static List<Rejection> reasons(StockRejected event) {
    return event.reasons() == null ? List.of() : event.reasons().stream()
        .map(r -> new Rejection(r.sku(), r.reason(), r.detail())).toList();
  }

  private static Optional<UUID> orderId(String text) {
    try {
      return Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException | NullPointerException e) {
      LOG.warn("ignoring a stock event for '{}', which is not an order id of this service", text);
      return Optional.empty();
    }
  }

  private static Future<Void> skipped() {
    return Future.succeededFuture();
  }
}
