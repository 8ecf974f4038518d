package io.shopmesh.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.tracing.opentelemetry.VertxContextStorageProvider.VertxContextStorage;

import java.util.Map;

/**
 * The trace context of the work in progress, read from and attached to the current Vert.x context
 * (where vertx-opentelemetry keeps it: each HTTP request and each consumed event runs on a
 * duplicated context of its own), never from a thread-local. Used where a trace crosses something
 * Vert.x does not trace by itself: the outbox envelope and the log lines.
 */
public final class Traces {

  public static final String TRACEPARENT = "traceparent";

  private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private Traces() {
  }

  /** The span of the current Vert.x context (or of the thread off Vert.x); invalid when nothing is traced. */
  public static Span currentSpan() {
    Context context = VertxContextStorage.INSTANCE.current();
    return context == null ? Span.getInvalid() : Span.fromContext(context);
  }

  /** The ids of {@link #currentSpan()}. */
  public static SpanContext current() {
    return currentSpan().getSpanContext();
  }

  /** The W3C {@code traceparent} of the current span, or null when nothing is traced. */
  public static String traceparent() {
    SpanContext span = current();
    if (!span.isValid()) {
      return null;
    }
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /** The context a W3C {@code traceparent} names (as a remote parent), or null when it is missing or malformed. */
  public static Context parent(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(),
        Map.of(TRACEPARENT, traceparent), MAP);
    return Span.fromContext(extracted).getSpanContext().isValid() ? extracted : null;
  }

  /**
   * Makes {@code context} current on the current Vert.x context until the scope is closed, so what
   * Vert.x starts meanwhile (a Kafka send, a query) is traced as its child.
   */
  public static Scope attach(Context context) {
    return VertxContextStorage.INSTANCE.attach(context);
  }
}
