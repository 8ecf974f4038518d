package io.shopmesh.platform.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's {@link AsyncAppender} for Shopmesh services: the thread that logs (often an event loop)
 * only enqueues the event, and encoding and writing to stdout happen on the appender's own thread,
 * so a slow log reader never stalls an event loop. The correlation ids live in the logging Vert.x
 * context ({@link LogContext}), which the appender's thread cannot see: they are copied into the
 * event as key-value pairs before it is queued, and {@link JsonLineEncoder} writes them as usual.
 *
 * <p>Configure it with {@code neverBlock} (a full queue drops events rather than blocking the
 * caller; past 80% only INFO and below are dropped) and a shutdown hook that flushes the queue.
 */
public final class ContextAsyncAppender extends AsyncAppender {

  @Override
  protected void preprocess(ILoggingEvent event) {
    if (event instanceof LoggingEvent logged) {
      LogContext.Scope scope = LogContext.current();
      add(logged, "requestId", scope.requestId());
      add(logged, "traceId", scope.traceId());
      add(logged, "spanId", scope.spanId());
    }
    super.preprocess(event);
  }

  private static void add(LoggingEvent event, String key, String value) {
    if (value != null) {
      event.addKeyValuePair(new KeyValuePair(key, value));
    }
  }
}
