package io.shopmesh.inventory;

import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.vertx.core.Future;

/** The inventory service: catalog, stock and reservations. */
public final class InventoryMain {

  private InventoryMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("inventory", args, InventoryMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    InventoryConfig config = InventoryConfig.from(service.settings());
    service.postgres(config.db());
    service.kafkaReadiness(config.kafka(), false);
    return service.migrate(config.db())
        .compose(applied -> service.serveHttp(config.http(), vertx -> service.router(vertx, config.http()).build()));
  }
}
