package io.shopmesh.events.inbox;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.EventRouter;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The idempotent part of consuming: the event id goes into {@code inbox} in the same transaction
 * as the handler's writes. A second delivery finds the id there and changes nothing.
 */
final class InboxStore {

  private static final String INSERT = "INSERT INTO inbox (consumer, event_id, type, topic, partition, kafka_offset)"
      + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

  private final Pool pool;
  private final String consumer;
  private final EventRouter router;

  InboxStore(Pool pool, String consumer, EventRouter router) {
    this.pool = pool;
    this.consumer = consumer;
    this.router = router;
  }

  /**
   * Records and applies the event in one transaction. A handler failure fails the future with a
   * {@link HandlerFailure}; anything else (no connection, commit failed) is the database's.
   */
  Future<Outcome> apply(Envelope envelope, ConsumerRecord<String, String> record) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
        .execute(Tuple.of(consumer, envelope.id(), envelope.type(), record.topic(), record.partition(), record.offset()))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(Outcome.DUPLICATE);
          }
          Future<?> handled;
          try {
            handled = router.dispatch(tx, envelope);
          } catch (RuntimeException e) {
            handled = Future.failedFuture(e);
          }
          return handled.transform(ar -> ar.succeeded() ? Future.succeededFuture(Outcome.APPLIED)
              : Future.failedFuture(new HandlerFailure(ar.cause())));
        }));
  }

  /** The handler (not the inbox bookkeeping) failed; counts as an attempt. */
  static final class HandlerFailure extends RuntimeException {

    HandlerFailure(Throwable cause) {
      super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause, false, false);
    }
  }
}
