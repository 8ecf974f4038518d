package io.shopmesh.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * What a consumer does with one event. It runs inside the transaction that also records the
 * event id in the inbox: its writes (and any events it appends to the outbox through {@code tx})
 * commit together with that record, or not at all.
 */
@FunctionalInterface
public interface EventHandler<T extends DomainEvent> {

  Future<?> handle(SqlConnection tx, T event, Envelope envelope);
}
