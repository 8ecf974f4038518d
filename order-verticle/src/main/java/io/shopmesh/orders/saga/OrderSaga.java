package io.shopmesh.orders.saga;

import io.shopmesh.events.UuidV7;
import io.shopmesh.orders.domain.IdempotencyKey;
import io.shopmesh.orders.domain.NewOrder;
import io.shopmesh.orders.domain.Order;
import io.shopmesh.orders.domain.OrderPage;
import io.shopmesh.orders.domain.OrderStateMachine;
import io.shopmesh.orders.domain.OrderStatus;
import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.orders.domain.Placement;
import io.shopmesh.orders.domain.Rejection;
import io.shopmesh.orders.domain.ReservedLine;
import io.shopmesh.orders.domain.Transition;
import io.shopmesh.orders.events.OrderEvents;
import io.shopmesh.orders.store.IdempotencyRepository;
import io.shopmesh.orders.store.OrderRepository;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Everything that happens to orders, each in one transaction with the events it causes: customers
 * place, read and cancel them; inventory's answers confirm or reject them; the deadline expires
 * them. State changes lock the order row, so they apply one after the other whatever their source.
 */
public final class OrderSaga {

  private static final Logger LOG = LoggerFactory.getLogger(OrderSaga.class);

  private final Pool pool;
  private final OrderRepository orders;
  private final IdempotencyRepository keys;
  private final OrderEvents events;
  private final SagaMetrics metrics;

  public OrderSaga(Pool pool, OrderRepository orders, IdempotencyRepository keys, OrderEvents events,
                   SagaMetrics metrics) {
    this.pool = pool;
    this.orders = orders;
    this.keys = keys;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Places an order, once per idempotency key: the order, its lines, the key and
   * {@code OrderPlaced} commit together. A request whose key is taken gets the order that key
   * created if its body is the same (also when both arrive at once: the key's unique index makes
   * the second wait for the first), and a 422 otherwise.
   */
  public Future<Placement> place(String userId, IdempotencyKey key, NewOrder request) {
    String fingerprint = request.fingerprint();
    Order order = Order.placed(UuidV7.next(), userId, request.items(), Instant.now().truncatedTo(ChronoUnit.MICROS));
    return pool.withTransaction(tx -> keys.claim(tx, userId, key.value(), fingerprint, order.id())
        .compose(claimed -> claimed
            ? Future.all(orders.insert(tx, order), events.placed(tx, order)).map(v -> new Placement(order, false))
            : replay(tx, userId, key, fingerprint)));
  }

  private Future<Placement> replay(SqlConnection tx, String userId, IdempotencyKey key, String fingerprint) {
    return keys.find(tx, userId, key.value()).compose(claim -> {
      if (claim.isEmpty()) {
        // purged between our insert attempt and this read: extremely unlikely, and safe to retry
        return Future.failedFuture(ProblemException.conflict("the Idempotency-Key expired just now; retry"));
      }
      if (!claim.get().requestHash().equals(fingerprint)) {
        return Future.failedFuture(ProblemException.unprocessable("this Idempotency-Key was already used for a"
            + " different order; use a new key for a new order"));
      }
      return orders.byId(tx, claim.get().orderId()).map(o -> new Placement(o.orElseThrow(), true));
    });
  }

  /** The order, if {@code userId} owns it or is an admin; a 404 otherwise (existence is not revealed). */
  public Future<Order> find(String userId, boolean admin, UUID id) {
    return orders.byId(pool, id).compose(found -> found.filter(o -> o.visibleTo(userId, admin))
        .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound(id))));
  }

  public Future<OrderPage> page(String userId, Set<OrderStatus> statuses, Optional<PageCursor> after, int limit) {
    return orders.page(pool, userId, statuses, after, limit);
  }

  /** The owner cancels: 200 from PENDING or CONFIRMED, 409 from a terminal state, 404 for anyone else. */
  public Future<Order> cancel(String userId, UUID id) {
    return pool.withTransaction(tx -> orders.lock(tx, id).compose(found -> {
      Optional<Order> own = found.filter(o -> o.userId().equals(userId));
      if (own.isEmpty()) {
        return Future.failedFuture(notFound(id));
      }
      Transition transition = OrderStateMachine.cancel(own.get());
      if (transition instanceof Transition.Ignored ignored) {
        return Future.failedFuture(ProblemException.conflict(ignored.why()));
      }
      return apply(tx, (Transition.Applied) transition);
    }));
  }

  /** Inventory holds the stock: CONFIRMED with prices, if the order is still PENDING. Runs in the inbox transaction. */
  public Future<Void> stockReserved(SqlConnection tx, UUID id, List<ReservedLine> lines) {
    return onOrder(tx, id, "StockReserved", order -> OrderStateMachine.confirm(order, lines));
  }

  /** Inventory cannot serve the order: REJECTED, if it is still PENDING. Runs in the inbox transaction. */
  public Future<Void> stockRejected(SqlConnection tx, UUID id, List<Rejection> reasons) {
    return onOrder(tx, id, "StockRejected", order -> OrderStateMachine.reject(order, reasons));
  }

  /**
   * Expires up to {@code batch} orders PENDING for longer than {@code deadline}, each with an
   * {@code OrderCancelled(EXPIRED)} so that a reservation made late is released.
   *
   * @return how many expired
   */
  public Future<Integer> expireOverdue(Duration deadline, int batch) {
    return pool.withTransaction(tx -> orders.expireOverdue(tx, deadline, batch).compose(expired ->
        Future.all(expired.stream().map(e -> events.expired(tx, e.id(), e.userId())).toList()).map(v -> {
          afterCommit(tx, () -> expired.forEach(e -> metrics.sagaEnded(OrderStatus.EXPIRED, e.createdAt())));
          return expired.size();
        })));
  }

  private Future<Void> onOrder(SqlConnection tx, UUID id, String fact, Function<Order, Transition> rule) {
    return orders.lock(tx, id).compose(found -> {
      if (found.isEmpty()) {
        LOG.warn("{} names order {}, which does not exist here; ignored", fact, id);
        return Future.succeededFuture();
      }
      Transition transition = rule.apply(found.get());
      if (transition instanceof Transition.Ignored ignored) {
        LOG.info("{} for order {} ignored: {}", fact, id, ignored.why());
        return Future.succeededFuture();
      }
      return apply(tx, (Transition.Applied) transition).mapEmpty();
    });
  }

  private Future<Order> apply(SqlConnection tx, Transition.Applied transition) {
    // the event carries nothing the UPDATE decides, so both are issued together; if the UPDATE
    // fails, the transaction and the event with it are rolled back
    Future<Order> stored = orders.saveTransition(tx, transition.from(), transition.order());
    Future<Void> announced = events.transitioned(tx, transition.order());
    return Future.all(stored, announced).map(v -> stored.result())
        .onSuccess(saved -> {
          if (transition.from() == OrderStatus.PENDING) {
            afterCommit(tx, () -> metrics.sagaEnded(saved.status(), saved.createdAt()));
          }
        });
  }

  private static void afterCommit(SqlConnection tx, Runnable action) {
    Transaction transaction = tx.transaction();
    if (transaction != null) {
      transaction.completion().onSuccess(v -> action.run());
    }
  }

  private static ProblemException notFound(UUID id) {
    return ProblemException.notFound("no order " + id);
  }
}
