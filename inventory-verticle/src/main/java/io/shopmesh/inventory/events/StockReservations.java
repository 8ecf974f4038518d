package io.shopmesh.inventory.events;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.EventRouter;
import io.shopmesh.events.contracts.OrderCancelled;
import io.shopmesh.events.contracts.OrderPlaced;
import io.shopmesh.inventory.domain.ReservationDecision;
import io.shopmesh.inventory.domain.StockLine;
import io.shopmesh.inventory.store.ProductRepository;
import io.shopmesh.inventory.store.ReservationRepository;
import io.shopmesh.inventory.store.ReservationRepository.Status;
import io.shopmesh.inventory.store.StockLedger;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The inventory side of the order saga. Each handler runs inside the consumer's inbox transaction,
 * so its writes and the events it appends commit exactly once per event. The reservation row of an
 * order (unique per order) makes the outcome hold however often, and in whatever order, the
 * order's events arrive: an order is decided once, released at most once, and a cancellation that
 * arrives before its placement leaves a tombstone that keeps the placement from reserving.
 */
public final class StockReservations {

  private static final Logger LOG = LoggerFactory.getLogger(StockReservations.class);

  private final ProductRepository products;
  private final ReservationRepository reservations;
  private final StockLedger ledger;
  private final InventoryEvents events;

  public StockReservations(ProductRepository products, ReservationRepository reservations, StockLedger ledger,
                           InventoryEvents events) {
    this.products = products;
    this.reservations = reservations;
    this.ledger = ledger;
    this.events = events;
  }

  public EventRouter router() {
    return new EventRouter().on(OrderPlaced.class, this::placed).on(OrderCancelled.class, this::cancelled);
  }

  /**
   * Locks the stock of every line in sku order, then holds every line or nothing. A malformed event
   * (no lines, a non-positive quantity) fails, so it is retried and then dead-lettered for a person.
   */
  Future<?> placed(SqlConnection tx, OrderPlaced order, Envelope envelope) {
    List<StockLine> lines = StockLine.merge(linesOf(order));
    return reservations.lockStatus(tx, order.orderId()).compose(status -> {
      if (status.isPresent()) {
        LOG.debug("order {} already decided ({}); placement {} ignored", order.orderId(), status.get(), envelope.id());
        return Future.succeededFuture();
      }
      List<String> skus = lines.stream().map(StockLine::sku).sorted().toList();
      return products.lockStock(tx, skus).compose(levels -> {
        ReservationDecision decision = ReservationDecision.decide(lines, levels);
        if (decision instanceof ReservationDecision.Reserve reserve) {
          List<StockLine> taken = reserve.lines().stream().map(l -> new StockLine(l.sku(), -l.quantity())).toList();
          // independent writes, issued together rather than each waiting for the one before (the
          // connection runs them in this order; the measured gain is small, see README "Performance")
          return Future.all(List.of(
              products.moveStock(tx, taken),
              reservations.insertReserved(tx, order.orderId(), reserve.currency(), reserve.lines()),
              ledger.append(tx, entries(taken, StockLedger.Kind.RESERVE, order.orderId())),
              events.stockReserved(tx, order.orderId(), reserve.lines()))).mapEmpty();
        }
        ReservationDecision.Reject reject = (ReservationDecision.Reject) decision;
        return reservations.insertEmpty(tx, order.orderId(), Status.REJECTED)
            .compose(v -> events.stockRejected(tx, order.orderId(), reject.rejections()));
      });
    });
  }

  /** Releases the order's reservation once; a cancellation of an order not seen yet leaves a tombstone. */
  Future<?> cancelled(SqlConnection tx, OrderCancelled cancel, Envelope envelope) {
    String orderId = required(cancel.orderId(), "orderId");
    return reservations.lockStatus(tx, orderId).compose(status -> {
      if (status.isEmpty()) {
        LOG.debug("order {} cancelled before inventory heard of it; leaving a tombstone", orderId);
        return reservations.insertEmpty(tx, orderId, Status.CANCELLED);
      }
      if (status.get() != Status.RESERVED) {
        return Future.succeededFuture();
      }
      return reservations.lines(tx, orderId).compose(lines -> products.lockStock(tx,
              lines.stream().map(StockLine::sku).toList())
          .compose(locked -> Future.all(List.of(
              products.moveStock(tx, lines),
              reservations.setStatus(tx, orderId, Status.RELEASED),
              ledger.append(tx, entries(lines, StockLedger.Kind.RELEASE, orderId)),
              events.stockReleased(tx, orderId, lines))).<Void>mapEmpty()));
    });
  }

  private static List<StockLine> linesOf(OrderPlaced order) {
    required(order.orderId(), "orderId");
    if (order.lines() == null || order.lines().isEmpty()) {
      throw new IllegalArgumentException("OrderPlaced " + order.orderId() + " has no lines");
    }
    return order.lines().stream().map(line -> {
      if (line == null || line.sku() == null || line.quantity() <= 0) {
        throw new IllegalArgumentException("OrderPlaced " + order.orderId() + " has a line without sku or with a "
            + "quantity below 1: " + line);
      }
      return new StockLine(line.sku(), line.quantity());
    }).toList();
  }

  private static List<StockLedger.Entry> entries(List<StockLine> lines, StockLedger.Kind kind, String orderId) {
    return lines.stream().map(l -> new StockLedger.Entry(l.sku(), kind, l.quantity(), orderId)).toList();
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the event has no " + field);
    }
    return value;
  }
}
