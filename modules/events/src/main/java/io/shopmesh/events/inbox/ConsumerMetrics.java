package io.shopmesh.events.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopmesh.events.Envelope;
import io.vertx.kafka.client.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One consumer's meters, all tagged {@code consumer}:
 * <ul>
 *   <li>{@code shopmesh_consumer_handled_total{type,outcome}}: applied, duplicate, dead_lettered</li>
 *   <li>{@code shopmesh_consumer_handler_failures_total{type}}: failed handler attempts</li>
 *   <li>{@code shopmesh_event_delivery_latency_seconds}: envelope {@code occurredAt} to applied (histogram)</li>
 *   <li>{@code shopmesh_consumer_lag_records{topic,partition}}: records behind the end of each assigned partition</li>
 *   <li>{@code shopmesh_dlq_depth{topic}}: records held in {@code <topic>.dlq}</li>
 * </ul>
 * Topic tags carry the logical name ({@code orders.events}), not the deployment prefix.
 */
final class ConsumerMetrics {

  private final MeterRegistry registry;
  private final String consumer;
  private final Function<String, String> logicalTopic;
  private final Timer deliveryLatency;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Lag> lags = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> dlqDepths = new ConcurrentHashMap<>();
  private final List<Meter> meters = new ArrayList<>();

  private record Lag(AtomicLong value, Gauge gauge) {
  }

  ConsumerMetrics(MeterRegistry registry, String consumer, Function<String, String> logicalTopic) {
    this.registry = registry;
    this.consumer = consumer;
    this.logicalTopic = logicalTopic;
    this.deliveryLatency = Timer.builder("shopmesh.event.delivery.latency")
        .description("From an event's occurredAt to its handler's commit")
        .tag("consumer", consumer)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
    meters.add(deliveryLatency);
  }

  void handled(Envelope envelope, Outcome outcome) {
    counter("shopmesh.consumer.handled", "Events processed, by outcome", envelope.type(), outcome.label()).increment();
    if (outcome == Outcome.APPLIED) {
      Duration took = Duration.between(envelope.occurredAt(), Instant.now());
      deliveryLatency.record(took.isNegative() ? Duration.ZERO : took);
    }
  }

  void deadLettered(String type) {
    counter("shopmesh.consumer.handled", "Events processed, by outcome", type, Outcome.DEAD_LETTERED.label())
        .increment();
  }

  void inboxExpired(int rows) {
    if (rows > 0) {
      counters.computeIfAbsent("shopmesh.consumer.inbox.expired", k -> Counter.builder(k)
          .description("Inbox rows deleted after consumer.inboxRetention").tag("consumer", consumer)
          .register(registry)).increment(rows);
    }
  }

  void handlerFailed(String type) {
    counter("shopmesh.consumer.handler.failures", "Failed handler attempts", type, null).increment();
  }

  /** Sets the lag of a partition this consumer owns. */
  void lag(TopicPartition tp, long records) {
    lags.computeIfAbsent(tp, p -> {
      AtomicLong value = new AtomicLong();
      Gauge gauge = Gauge.builder("shopmesh.consumer.lag.records", value, AtomicLong::get)
          .description("Records between the last processed offset and the end of the partition")
          .tags("consumer", consumer, "topic", logicalTopic.apply(p.getTopic()),
              "partition", Integer.toString(p.getPartition()))
          .register(registry);
      return new Lag(value, gauge);
    }).value().set(Math.max(0, records));
  }

  /** Forgets the lag of partitions that moved to another member, so they do not report stale values. */
  void forgetLag(TopicPartition tp) {
    Lag lag = lags.remove(tp);
    if (lag != null) {
      registry.remove(lag.gauge());
    }
  }

  void dlqDepth(String topic, long records) {
    dlqDepths.computeIfAbsent(topic, t -> {
      AtomicLong value = new AtomicLong();
      meters.add(Gauge.builder("shopmesh.dlq.depth", value, AtomicLong::get)
          .description("Records held in the topic's dead-letter topic")
          .tags("consumer", consumer, "topic", logicalTopic.apply(t))
          .register(registry));
      return value;
    }).set(records);
  }

  void close() {
    lags.keySet().forEach(this::forgetLag);
    meters.forEach(registry::remove);
    counters.values().forEach(registry::remove);
  }

  private Counter counter(String name, String description, String type, String outcome) {
    String key = name + '|' + type + '|' + outcome;
    return counters.computeIfAbsent(key, k -> {
      Counter.Builder builder = Counter.builder(name).description(description).tag("consumer", consumer)
          .tag("type", type);
      if (outcome != null) {
        builder.tag("outcome", outcome);
      }
      return builder.register(registry);
    });
  }
}
