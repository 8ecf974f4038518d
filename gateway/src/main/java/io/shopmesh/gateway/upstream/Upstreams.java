package io.shopmesh.gateway.upstream;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.shopmesh.platform.discovery.ServiceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's upstream services, kept in step with discovery (instance lists re-read every
 * {@code upstream.refresh}).
 *
 * <p>Upstream requests go through one HTTP client per event loop, each with its own pool bounded
 * per instance ({@code upstream.poolSize}); the bulkhead bounds what is in flight across them. A
 * client shared by the event loops would hand a request to a pooled connection of the other loop
 * and its response back again, two thread hand-offs per proxied request.
 */
public final class Upstreams {

  private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

  private final Vertx vertx;
  private final ServiceRegistry registry;
  private final UpstreamSettings settings;
  private final HttpClient client;
  private final Map<EventLoop, HttpClient> perEventLoop = new ConcurrentHashMap<>();
  private final Map<String, Upstream> byName = new LinkedHashMap<>();
  private final long timer;

  public Upstreams(Vertx vertx, ServiceRegistry registry, UpstreamSettings settings, MeterRegistry meters,
                   List<String> names) {
    this.vertx = vertx;
    this.registry = registry;
    this.settings = settings;
    this.client = newClient();
    names.forEach(name -> byName.put(name, new Upstream(name, vertx, this::client, settings, meters)));
    this.timer = vertx.setPeriodic(settings.refresh().toMillis(), t -> refresh());
  }

  private HttpClient newClient() {
    return vertx.httpClientBuilder()
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

  /** The client of the calling event loop (its connections stay on that loop); a shared one elsewhere. */
  public HttpClient client() {
    if (Vertx.currentContext() instanceof ContextInternal context && context.isEventLoopContext()) {
      return perEventLoop.computeIfAbsent(context.nettyEventLoop(), loop -> newClient());
    }
    return client;
  }

  /** The upstreams with no instance registered now (requests to them get 503 until one is). */
  public List<String> withoutInstances() {
    return byName.values().stream().filter(upstream -> upstream.instances().isEmpty()).map(Upstream::name).toList();
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
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(client.close());
    perEventLoop.values().forEach(c -> closing.add(c.close()));
    return Future.join(closing).<Void>mapEmpty().eventually(registry::close);
  }
}
