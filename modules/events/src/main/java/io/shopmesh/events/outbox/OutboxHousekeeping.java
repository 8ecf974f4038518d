package io.shopmesh.events.outbox;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The relay's periodic chores: refresh the backlog gauges (on every instance, the backlog is a
 * fact of the database) and, on the leader only, delete rows published longer ago than the
 * retention. The timers belong to the relay's verticle and end with it.
 */
final class OutboxHousekeeping {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxHousekeeping.class);

  private final OutboxStore store;
  private final RelayMetrics metrics;
  private final Duration retention;

  OutboxHousekeeping(OutboxStore store, RelayMetrics metrics, Duration retention) {
    this.store = store;
    this.metrics = metrics;
    this.retention = retention;
  }

  void start(Vertx vertx, Duration metricsInterval, BooleanSupplier cleans) {
    vertx.setPeriodic(metricsInterval.toMillis(), t -> refreshBacklog());
    // often enough that a short retention is honoured, rarely enough to cost nothing
    long cleanupEvery = Math.max(1000, Math.min(retention.toMillis(), Duration.ofMinutes(1).toMillis()));
    vertx.setPeriodic(cleanupEvery, t -> {
      if (cleans.getAsBoolean()) {
        cleanup();
      }
    });
    refreshBacklog();
  }

  private void refreshBacklog() {
    store.backlog().onSuccess(metrics::backlog);
  }

  private void cleanup() {
    store.deletePublishedBefore(retention)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.debug("deleted {} outbox rows published more than {} ago", n, retention);
          }
        })
        .onFailure(e -> LOG.debug("outbox cleanup failed: {}", e.toString()));
  }
}
