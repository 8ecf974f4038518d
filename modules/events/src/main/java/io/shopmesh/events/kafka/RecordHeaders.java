package io.shopmesh.events.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * Names of the Kafka record headers the backbone writes. The value of a record is always the
 * envelope text; headers repeat what a tool needs without parsing it ({@code kcat -f '%h'}), and
 * dead letters carry why and where they failed.
 */
public final class RecordHeaders {

  public static final String EVENT_ID = "event-id";
  public static final String EVENT_TYPE = "event-type";
  public static final String TRACEPARENT = "traceparent";

  /** Prefix of every dead-letter header; replay drops them so a re-injected record looks original. */
  public static final String DLQ_PREFIX = "dlq-";
  public static final String DLQ_CONSUMER = "dlq-consumer";
  public static final String DLQ_ERROR = "dlq-error";
  public static final String DLQ_ATTEMPTS = "dlq-attempts";
  public static final String DLQ_ORIGINAL_TOPIC = "dlq-original-topic";
  public static final String DLQ_ORIGINAL_PARTITION = "dlq-original-partition";
  public static final String DLQ_ORIGINAL_OFFSET = "dlq-original-offset";
  public static final String DLQ_FAILED_AT = "dlq-failed-at";

  private RecordHeaders() {
  }

  /** The last value of header {@code name} as UTF-8 text, or null. */
  public static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
