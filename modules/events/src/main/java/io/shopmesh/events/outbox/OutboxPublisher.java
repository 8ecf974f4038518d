package io.shopmesh.events.outbox;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.shopmesh.events.kafka.KafkaClients;
import io.shopmesh.events.kafka.RecordHeaders;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.tracing.Traces;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends outbox rows to Kafka with an idempotent producer: key = aggregate id, value = the stored
 * envelope text unchanged, headers {@code event-id}, {@code event-type} and {@code traceparent}.
 *
 * <p>Each send runs with the envelope's trace context current, so a traced Vert.x records it as a
 * PRODUCER span, child of the operation that wrote the event, and writes that span's
 * {@code traceparent} header; an untraced Vert.x gets the envelope's own {@code traceparent} copied.
 */
final class OutboxPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

  /** How a batch went: the rows acknowledged, a prefix of the batch in {@code seq} order, and the first failure. */
  record Outcome(List<OutboxRow> acked, Throwable failure) {
  }

  private final KafkaProducer<String, String> producer;
  private final RelayMetrics metrics;
  private final RelaySettings settings;
  private final boolean traced;

  OutboxPublisher(Vertx vertx, KafkaConfig kafka, RelaySettings settings, RelayMetrics metrics, String clientId) {
    this.settings = settings;
    this.metrics = metrics;
    this.traced = ((VertxInternal) vertx).tracer() != null;
    this.producer = KafkaProducer.create(vertx, KafkaClients.producer(kafka, clientId, settings.lingerMs(),
        settings.deliveryTimeout()));
    // each send's future carries its failure; without a handler Vert.x would also log every one as unhandled
    producer.exceptionHandler(e -> LOG.debug("outbox send failed: {}", e.toString()));
  }

  /**
   * Sends the whole batch and waits for every acknowledgement. Only the acknowledged prefix counts
   * as published: re-sending everything after the first failure keeps each key's order, at the
   * price of duplicates the inbox removes.
   */
  Future<Outcome> publish(List<OutboxRow> rows) {
    List<Future<RecordMetadata>> acks = rows.stream().map(this::send).toList();
    return Future.join(acks).transform(done -> {
      Instant now = Instant.now();
      int acked = 0;
      while (acked < rows.size() && acks.get(acked).succeeded()) {
        metrics.published(rows.get(acked), now);
        acked++;
      }
      if (acked < rows.size()) {
        metrics.failed(rows.size() - acked);
      }
      Throwable failure = acked < rows.size() ? acks.get(acked).cause() : null;
      return Future.succeededFuture(new Outcome(rows.subList(0, acked), failure));
    });
  }

  /**
   * Sends what is still buffered for up to {@code timeout} (what is not sent by then is dropped), then
   * closes. A zero timeout waits for every send (vertx-kafka-client's {@code close(0)}).
   */
  Future<Void> close(Duration timeout) {
    return producer.close(timeout.toMillis());
  }

  private Future<RecordMetadata> send(OutboxRow row) {
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(row.topic(), row.aggregateId(),
        row.envelope());
    record.addHeader(RecordHeaders.EVENT_ID, row.id().toString());
    record.addHeader(RecordHeaders.EVENT_TYPE, row.type());
    String traceparent = traceparent(row.envelope());
    Context parent = Traces.parent(traceparent);
    if (parent == null) {
      return producer.send(record);
    }
    if (!traced) {
      record.addHeader(RecordHeaders.TRACEPARENT, traceparent);
    }
    try (Scope scope = Traces.attach(parent)) {
      return producer.send(record);
    }
  }

  private static String traceparent(String envelope) {
    try {
      return new JsonObject(envelope).getString("traceparent");
    } catch (RuntimeException e) {
      return null;
    }
  }
}
