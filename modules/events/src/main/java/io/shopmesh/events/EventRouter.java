package io.shopmesh.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which handler applies to which event type. Events of other types on a consumed topic are
 * recorded in the inbox and otherwise ignored: a topic carries everything its context publishes.
 */
public final class EventRouter {

  private final Map<String, Route<?>> routes = new HashMap<>();

  public <T extends DomainEvent> EventRouter on(Class<T> type, EventHandler<T> handler) {
    routes.put(EventCodec.typeOf(type).name(), new Route<>(type, handler));
    return this;
  }

  /** The event types this router handles. */
  public Set<String> types() {
    return Set.copyOf(routes.keySet());
  }

  /** Applies the handler for the envelope's type; a type nobody handles succeeds without effect. */
  public Future<?> dispatch(SqlConnection tx, Envelope envelope) {
    Route<?> route = routes.get(envelope.type());
    return route == null ? Future.succeededFuture() : route.apply(tx, envelope);
  }

  private record Route<T extends DomainEvent>(Class<T> type, EventHandler<T> handler) {

    Future<?> apply(SqlConnection tx, Envelope envelope) {
      T event;
      try {
        event = envelope.payloadAs(type);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new IllegalArgumentException("unreadable " + envelope.type() + " payload: "
            + e.getMessage(), e));
      }
      return handler.handle(tx, event, envelope);
    }
  }
}
