package io.shopmesh.orders.saga;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopmesh.orders.domain.OrderStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The saga's meters: {@code shopmesh_orders{status}} (orders per state, refreshed periodically
 * from the database, so every instance reports the same numbers), {@code
 * shopmesh_saga_duration_seconds{outcome}} (PENDING to the first state after it) and
 * {@code shopmesh_orders_expired_total}.
 */
public final class SagaMetrics {

  private final Map<OrderStatus, AtomicLong> counts = new EnumMap<>(OrderStatus.class);
  private final Map<OrderStatus, Timer> durations = new EnumMap<>(OrderStatus.class);
  private final Counter expired;

  public SagaMetrics(MeterRegistry registry, Duration pendingDeadline) {
    for (OrderStatus status : OrderStatus.values()) {
      AtomicLong count = new AtomicLong();
      counts.put(status, count);
      Gauge.builder("shopmesh.orders", count, AtomicLong::get).tag("status", status.name())
          .description("orders in each state").register(registry);
      if (status != OrderStatus.PENDING) {
        durations.put(status, Timer.builder("shopmesh.saga.duration").tag("outcome", status.name())
            .description("time from an order's placement to the end of its PENDING state")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(pendingDeadline.multipliedBy(2))
            .register(registry));
      }
    }
    expired = Counter.builder("shopmesh.orders.expired").description("orders that reached their deadline PENDING")
        .register(registry);
  }

  /** An order placed at {@code placedAt} left PENDING for {@code outcome}. */
  void sagaEnded(OrderStatus outcome, Instant placedAt) {
    durations.get(outcome).record(Duration.between(placedAt, Instant.now()));
    if (outcome == OrderStatus.EXPIRED) {
      expired.increment();
    }
  }

  /** The latest count of orders per state. */
  public void counts(Map<OrderStatus, Long> latest) {
    latest.forEach((status, n) -> counts.get(status).set(n));
  }
}
