package io.shopmesh.platform.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Correlation ids of the request or event being handled, kept in Vert.x context-local storage
 * rather than a thread-local MDC: an event loop interleaves many requests, while every HTTP
 * request (and every event we handle) runs on its own duplicated context.
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

  /** The ids of the current Vert.x context, or {@link Scope#NONE} off a Vert.x thread. */
  public static Scope current() {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Scope.NONE;
    }
    Scope scope = context.getLocal(SCOPE);
    return scope == null ? Scope.NONE : scope;
  }

  /** Correlation ids; any may be null. */
  public record Scope(String requestId, String traceId, String spanId) {

    public static final Scope NONE = new Scope(null, null, null);

    public static Scope ofRequest(String requestId) {
      return new Scope(requestId, null, null);
    }
  }
}
