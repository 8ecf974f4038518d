package io.shopmesh.orders;

import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.vertx.core.Future;

/** The orders service: orders and the order saga. */
public final class OrdersMain {

  private OrdersMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("orders", args, OrdersMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    OrdersConfig config = OrdersConfig.from(service.settings());
    service.postgres(config.db());
    service.kafkaReadiness(config.kafka(), false);
    return service.migrate(config.db())
        .compose(applied -> service.serveHttp(config.http(), vertx -> service.router(vertx, config.http()).build()));
  }
}
