package io.shopmesh.events.inbox;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.EventRouter;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;

/**
 * The idempotent part of consuming: the event id goes into {@code inbox} in the same transaction
 * as the handler's writes. A second delivery finds the id there and changes nothing.
 */
final class InboxStore {

  private static final String INSERT = "INSERT INTO inbox (consumer, event_id, type, topic, partition, kafka_offset)"
      + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
  /** Rows deleted per statement, so that one cleanup never holds many locks or a long transaction. */
  static final int EXPIRE_BATCH = 5000;
  // SKIP LOCKED: the instances of a service clean the same inbox; each takes rows the others are not deleting
  private static final String EXPIRE = "DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox WHERE consumer = $1"
      + " AND received_at < now() - make_interval(secs => $2) LIMIT " + EXPIRE_BATCH + " FOR UPDATE SKIP LOCKED)";

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

  /** Deletes up to {@link #EXPIRE_BATCH} of this consumer's rows written longer ago than {@code retention}. */
  Future<Integer> expire(Duration retention) {
    return pool.preparedQuery(EXPIRE).execute(Tuple.of(consumer, retention.toMillis() / 1000.0))
        .map(RowSet::rowCount);
  }

  /** The handler (not the inbox bookkeeping) failed; counts as an attempt. */
  static final class HandlerFailure extends RuntimeException {

    HandlerFailure(Throwable cause) {
      super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause, false, false);
    }
  }
}
