package io.shopmesh.platform.discovery;

import io.shopmesh.platform.config.DiscoveryConfig;
import io.vertx.core.Vertx;

/** Builds the {@link ServiceRegistry} the configuration asks for. */
public final class ServiceRegistries {

  private ServiceRegistries() {
  }

  public static ServiceRegistry create(Vertx vertx, DiscoveryConfig config) {
    return switch (config.backend()) {
      case "redis" -> VertxDiscoveryRegistry.redis(vertx, config);
      case "kubernetes" -> VertxDiscoveryRegistry.kubernetes(vertx, config);
      default -> new StaticRegistry(config.staticUpstreams());
    };
  }
}
