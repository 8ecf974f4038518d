package io.shopmesh.gateway.upstream;

import io.micrometer.core.instrument.MeterRegistry;
import io.shopmesh.platform.discovery.ServiceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's upstream services, kept in step with discovery (instance lists re-read every
 * {@code upstream.refresh}), sharing one HTTP client whose pool is bounded per instance.
 */
public final class Upstreams {

  private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

  private final Vertx vertx;
  private final ServiceRegistry registry;
  private final HttpClient client;
  private final Map<String, Upstream> byName = new LinkedHashMap<>();
  private final long timer;

  public Upstreams(Vertx vertx, ServiceRegistry registry, UpstreamSettings settings, MeterRegistry meters,
                   List<String> names) {
    this.vertx = vertx;
    this.registry = registry;
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setConnectTimeout((int) settings.connectTimeout().toMillis())
            .setKeepAlive(true)
            // pooled connections are dropped before a service closes them (its http.keepAliveTimeout, 60 s),
            // so a request is never written onto a connection the service is closing
            .setKeepAliveTimeout(30)
            .setIdleTimeout(60)
            .setName("upstreams"))
        .with(new PoolOptions().setHttp1MaxSize(settings.poolSize()).setMaxWaitQueueSize(settings.maxWaitQueue()))
        .build();
    names.forEach(name -> byName.put(name, new Upstream(name, vertx, client, settings, meters)));
    this.timer = vertx.setPeriodic(settings.refresh().toMillis(), t -> refresh());
  }

  /** Reads every instance list once; the returned future completes when all are known. */
  public Future<Void> refresh() {
    List<Future<Void>> reads = byName.values().stream().map(upstream -> registry.instances(upstream.name())
        .onSuccess(upstream::update)
        .onFailure(e -> LOG.warn("cannot read instances of {}: {}", upstream.name(), e.toString()))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture())).toList();
    return Future.all(reads).mapEmpty();
  }

  /** The client every upstream connection comes from. */
  public HttpClient client() {
    return client;
  }

  public Upstream get(String name) {
    Upstream upstream = byName.get(name);
    if (upstream == null) {
      throw new IllegalArgumentException("no upstream named " + name);
    }
    return upstream;
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return client.close().eventually(registry::close);
  }
}
