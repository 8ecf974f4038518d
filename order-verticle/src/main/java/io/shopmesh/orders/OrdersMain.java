package io.shopmesh.orders;

import io.shopmesh.events.Events;
import io.shopmesh.events.Topics;
import io.shopmesh.orders.events.OrderEvents;
import io.shopmesh.orders.events.StockEvents;
import io.shopmesh.orders.http.OrdersRoutes;
import io.shopmesh.orders.http.StateWaiters;
import io.shopmesh.orders.saga.OrderSaga;
import io.shopmesh.orders.saga.SagaMetrics;
import io.shopmesh.orders.store.IdempotencyRepository;
import io.shopmesh.orders.store.OrderRepository;
import io.shopmesh.orders.store.OrderStateFeed;
import io.shopmesh.orders.work.SagaJobs;
import io.shopmesh.platform.auth.JwksClient;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.shopmesh.platform.lifecycle.Shutdown;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * The orders service: orders and the order saga. Migrates its database and the outbox/inbox,
 * listens for order state changes, starts the outbox relay, the consumer of inventory's events and
 * the saga's jobs, then serves HTTP and announces itself.
 */
public final class OrdersMain {

  private static final String CONSUMER = "orders";

  private OrdersMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("orders", args, OrdersMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    OrdersConfig config = OrdersConfig.from(service.settings());
    OrdersConfig.Saga saga = config.saga();
    Vertx vertx = service.vertx();
    Pool pool = service.postgres(config.db());
    service.kafkaReadiness(config.kafka(), false);

    TokenVerifier verifier = new TokenVerifier(vertx, config.auth());
    JwksClient jwks = JwksClient.overHttp(vertx, verifier, config.auth());
    jwks.reportTo(service.readiness(), true);
    service.onShutdown(Shutdown.Phase.RESOURCES, "jwks", () -> {
      jwks.close();
      return Future.succeededFuture();
    });

    OrderRepository orders = new OrderRepository();
    IdempotencyRepository keys = new IdempotencyRepository();
    SagaMetrics metrics = new SagaMetrics(service.registry(), saga.pendingDeadline());
    OrderSaga orderSaga = new OrderSaga(pool, orders, keys, new OrderEvents(config.kafka()), metrics);
    StateWaiters waiters = new StateWaiters(saga.maxWaiters(), service.registry());
    OrderStateFeed feed = new OrderStateFeed(vertx, config.db().connectOptions(), waiters::changed,
        waiters::changedAll);
    service.readiness().check("order-state-feed", false, () -> feed.listening() ? Future.succeededFuture()
        : Future.failedFuture("not listening to order state changes; long polls answer at their timeout"));
    // long polls answer with what they have as soon as the stop begins, so HTTP drains quickly
    service.onShutdown(Shutdown.Phase.DISCOVERY, "long polls", () -> {
      waiters.drain();
      return Future.succeededFuture();
    });
    service.onShutdown(Shutdown.Phase.MESSAGING, "order state feed", feed::close);
    OrdersRoutes routes = new OrdersRoutes(orderSaga, waiters, saga.longPollMax(), verifier, config.kafka());

    // the users service's keys are read while the schema is migrated; a users service that is down
    // must not keep orders from starting (it reports not ready meanwhile)
    Future<Void> signingKeys = service.step("signing keys", jwks::start);
    return service.step("migrations", () -> Future.all(service.migrate(config.db(), pool),
            Events.migrate(vertx, config.db(), pool)))
        .compose(applied -> Future.all(
            // the state feed listens before HTTP serves, so no long poll can miss a change
            service.step("order state feed", feed::start)
                .compose(v -> service.step("http server", () -> service.serveHttp(config.http(),
                    eventLoop -> routes.build(eventLoop, service.router(eventLoop, config.http()))))),
            service.step("outbox relay", () -> Events.relay(service, pool, config.db(), config.kafka())),
            service.step("event consumer", () -> Events.consume(service, pool, config.kafka(), CONSUMER,
                List.of(Topics.INVENTORY), StockEvents.router(orderSaga))),
            service.step("saga jobs", () -> service.deploy("saga jobs", Shutdown.Phase.MESSAGING,
                () -> new SagaJobs(pool, orderSaga, orders, keys, metrics, new SagaJobs.JobSettings(
                    saga.pendingDeadline(), saga.expiryScan(), saga.idempotencyRetention(), saga.metricsInterval())),
                new DeploymentOptions()))))
        .compose(started -> signingKeys)
        .compose(v -> service.step("discovery", () -> service.announce(config.discovery())));
  }
}
