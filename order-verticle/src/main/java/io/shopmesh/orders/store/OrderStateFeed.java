package io.shopmesh.orders.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * This instance's ear on order state changes: one connection that {@code LISTEN}s to
 * {@code order_state}, which a trigger notifies with the order id whenever an order's status
 * changes (on whichever instance, at commit). It reconnects on its own; notifications sent while
 * it was away are lost, so every (re)subscription is reported as "anything may have changed".
 */
public final class OrderStateFeed {

  private static final Logger LOG = LoggerFactory.getLogger(OrderStateFeed.class);
  private static final String CHANNEL = "order_state";

  private final PgSubscriber subscriber;

  /**
   * @param changed   called with the id of an order whose state changed
   * @param anyChange called after each (re)subscription
   */
  public OrderStateFeed(Vertx vertx, PgConnectOptions options, Consumer<UUID> changed, Runnable anyChange) {
    this.subscriber = PgSubscriber.subscriber(vertx, options)
        .reconnectPolicy(retries -> Math.min(5000L, 100L << Math.min(retries, 6)));
    subscriber.channel(CHANNEL)
        .subscribeHandler(v -> anyChange.run())
        .handler(payload -> {
          try {
            changed.accept(UUID.fromString(payload));
          } catch (IllegalArgumentException e) {
            LOG.warn("ignoring a malformed order state notification '{}'", payload);
          }
        });
  }

  /** Connects and listens; fails when Postgres cannot be reached now (later losses are reconnected). */
  public Future<Void> start() {
    return subscriber.connect();
  }

  /** Whether the feed is connected right now (while it reconnects, long polls answer at their timeout). */
  public boolean listening() {
    return subscriber.actualConnection() != null;
  }

  public Future<Void> close() {
    return subscriber.close();
  }
}
