package io.shopmesh.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;

/**
 * Vert.x's Micrometer metrics, except that HTTP requests are counted and timed by
 * {@link MeteredHttp} (same names and labels, meters resolved once per label set).
 */
final class MeteredVertxFactory implements VertxMetricsFactory {

  private final MicrometerMetricsFactory micrometer;
  private final MeterRegistry registry;

  MeteredVertxFactory(MeterRegistry registry) {
    this.micrometer = new MicrometerMetricsFactory(registry);
    this.registry = registry;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Metered(micrometer.metrics(options), new HttpMeters(registry, true), new HttpMeters(registry, false));
  }

  @Override
  public MetricsOptions newOptions() {
    return micrometer.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return micrometer.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return micrometer.newOptions(json);
  }

  private record Metered(VertxMetrics micrometer, HttpMeters server, HttpMeters client) implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> connections = micrometer.createHttpServerMetrics(options, localAddress);
      return connections == null ? null : new MeteredHttp.Server(connections, server);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      HttpClientMetrics<?, ?, ?> connections = micrometer.createHttpClientMetrics(options);
      return connections == null ? null : new MeteredHttp.Client(connections, client);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return micrometer.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return micrometer.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return micrometer.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return micrometer.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return micrometer.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return micrometer.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx created) {
      micrometer.vertxCreated(created);
    }

    @Override
    public boolean isMetricsEnabled() {
      return micrometer.isMetricsEnabled();
    }

    @Override
    public void close() {
      micrometer.close();
    }
  }
}
