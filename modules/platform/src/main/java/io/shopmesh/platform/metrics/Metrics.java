package io.shopmesh.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.Arrays;
import java.util.EnumSet;

/**
 * One Prometheus registry per service process, shared by Vert.x's own metrics (HTTP server and
 * client by route and status, pools, event bus), the JVM binders and Shopmesh's
 * {@code shopmesh_*} meters. Scraped at {@code /metrics}.
 *
 * <p>HTTP traffic keeps Vert.x's names ({@code vertx_http_server_requests_total},
 * {@code vertx_http_server_response_time_seconds}, with {@code method}, {@code code} and
 * {@code route}): they are the meters Vert.x instruments, named as every Vert.x dashboard expects,
 * and renaming them would rename only some of Vert.x's meters (pools, event bus and clients keep
 * theirs). {@code shopmesh_*} is for the meters Shopmesh itself defines. The {@code route} label is
 * the route template that served the request ({@code /api/orders/:id}), never the raw path.
 * Vert.x's implementation looks these meters up in the registry on every request; they are
 * recorded by {@link MeteredHttp} instead, under the same names and labels, with each meter
 * resolved once per label set.
 */
public final class Metrics {

  /** Latency buckets of the HTTP server timer: enough for a p99 per route without a bucket per millisecond. */
  private static final double[] HTTP_BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private Metrics() {
  }

  public static PrometheusMeterRegistry registry(String service) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", service);
    registry.config().meterFilter(MeterFilter.replaceTagValues(Label.HTTP_ROUTE.toString(), Metrics::deepestRoute));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("vertx.http.server.response.time")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(Arrays.stream(HTTP_BUCKETS_SECONDS).map(s -> s * 1e9).toArray())
            .build().merge(config);
      }
    });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return registry;
  }

  /** A Vert.x instance reporting into {@code registry}, not traced. */
  public static Vertx vertx(PrometheusMeterRegistry registry, VertxOptions options) {
    return vertx(registry, options, null);
  }

  /** A Vert.x instance reporting into {@code registry} and traced by {@code tracer} (when not null). */
  public static Vertx vertx(PrometheusMeterRegistry registry, VertxOptions options, VertxTracerFactory tracer) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
            Label.POOL_NAME, Label.NAMESPACE));
    VertxBuilder builder = Vertx.builder()
        .with(options.setMetricsOptions(metrics))
        .withMetrics(new MeteredVertxFactory(registry));
    if (tracer != null) {
      builder.withTracer(tracer);
    }
    return builder.build();
  }

  /**
   * Vert.x Web reports every route a request passed through ({@code /api/orders*>/api/orders/:id}
   * when an authentication route matched first); the last one is the template that served it.
   */
  private static String deepestRoute(String routes) {
    return routes.substring(routes.lastIndexOf('>') + 1);
  }
}
