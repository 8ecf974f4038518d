package io.shopmesh.platform.discovery;

import io.vertx.core.Future;

import java.util.List;
import java.util.function.Supplier;

/**
 * Where the instances of the mesh's services are announced and found. The one seam between
 * Shopmesh and vertx-service-discovery, so replacing it (by the Vert.x service resolver, say)
 * touches one place. Implementations: static list (dev, tests), Redis (VMs), Kubernetes.
 */
public interface ServiceRegistry {

  /**
   * Announces this instance and keeps announcing it (heartbeat) until {@link #deregister()}, with
   * whether it is ready: {@link #instances} leaves out an instance that last reported itself
   * unready, so gateways send it nothing until it is. {@code ready} is asked at every heartbeat
   * (a failed future counts as unready).
   */
  Future<Void> register(ServiceInstance self, Supplier<Future<Boolean>> ready);

  /** Withdraws this instance; gateways stop choosing it. */
  Future<Void> deregister();

  /** The live and ready instances of {@code service} (possibly none). */
  Future<List<ServiceInstance>> instances(String service);

  Future<Void> close();
}
