package io.shopmesh.events.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's meters. Backlog gauges are fed by a periodic query (every instance reports them,
 * leader or not, because the backlog is a fact of the database); the others count what this
 * instance published.
 *
 * <ul>
 *   <li>{@code shopmesh_outbox_backlog_rows}: unpublished rows</li>
 *   <li>{@code shopmesh_outbox_oldest_age_seconds}: age of the oldest unpublished row</li>
 *   <li>{@code shopmesh_outbox_publish_latency_seconds}: row written to Kafka acknowledgement (histogram)</li>
 *   <li>{@code shopmesh_outbox_published_total}, {@code shopmesh_outbox_publish_failures_total}</li>
 * </ul>
 */
final class RelayMetrics {

  private final MeterRegistry registry;
  private final AtomicLong backlogRows = new AtomicLong();
  private final AtomicLong oldestAgeMillis = new AtomicLong();
  private final Timer latency;
  private final Counter published;
  private final Counter failures;
  private final List<Meter> meters;

  RelayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge rows = Gauge.builder("shopmesh.outbox.backlog.rows", backlogRows, AtomicLong::get)
        .description("Outbox rows not yet published to Kafka").register(registry);
    Gauge age = Gauge.builder("shopmesh.outbox.oldest.age.seconds", oldestAgeMillis, a -> a.get() / 1000.0)
        .description("Age of the oldest unpublished outbox row").register(registry);
    this.latency = Timer.builder("shopmesh.outbox.publish.latency")
        .description("From the outbox row being written to its Kafka acknowledgement")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
    this.published = Counter.builder("shopmesh.outbox.published")
        .description("Outbox rows published to Kafka").register(registry);
    this.failures = Counter.builder("shopmesh.outbox.publish.failures")
        .description("Outbox rows whose publication failed (they are retried)").register(registry);
    this.meters = List.of(rows, age, latency, published, failures);
  }

  void backlog(OutboxStore.Backlog backlog) {
    backlogRows.set(backlog.rows());
    oldestAgeMillis.set(Math.round(backlog.oldestAgeSeconds() * 1000));
  }

  void published(OutboxRow row, Instant ackedAt) {
    published.increment();
    Duration took = Duration.between(row.createdAt(), ackedAt);
    latency.record(took.isNegative() ? Duration.ZERO : took);
  }

  void failed(int rows) {
    failures.increment(rows);
  }

  void close() {
    meters.forEach(registry::remove);
  }
}
