package io.shopmesh.events;

import io.shopmesh.platform.tracing.Traces;

/**
 * The W3C {@code traceparent} of the operation in progress, carried into the envelope so a trace
 * follows an order across services and Kafka hops: the relay sends the event as a child of it,
 * and the consumer continues from the record's header (or, when a record lacks one, from it).
 */
public final class TraceContext {

  private TraceContext() {
  }

  /** The traceparent of the OpenTelemetry span current on this Vert.x context, or null when nothing is traced. */
  public static String currentTraceparent() {
    return Traces.traceparent();
  }
}
