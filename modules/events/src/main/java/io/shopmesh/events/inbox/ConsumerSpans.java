package io.shopmesh.events.inbox;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.kafka.RecordHeaders;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CONSUMER span of each event, through the Vert.x tracer: a child of the context the record
 * carries (the relay's {@code traceparent} header, else the envelope's), made current on the
 * event's own duplicated context, so the handler's queries and the events it appends continue the
 * same trace. Nothing happens when Vert.x is not traced.
 */
final class ConsumerSpans {

  private static final TagExtractor<List<Map.Entry<String, String>>> TAGS = new TagExtractor<>() {
    @Override
    public int len(List<Map.Entry<String, String>> tags) {
      return tags.size();
    }

    @Override
    public String name(List<Map.Entry<String, String>> tags, int index) {
      return tags.get(index).getKey();
    }

    @Override
    public String value(List<Map.Entry<String, String>> tags, int index) {
      return tags.get(index).getValue();
    }
  };

  private final VertxTracer<Object, Object> tracer;
  private final String group;

  /** @param group the Kafka consumer group (the span's {@code messaging.consumer.group.name}) */
  @SuppressWarnings("unchecked")
  ConsumerSpans(ContextInternal root, String group) {
    this.tracer = (VertxTracer<Object, Object>) root.tracer();
    this.group = group;
  }

  /** Starts the span of {@code envelope} and makes it current on {@code context}; null when not traced. */
  Object start(ContextInternal context, ConsumerRecord<String, String> record, Envelope envelope) {
    if (tracer == null) {
      return null;
    }
    List<Map.Entry<String, String>> tags = List.of(
        Map.entry("messaging.system", "kafka"),
        Map.entry("messaging.operation", "process"),
        Map.entry("messaging.destination.name", record.topic()),
        Map.entry("messaging.destination.partition.id", Integer.toString(record.partition())),
        Map.entry("messaging.kafka.message.offset", Long.toString(record.offset())),
        Map.entry("messaging.consumer.group.name", group),
        Map.entry("messaging.message.id", envelope.id().toString()),
        Map.entry("shopmesh.event.type", envelope.type()));
    return tracer.receiveRequest(context, SpanKind.MESSAGING, TracingPolicy.ALWAYS, tags,
        "process " + record.topic(), carrier(record, envelope), TAGS);
  }

  /** Ends the span (and its being current on {@code context}). */
  void end(ContextInternal context, Object span, Throwable failure) {
    if (span != null) {
      tracer.sendResponse(context, null, span, failure, TagExtractor.empty());
    }
  }

  private static List<Map.Entry<String, String>> carrier(ConsumerRecord<String, String> record, Envelope envelope) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      if (header.value() != null) {
        headers.add(Map.entry(header.key(), new String(header.value(), StandardCharsets.UTF_8)));
      }
    }
    if (record.headers().lastHeader(RecordHeaders.TRACEPARENT) == null && envelope.traceparent() != null) {
      headers.add(Map.entry(RecordHeaders.TRACEPARENT, envelope.traceparent()));
    }
    return headers;
  }
}
