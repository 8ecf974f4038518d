package io.shopmesh.testkit;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.config.TracingConfig;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceStarter;
import io.shopmesh.platform.metrics.Metrics;
import io.shopmesh.platform.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;

/**
 * A service started in-process the way its {@code *Main} starts it: its own Vert.x instance with
 * metrics, a port chosen by the OS, and a {@link WebClient} aimed at it. Closing it runs the
 * service's graceful shutdown and closes its Vert.x.
 */
public final class RunningService implements AutoCloseable {

  private final ServiceContext service;
  private final WebClient client;
  private final Tracing tracing;

  private RunningService(ServiceContext service, WebClient client, Tracing tracing) {
    this.service = service;
    this.client = client;
    this.tracing = tracing;
  }

  /** Starts {@code starter} with {@code settings} and waits until it serves; nothing is traced. */
  public static RunningService start(String name, ServiceStarter starter, JsonObject settings) {
    return start(name, starter, settings, null);
  }

  /**
   * Like {@link #start(String, ServiceStarter, JsonObject)}, traced by {@code tracing} (e.g.
   * {@link Tracing#atEdge}) configured from {@code settings}' {@code tracing.*}, as
   * {@code ServiceRunner} does; closed with the service.
   */
  public static RunningService start(String name, ServiceStarter starter, JsonObject settings, Tracing tracing) {
    PrometheusMeterRegistry registry = Metrics.registry(name);
    Vertx vertx = Metrics.vertx(registry, new VertxOptions(), tracing == null ? null : tracing.vertxTracer());
    if (tracing != null) {
      tracing.configure(TracingConfig.from(Settings.of(settings)));
    }
    ServiceContext service = new ServiceContext(name, vertx, Settings.of(settings), registry);
    try {
      service.start(starter).await();
    } catch (RuntimeException e) {
      service.shutdown().eventually(vertx::close).await();
      if (tracing != null) {
        tracing.close(Duration.ofSeconds(5));
      }
      throw e;
    }
    WebClient client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(service.httpPort()), new PoolOptions().setHttp1MaxSize(64));
    return new RunningService(service, client, tracing);
  }

  public int port() {
    return service.httpPort();
  }

  /** A client whose relative requests go to this service. */
  public WebClient client() {
    return client;
  }

  public ServiceContext context() {
    return service;
  }

  public Vertx vertx() {
    return service.vertx();
  }

  @Override
  public void close() {
    client.close();
    service.shutdown().eventually(service.vertx()::close).await();
    if (tracing != null) {
      tracing.close(Duration.ofSeconds(5));
    }
  }
}
