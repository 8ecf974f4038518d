package io.shopmesh.events;

import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.UUID;

/**
 * The producer side of the backbone: events are appended in the caller's own transaction, so
 * they exist if and only if the state change they describe committed. The relay publishes them.
 */
public final class Outbox {

  private static final String INSERT =
      "INSERT INTO outbox (id, topic, aggregate_id, type, envelope) VALUES ($1, $2, $3, $4, $5)";
  private static final String INSERT_ALL = "INSERT INTO outbox (id, topic, aggregate_id, type, envelope) "
      + "SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])";

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

  /**
   * Appends many events in one statement (rows identical to {@link #append}'s, in list order): a
   * bulk operation appending hundreds of events would otherwise spend more on round trips and
   * NOTIFY triggers than on its own work.
   */
  public Future<List<Envelope>> appendAll(SqlClient tx, List<? extends DomainEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String traceparent = TraceContext.currentTraceparent();
    List<Envelope> envelopes = events.stream().map(e -> Envelope.of(e, traceparent)).toList();
    String[] topics = events.stream().map(e -> kafka.topic(EventCodec.typeOf(e.getClass()).topic()))
        .toArray(String[]::new);
    return tx.preparedQuery(INSERT_ALL).execute(Tuple.tuple()
            .addArrayOfUUID(envelopes.stream().map(Envelope::id).toArray(UUID[]::new))
            .addArrayOfString(topics)
            .addArrayOfString(envelopes.stream().map(Envelope::aggregateId).toArray(String[]::new))
            .addArrayOfString(envelopes.stream().map(Envelope::type).toArray(String[]::new))
            .addArrayOfString(envelopes.stream().map(e -> e.toJson().encode()).toArray(String[]::new)))
        .map(rows -> envelopes);
  }
}
