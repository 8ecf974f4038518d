package io.shopmesh.gateway;

import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.vertx.core.Future;

/** The API gateway: the single entry point of the mesh. */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("gateway", args, GatewayMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    GatewayConfig config = GatewayConfig.from(service.settings());
    service.redis(config.redis(), false);
    return service.serveHttp(config.http(), vertx -> service.router(vertx, config.http()).build());
  }
}
