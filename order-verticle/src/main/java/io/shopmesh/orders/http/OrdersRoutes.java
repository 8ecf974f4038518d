package io.shopmesh.orders.http;

import io.shopmesh.events.Events;
import io.shopmesh.orders.saga.OrderSaga;
import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.http.ServiceRouter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * The orders API. Every route verifies the bearer token itself (zero trust) and reads the caller
 * only from it. Another customer's order does not exist as far as the caller can tell: 404 on
 * every route, never 403.
 */
public final class OrdersRoutes {

  private final OrderHandlers orders;
  private final Handler<RoutingContext> authenticated;
  private final TokenVerifier verifier;
  private final KafkaConfig kafka;

  public OrdersRoutes(OrderSaga saga, StateWaiters waiters, Duration longPollMax, TokenVerifier verifier,
                      KafkaConfig kafka) {
    this.orders = new OrderHandlers(saga, waiters, longPollMax);
    this.authenticated = BearerAuth.required(verifier);
    this.verifier = verifier;
    this.kafka = kafka;
  }

  public Router build(Vertx vertx, ServiceRouter router) {
    return router.routes(r -> {
      r.route("/api/orders*").handler(authenticated);
      r.post("/api/orders").respond(orders::place);
      r.get("/api/orders").respond(orders::list);
      r.get("/api/orders/:id").respond(orders::get);
      r.post("/api/orders/:id/cancel").respond(orders::cancel);
      Events.mountAdmin(r, verifier, vertx, kafka);
    }).build();
  }
}
