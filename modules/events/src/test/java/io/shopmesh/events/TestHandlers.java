package io.shopmesh.events;

import io.shopmesh.events.contracts.OrderCancelled;
import io.shopmesh.events.contracts.OrderConfirmed;
import io.shopmesh.events.contracts.OrderPlaced;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Handlers with effects a double or missing application would show: a row per application in
 * {@code effects} (no unique key on purpose), an order view whose INSERT fails on a second
 * OrderPlaced, and running totals per consumer. Every consumer writes under its own name.
 */
public final class TestHandlers {

  /** OrderPlaced events of this user fail while {@link #poisoned} is set. */
  public static final String POISON_USER = "poison";

  public final AtomicBoolean poisoned = new AtomicBoolean(true);
  private final String consumer;
  private volatile Function<Envelope, Future<Void>> observer = e -> Future.succeededFuture();

  public TestHandlers(String consumer) {
    this.consumer = consumer;
  }

  /** Called inside each handler's transaction, before its writes; may delay it. */
  public TestHandlers observe(Function<Envelope, Future<Void>> observer) {
    this.observer = observer;
    return this;
  }

  public EventRouter router() {
    return new EventRouter()
        .on(OrderPlaced.class, this::placed)
        .on(OrderConfirmed.class, this::confirmed)
        .on(OrderCancelled.class, this::cancelled);
  }

  private Future<?> placed(SqlConnection tx, OrderPlaced e, Envelope env) {
    if (POISON_USER.equals(e.userId()) && poisoned.get()) {
      return Future.failedFuture(new IllegalStateException("poison pill in order " + e.orderId()));
    }
    return observer.apply(env)
        .compose(v -> effect(tx, env))
        .compose(v -> tx.preparedQuery("INSERT INTO order_view (consumer, order_id, status, lines) VALUES ($1, $2, 'PLACED', $3)")
            .execute(Tuple.of(consumer, e.orderId(), e.lines().size())))
        .compose(v -> tx.preparedQuery("INSERT INTO order_totals (consumer, placed) VALUES ($1, 1)"
            + " ON CONFLICT (consumer) DO UPDATE SET placed = order_totals.placed + 1").execute(Tuple.of(consumer)));
  }

  private Future<?> confirmed(SqlConnection tx, OrderConfirmed e, Envelope env) {
    return observer.apply(env)
        .compose(v -> effect(tx, env))
        .compose(v -> tx.preparedQuery("UPDATE order_view SET status = 'CONFIRMED', total_cents = $3"
            + " WHERE consumer = $1 AND order_id = $2").execute(Tuple.of(consumer, e.orderId(), e.totalCents())))
        .compose(v -> tx.preparedQuery("UPDATE order_totals SET confirmed_cents = confirmed_cents + $2"
            + " WHERE consumer = $1").execute(Tuple.of(consumer, e.totalCents())));
  }

  private Future<?> cancelled(SqlConnection tx, OrderCancelled e, Envelope env) {
    return observer.apply(env)
        .compose(v -> effect(tx, env))
        .compose(v -> tx.preparedQuery("UPDATE order_view SET status = 'CANCELLED' WHERE consumer = $1 AND order_id = $2")
            .execute(Tuple.of(consumer, e.orderId())))
        .compose(v -> tx.preparedQuery("UPDATE order_totals SET cancelled = cancelled + 1 WHERE consumer = $1")
            .execute(Tuple.of(consumer)));
  }

  private Future<Void> effect(SqlConnection tx, Envelope env) {
    return tx.preparedQuery("INSERT INTO effects (consumer, event_id, type, aggregate_id) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(consumer, env.id(), env.type(), env.aggregateId())).mapEmpty();
  }
}
