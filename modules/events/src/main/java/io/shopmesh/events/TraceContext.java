package io.shopmesh.events;

import io.shopmesh.platform.logging.LogContext;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The W3C {@code traceparent} of the operation in progress, carried into the envelope so a trace
 * follows an order across services and Kafka hops.
 */
public final class TraceContext {

  private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

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

  /**
   * The log scope of work caused by an event: the event's trace id and a new span id (the
   * consumer's work is a child of the producer's span), or no trace when {@code traceparent} is
   * missing or malformed. Events appended while handling it therefore continue the same trace.
   */
  public static LogContext.Scope childScope(String requestId, String traceparent) {
    Matcher m = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
    if (m == null || !m.matches()) {
      return new LogContext.Scope(requestId, null, null);
    }
    return new LogContext.Scope(requestId, m.group(1), newSpanId());
  }

  private static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return String.format("%016x", id);
  }
}
