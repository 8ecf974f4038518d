package io.shopmesh.events.dlq;

import io.shopmesh.events.kafka.RecordHeaders;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * One record of a {@code <topic>.dlq}, as an operator sees it.
 *
 * @param eventId           the event's id, or null when the record was not a readable envelope
 * @param aggregateId       the record key
 * @param consumer          the consumer that gave up on it
 * @param attempts          handler attempts made (1 for unreadable records)
 * @param failedAt          ISO-8601 instant
 * @param originalPartition partition of the record in the original topic
 * @param originalOffset    offset of the record in the original topic
 * @param dlqPartition      where it sits in the dead-letter topic
 * @param dlqOffset         where it sits in the dead-letter topic
 */
public record DeadLetter(String eventId, String type, String aggregateId, String error, String consumer, int attempts,
                         String failedAt, int originalPartition, long originalOffset, int dlqPartition,
                         long dlqOffset) {

  static DeadLetter of(ConsumerRecord<String, String> record) {
    Headers h = record.headers();
    return new DeadLetter(
        envelopeField(record, RecordHeaders.EVENT_ID, "id"),
        envelopeField(record, RecordHeaders.EVENT_TYPE, "type"),
        record.key(),
        RecordHeaders.text(h, RecordHeaders.DLQ_ERROR),
        RecordHeaders.text(h, RecordHeaders.DLQ_CONSUMER),
        number(RecordHeaders.text(h, RecordHeaders.DLQ_ATTEMPTS)),
        RecordHeaders.text(h, RecordHeaders.DLQ_FAILED_AT),
        number(RecordHeaders.text(h, RecordHeaders.DLQ_ORIGINAL_PARTITION)),
        longNumber(RecordHeaders.text(h, RecordHeaders.DLQ_ORIGINAL_OFFSET)),
        record.partition(),
        record.offset());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("eventId", eventId)
        .put("type", type)
        .put("aggregateId", aggregateId)
        .put("error", error)
        .put("consumer", consumer)
        .put("attempts", attempts)
        .put("failedAt", failedAt)
        .put("originalPartition", originalPartition)
        .put("originalOffset", originalOffset)
        .put("dlqPartition", dlqPartition)
        .put("dlqOffset", dlqOffset);
  }

  /**
   * An envelope member, from its header when the relay wrote one, else from the value itself (records
   * written by other producers); null when neither has it.
   */
  static String envelopeField(ConsumerRecord<String, String> record, String header, String member) {
    String fromHeader = RecordHeaders.text(record.headers(), header);
    if (fromHeader != null || record.value() == null) {
      return fromHeader;
    }
    try {
      Object value = new JsonObject(record.value()).getValue(member);
      return value instanceof String text ? text : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static int number(String text) {
    return (int) longNumber(text);
  }

  private static long longNumber(String text) {
    try {
      return text == null ? -1 : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
