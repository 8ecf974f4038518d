package io.shopmesh.orders.http;

import io.shopmesh.orders.domain.IdempotencyKey;
import io.shopmesh.orders.domain.NewOrder;
import io.shopmesh.orders.domain.OrderPage;
import io.shopmesh.orders.domain.OrderStatus;
import io.shopmesh.orders.saga.OrderSaga;
import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.auth.Identity;
import io.shopmesh.platform.http.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** {@code /api/orders/*}: every handler runs after the bearer token was verified. */
final class OrderHandlers {

  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private final OrderSaga saga;
  private final StateWaiters waiters;
  private final Duration longPollMax;

  OrderHandlers(OrderSaga saga, StateWaiters waiters, Duration longPollMax) {
    this.saga = saga;
    this.waiters = waiters;
    this.longPollMax = longPollMax;
  }

  /** 202 with the order as placed and its {@code Location}; a replayed key gets the first answer again. */
  Future<JsonObject> place(RoutingContext ctx) {
    Identity identity = BearerAuth.identity(ctx);
    IdempotencyKey key = IdempotencyKey.parse(ctx.request().getHeader(IdempotencyKey.HEADER));
    NewOrder order = NewOrder.validate(StrictJson.body(ctx, Requests.PlaceOrder.class).items());
    return saga.place(identity.userId(), key, order).map(placement -> {
      ctx.response().setStatusCode(202)
          .putHeader("Location", "/api/orders/" + placement.order().id());
      if (placement.replay()) {
        ctx.response().putHeader("Idempotent-Replayed", "true");
      }
      return OrderJson.placed(placement.order());
    });
  }

  /** The order; with {@code ?waitFor=} a long poll until it reaches one of those states. */
  Future<JsonObject> get(RoutingContext ctx) {
    Identity identity = BearerAuth.identity(ctx);
    UUID id = QueryParams.orderId(ctx);
    Set<OrderStatus> waitFor = QueryParams.statuses(ctx, "waitFor");
    Duration timeout = QueryParams.timeout(ctx, "timeout", DEFAULT_WAIT, longPollMax);
    if (waitFor.isEmpty()) {
      return saga.find(identity.userId(), identity.isAdmin(), id).map(OrderJson::of);
    }
    return LongPoll.await(Vertx.currentContext(), waiters, id,
        () -> saga.find(identity.userId(), identity.isAdmin(), id), waitFor, timeout, ctx.response())
        .map(OrderJson::of);
  }

  /** The caller's own orders, newest first. */
  Future<JsonObject> list(RoutingContext ctx) {
    Identity identity = BearerAuth.identity(ctx);
    Set<OrderStatus> statuses = QueryParams.statuses(ctx, "status");
    int limit = QueryParams.limit(ctx, OrderPage.DEFAULT_LIMIT, OrderPage.MAX_LIMIT);
    return saga.page(identity.userId(), statuses, QueryParams.cursor(ctx), limit).map(OrderJson::of);
  }

  Future<JsonObject> cancel(RoutingContext ctx) {
    Identity identity = BearerAuth.identity(ctx);
    return saga.cancel(identity.userId(), QueryParams.orderId(ctx)).map(OrderJson::of);
  }
}
