package io.shopmesh.orders.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The long polls waiting on this instance, by order id. Each waiter belongs to one request and
 * is woken on that request's own context; nothing here outlives the request, so any instance can
 * serve any long poll (every instance hears every state change). The number of waiters is capped:
 * beyond it, requests are answered at once.
 */
public final class StateWaiters {

  private final int capacity;
  private final AtomicInteger size = new AtomicInteger();
  private final Map<UUID, Set<Waiter>> byOrder = new ConcurrentHashMap<>();
  private volatile boolean draining;

  /** Also registers {@code shopmesh_orders_long_polls}, the number of requests waiting. */
  public StateWaiters(int capacity, MeterRegistry registry) {
    this.capacity = capacity;
    Gauge.builder("shopmesh.orders.long.polls", size, AtomicInteger::get)
        .description("GET /api/orders/{id}?waitFor= requests waiting on this instance").register(registry);
  }

  /** A registered wait; {@link #close()} it when the request is answered. */
  final class Waiter implements AutoCloseable {

    private final UUID orderId;
    private final Context context;
    private final Runnable onChange;
    private boolean closed;

    private Waiter(UUID orderId, Context context, Runnable onChange) {
      this.orderId = orderId;
      this.context = context;
      this.onChange = onChange;
    }

    private void wake() {
      context.runOnContext(v -> {
        if (!closed) {
          onChange.run();
        }
      });
    }

    /** Called on the request's context. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        byOrder.computeIfPresent(orderId, (id, set) -> {
          set.remove(this);
          return set.isEmpty() ? null : set;
        });
        size.decrementAndGet();
      }
    }
  }

  /**
   * Registers {@code onChange} to run on {@code context} whenever the order may have changed; null
   * when this instance already holds its maximum of waiters or is shutting down.
   */
  Waiter register(UUID orderId, Context context, Runnable onChange) {
    if (draining || size.incrementAndGet() > capacity) {
      if (!draining) {
        size.decrementAndGet();
      }
      return null;
    }
    Waiter waiter = new Waiter(orderId, context, onChange);
    byOrder.compute(orderId, (id, set) -> {
      Set<Waiter> waiters = set != null ? set : ConcurrentHashMap.newKeySet();
      waiters.add(waiter);
      return waiters;
    });
    return waiter;
  }

  /** The order's state changed (told by the state feed). */
  public void changed(UUID orderId) {
    Set<Waiter> waiters = byOrder.get(orderId);
    if (waiters != null) {
      waiters.forEach(Waiter::wake);
    }
  }

  /** Any order may have changed (the feed reconnected and may have missed notifications). */
  public void changedAll() {
    byOrder.values().forEach(set -> set.forEach(Waiter::wake));
  }

  /** Shutting down: every waiting request re-reads its order now and answers; new ones answer at once. */
  public void drain() {
    draining = true;
    changedAll();
  }

  /** Whether waiting requests should answer with what they have. */
  boolean draining() {
    return draining;
  }

}
