package io.shopmesh.platform.discovery;

import io.shopmesh.platform.config.DiscoveryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.impl.DefaultServiceDiscoveryBackend;
import io.vertx.servicediscovery.kubernetes.KubernetesServiceImporter;
import io.vertx.servicediscovery.types.HttpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * vertx-service-discovery behind {@link ServiceRegistry}.
 *
 * <p>Redis backend (VMs): each instance publishes an HTTP endpoint record and refreshes a
 * {@code heartbeatAt} timestamp in it; lookups ignore records older than the TTL, so an instance
 * killed with -9 disappears by itself, and the stale record is removed by whoever sees it first.
 * Each heartbeat also carries the instance's readiness ({@code ready}); lookups leave out unready
 * instances, as Kubernetes leaves an unready pod out of its Service. While unready an instance
 * checks again every second, so it is found within about a second of becoming ready.
 * Kubernetes: Services are imported by the bridge; instances do not publish themselves (the
 * cluster knows its endpoints) and a Service named {@code <prefix><service>} is the upstream.
 */
final class VertxDiscoveryRegistry implements ServiceRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(VertxDiscoveryRegistry.class);
  private static final String HEARTBEAT = "heartbeatAt";
  private static final String INSTANCE = "instanceId";
  private static final String READY = "ready";
  private static final long UNREADY_RECHECK_MS = 1000;

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final DiscoveryConfig config;
  private final boolean publishes;
  private Record published;
  private Supplier<Future<Boolean>> ready;
  private long heartbeatTimer = -1;

  private VertxDiscoveryRegistry(Vertx vertx, ServiceDiscovery discovery, DiscoveryConfig config, boolean publishes) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.config = config;
    this.publishes = publishes;
  }

  static VertxDiscoveryRegistry redis(Vertx vertx, DiscoveryConfig config) {
    ServiceDiscovery discovery = ServiceDiscovery.create(vertx, new ServiceDiscoveryOptions()
        .setBackendConfiguration(new JsonObject()
            .put("backend-name", "io.vertx.servicediscovery.backend.redis.RedisBackendService")
            .put("endpoints", new JsonArray().add(config.redisUrl()))
            .put("key", config.redisKey())));
    return new VertxDiscoveryRegistry(vertx, discovery, config, true);
  }

  static VertxDiscoveryRegistry kubernetes(Vertx vertx, DiscoveryConfig config) {
    ServiceDiscovery discovery = ServiceDiscovery.create(vertx, new ServiceDiscoveryOptions()
        .setBackendConfiguration(new JsonObject().put("backend-name", DefaultServiceDiscoveryBackend.class.getName())));
    JsonObject importer = new JsonObject();
    if (!config.kubernetesNamespace().isBlank()) {
      importer.put("namespace", config.kubernetesNamespace());
    }
    discovery.registerServiceImporter(new KubernetesServiceImporter(), importer)
        .onFailure(e -> LOG.error("kubernetes service import failed: {}", e.toString()));
    return new VertxDiscoveryRegistry(vertx, discovery, config, false);
  }

  @Override
  public Future<Void> register(ServiceInstance self, Supplier<Future<Boolean>> ready) {
    if (!publishes) {
      return Future.succeededFuture();
    }
    return readiness(ready).compose(isReady -> {
      Record record = HttpEndpoint.createRecord(self.service(), self.host(), self.port(), "/",
          new JsonObject().put(INSTANCE, self.id()).put(HEARTBEAT, Instant.now().toEpochMilli()).put(READY, isReady));
      return discovery.publish(record).map(r -> {
        synchronized (this) {
          published = r;
          this.ready = ready;
          scheduleHeartbeat(isReady);
        }
        LOG.info("registered {} at {}:{} in discovery ({})", self.service(), self.host(), self.port(),
            isReady ? "ready" : "not ready: gateways skip it until it is");
        return null;
      });
    });
  }

  private static Future<Boolean> readiness(Supplier<Future<Boolean>> ready) {
    try {
      return ready.get().otherwise(false);
    } catch (RuntimeException e) {
      return Future.succeededFuture(false);
    }
  }

  private synchronized void scheduleHeartbeat(boolean isReady) {
    long delay = isReady ? config.heartbeat().toMillis() : Math.min(UNREADY_RECHECK_MS, config.heartbeat().toMillis());
    heartbeatTimer = vertx.setTimer(Math.max(1, delay), t -> heartbeat());
  }

  private void heartbeat() {
    Supplier<Future<Boolean>> probe;
    synchronized (this) {
      probe = ready;
    }
    readiness(probe).onComplete(ar -> {
      boolean isReady = ar.result();
      synchronized (this) {
        if (published == null) {
          return; // withdrawn while the checks ran
        }
        JsonObject metadata = published.getMetadata();
        if (metadata.getBoolean(READY, true) != isReady) {
          LOG.info("{} now reports itself {} in discovery", published.getName(),
              isReady ? "ready" : "not ready: gateways skip it until it is");
        }
        metadata.put(HEARTBEAT, Instant.now().toEpochMilli()).put(READY, isReady);
        discovery.update(published).onFailure(e -> LOG.warn("discovery heartbeat failed: {}", e.toString()));
        scheduleHeartbeat(isReady);
      }
    });
  }

  @Override
  public synchronized Future<Void> deregister() {
    vertx.cancelTimer(heartbeatTimer);
    Record record = published;
    published = null;
    return record == null ? Future.succeededFuture() : discovery.unpublish(record.getRegistration());
  }

  @Override
  public Future<List<ServiceInstance>> instances(String service) {
    String name = publishes ? service : config.kubernetesServicePrefix() + service;
    long oldest = Instant.now().minus(config.ttl()).toEpochMilli();
    return discovery.getRecords(r -> name.equals(r.getName()) && HttpEndpoint.TYPE.equals(r.getType()))
        .map(records -> records.stream()
            .filter(r -> !publishes || isFresh(r, oldest) && r.getMetadata().getBoolean(READY, true))
            .map(r -> toInstance(service, r))
            .toList());
  }

  private boolean isFresh(Record record, long oldest) {
    long heartbeat = record.getMetadata().getLong(HEARTBEAT, 0L);
    if (heartbeat >= oldest) {
      return true;
    }
    if (heartbeat < oldest - config.ttl().multipliedBy(2).toMillis()) {
      discovery.unpublish(record.getRegistration());
    }
    return false;
  }

  private static ServiceInstance toInstance(String service, Record record) {
    JsonObject location = record.getLocation();
    String id = record.getMetadata().getString(INSTANCE, record.getRegistration());
    return new ServiceInstance(service, id, location.getString("host"), location.getInteger("port"));
  }

  @Override
  public Future<Void> close() {
    return deregister().eventually(() -> {
      discovery.close();
      return Future.succeededFuture();
    });
  }

}
