package io.shopmesh.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.shopmesh.platform.config.TracingConfig;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry for one service process: Vert.x traces HTTP servers and clients, SQL, Redis, the
 * event bus and Kafka sends with it, and W3C {@code traceparent} headers carry the context between
 * services (see {@link Traces} for the Kafka and outbox hops).
 *
 * <p>Vert.x takes its tracer when it is built, and a service builds Vert.x before it reads its
 * configuration (the configuration is read with Vert.x). So the SDK is built first, with the two
 * parts that depend on configuration behind switches that {@link #configure} sets once the
 * settings are known: the sampler ({@code tracing.samplingRatio}) and the exporter
 * ({@code tracing.otlpEndpoint}). The values therefore come from the same {@code Settings} as every
 * other key (file, then environment, then {@code -D}). Nothing is traced in between: servers,
 * consumers and relays are started only after configuration.
 */
public final class Tracing {

  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  private final ConfigurableSampler sampler;
  private final ConfigurableExport export = new ConfigurableExport();
  private final SdkTracerProvider provider;
  private final OpenTelemetrySdk openTelemetry;
  private boolean configured;

  private Tracing(String service, boolean edge) {
    this.sampler = new ConfigurableSampler(edge);
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), service,
        AttributeKey.stringKey("service.namespace"), "shopmesh",
        AttributeKey.stringKey("service.instance.id"), UUID.randomUUID().toString())));
    this.provider = SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(sampler)
        .addSpanProcessor(export)
        .build();
    this.openTelemetry = OpenTelemetrySdk.builder()
        .setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** The SDK of {@code service}: every span sampled, none exported until {@link #configure}. */
  public static Tracing create(String service) {
    return new Tracing(service, false);
  }

  /**
   * The SDK of a service that takes requests from outside the mesh (the gateway): it decides itself
   * whether a request's trace is recorded, whatever sampled flag the client's {@code traceparent} carries.
   */
  public static Tracing atEdge(String service) {
    return new Tracing(service, true);
  }

  /** For {@code Vertx.builder().withTracer(..)}. */
  public VertxTracerFactory vertxTracer() {
    return new OpenTelemetryTracingFactory(openTelemetry);
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /**
   * Applies the sampling ratio and starts exporting when an endpoint is set; once, after config is
   * read. Without an endpoint nothing is recorded (recording spans nobody receives costs every
   * request an allocation of attributes and events); trace and span ids are still created,
   * propagated and logged.
   */
  public synchronized void configure(TracingConfig config) {
    if (configured) {
      throw new IllegalStateException("tracing is configured once");
    }
    configured = true;
    sampler.ratio(config.exports() ? config.samplingRatio() : 0);
    if (config.exports()) {
      export.to(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
              .setEndpoint(config.tracesUrl())
              .setTimeout(Duration.ofSeconds(10))
              .build())
          .setScheduleDelay(Duration.ofSeconds(1))
          .build());
      LOG.info("tracing: spans exported to {} (sampling ratio {})", config.tracesUrl(), config.samplingRatio());
    }
  }

  /** Sends the spans still buffered, then stops; waits at most {@code timeout}. */
  public void close(Duration timeout) {
    provider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
