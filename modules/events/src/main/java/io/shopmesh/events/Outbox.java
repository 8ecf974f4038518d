package io.shopmesh.events;

import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The producer side of the backbone: events are appended in the caller's own transaction, so
 * they exist if and only if the state change they describe committed. The relay publishes them.
 */
public final class Outbox {

  private static final String INSERT =
      "INSERT INTO outbox (id, topic, aggregate_id, type, envelope) VALUES ($1, $2, $3, $4, $5)";

  private final KafkaConfig kafka;

  public Outbox(KafkaConfig kafka) {
    this.kafka = kafka;
  }

  /**
   * Appends {@code event} through {@code tx}, which must be the connection of the business
   * transaction (e.g. inside {@code pool.withTransaction(tx -> ...)}).
   */
  public Future<Envelope> append(SqlClient tx, DomainEvent event) {
    Envelope envelope = Envelope.of(event, TraceContext.currentTraceparent());
    String topic = kafka.topic(EventCodec.typeOf(event.getClass()).topic());
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(envelope.id(), topic, envelope.aggregateId(), envelope.type(), envelope.toJson().encode()))
        .map(rows -> envelope);
  }
}
