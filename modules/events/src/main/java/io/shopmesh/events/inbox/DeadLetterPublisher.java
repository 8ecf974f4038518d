package io.shopmesh.events.inbox;

import io.shopmesh.events.Topics;
import io.shopmesh.events.kafka.KafkaClients;
import io.shopmesh.events.kafka.RecordHeaders;
import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.time.Duration;
import java.time.Instant;

/**
 * Moves a record that cannot be applied to {@code <topic>.dlq}: same key, same value, the original
 * headers, and {@code dlq-*} headers saying who gave up, why, after how many attempts and where
 * the record came from.
 */
final class DeadLetterPublisher {

  static final int MAX_ERROR_LENGTH = 1000;

  private final KafkaProducer<String, String> producer;
  private final String consumer;

  DeadLetterPublisher(Vertx vertx, KafkaConfig kafka, String consumer) {
    this.consumer = consumer;
    this.producer = KafkaProducer.create(vertx, KafkaClients.producer(kafka, consumer + "-dlq", 0,
        Duration.ofSeconds(30)));
    // each send's future carries its failure; without a handler Vert.x would also log it as unhandled
    this.producer.exceptionHandler(e -> { });
  }

  Future<Void> publish(ConsumerRecord<String, String> record, Throwable error, int attempts) {
    KafkaProducerRecord<String, String> dead = KafkaProducerRecord.create(Topics.deadLetters(record.topic()),
        record.key(), record.value());
    for (Header h : record.headers()) {
      if (!h.key().startsWith(RecordHeaders.DLQ_PREFIX)) {
        dead.addHeader(h.key(), Buffer.buffer(h.value() == null ? new byte[0] : h.value()));
      }
    }
    dead.addHeader(RecordHeaders.DLQ_CONSUMER, consumer)
        .addHeader(RecordHeaders.DLQ_ERROR, describe(error))
        .addHeader(RecordHeaders.DLQ_ATTEMPTS, Integer.toString(attempts))
        .addHeader(RecordHeaders.DLQ_ORIGINAL_TOPIC, record.topic())
        .addHeader(RecordHeaders.DLQ_ORIGINAL_PARTITION, Integer.toString(record.partition()))
        .addHeader(RecordHeaders.DLQ_ORIGINAL_OFFSET, Long.toString(record.offset()))
        .addHeader(RecordHeaders.DLQ_FAILED_AT, Instant.now().toString());
    return producer.send(dead).mapEmpty();
  }

  Future<Void> close() {
    return producer.close(5000);
  }

  /** The root cause's type and message, short enough for a header. */
  static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 3) + "...";
  }
}
