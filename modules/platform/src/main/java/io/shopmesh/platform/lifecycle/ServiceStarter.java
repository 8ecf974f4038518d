package io.shopmesh.platform.lifecycle;

import io.vertx.core.Future;

/** How a service starts: its {@code *Main} reads config and deploys verticles, nothing else. */
@FunctionalInterface
public interface ServiceStarter {

  Future<?> start(ServiceContext service);
}
