package io.shopmesh.events;

import io.shopmesh.platform.logging.LogContext;

/**
 * The W3C {@code traceparent} of the operation in progress, carried into the envelope so a trace
 * follows an order across services and Kafka hops.
 */
public final class TraceContext {

  private TraceContext() {
  }

  /** The current traceparent, or null when nothing is being traced. */
  public static String currentTraceparent() {
    LogContext.Scope scope = LogContext.current();
    if (scope.traceId() == null || scope.spanId() == null) {
      return null;
    }
    return "00-" + scope.traceId() + "-" + scope.spanId() + "-01";
  }
}
