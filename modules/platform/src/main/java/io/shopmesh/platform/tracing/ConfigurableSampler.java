package io.shopmesh.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Parent-based sampling with a ratio set once configuration is read (everything until then). New
 * traces that start with a health probe or a metrics scrape are dropped: they would bury the
 * traces of real requests (their ids still reach the logs).
 *
 * <p>At the edge (the gateway) a request's incoming {@code traceparent} is the client's word: its
 * trace id is kept for correlation, but whether the trace is recorded is decided here, at the
 * configured ratio, so a client cannot force every one of its requests to be recorded.
 */
final class ConfigurableSampler implements Sampler {

  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final Set<String> PROBES = Set.of("/health/live", "/health/ready", "/metrics");

  private final boolean edge;
  private volatile Sampler delegate = Sampler.parentBased(Sampler.alwaysOn());
  private volatile double ratio = 1.0;

  ConfigurableSampler(boolean edge) {
    this.edge = edge;
  }

  void ratio(double ratio) {
    this.ratio = ratio;
    delegate = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                     Attributes attributes, List<LinkData> parentLinks) {
    String path = attributes.get(URL_PATH);
    if (spanKind == SpanKind.SERVER && path != null && PROBES.contains(path)
        && !Span.fromContext(parentContext).getSpanContext().isValid()) {
      return SamplingResult.drop();
    }
    if (edge && spanKind == SpanKind.SERVER && Span.fromContext(parentContext).getSpanContext().isRemote()) {
      // the trace id may be chosen by the client, so it cannot decide either: a coin of our own
      return ThreadLocalRandom.current().nextDouble() < ratio ? SamplingResult.recordAndSample()
          : SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "ShopmeshSampler{" + (edge ? "edge, " : "") + delegate.getDescription() + "}";
  }
}
