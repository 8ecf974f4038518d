package io.shopmesh.platform.logging;

import io.opentelemetry.api.trace.SpanContext;
import io.shopmesh.platform.tracing.Traces;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Correlation ids of the request or event being handled, kept in Vert.x context-local storage
 * rather than a thread-local MDC: an event loop interleaves many requests, while every HTTP
 * request (and every event we handle) runs on its own duplicated context. The request id is
 * stored here; the trace and span ids are those of the OpenTelemetry span current on the same
 * context ({@link Traces}), so a log line names the span that was running when it was written.
 *
 * <p>Registered as a {@link VertxServiceProvider} because context locals must exist before the
 * first Vert.x instance is built, and providers are loaded before that.
 */
public final class LogContext implements VertxServiceProvider {

  private static final ContextLocal<Scope> SCOPE = ContextLocal.registerLocal(Scope.class);

  @Override
  public void init(VertxBootstrap bootstrap) {
    // nothing to configure: loading this class registers the context local
  }

  /** Attaches ids to the given (duplicated) context: every log line written on it carries them. */
  public static void put(Context context, Scope scope) {
    context.putLocal(SCOPE, scope);
  }

  /**
   * The ids of the current Vert.x context: its request id and its current span's ids, or those
   * stored with {@link #put} when no span is current; {@link Scope#NONE} when there are none.
   */
  public static Scope current() {
    Context context = Vertx.currentContext();
    Scope stored = context == null ? null : context.getLocal(SCOPE);
    SpanContext span = Traces.current();
    if (span.isValid()) {
      return new Scope(stored == null ? null : stored.requestId(), span.getTraceId(), span.getSpanId());
    }
    return stored == null ? Scope.NONE : stored;
  }

  /** Correlation ids; any may be null. */
  public record Scope(String requestId, String traceId, String spanId) {

    public static final Scope NONE = new Scope(null, null, null);

    public static Scope ofRequest(String requestId) {
      return new Scope(requestId, null, null);
    }

    /**
     * The request id with the ids of the span current now (e.g. the HTTP server span), which
     * lines written after that span has ended (an access log at the response's end) still carry.
     */
    public static Scope ofRequestInCurrentSpan(String requestId) {
      SpanContext span = Traces.current();
      return span.isValid() ? new Scope(requestId, span.getTraceId(), span.getSpanId()) : ofRequest(requestId);
    }
  }
}
