package io.shopmesh.orders.work;

import io.shopmesh.orders.saga.OrderSaga;
import io.shopmesh.orders.saga.SagaMetrics;
import io.shopmesh.orders.store.IdempotencyRepository;
import io.shopmesh.orders.store.OrderRepository;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The saga's background work, on timers of its own verticle (none of it blocks): expire orders
 * PENDING past their deadline, forget idempotency keys past their retention, refresh the orders
 * gauge. Every instance runs it; the queries are written so that instances never step on each
 * other (SKIP LOCKED) and repeating them is harmless. Each job waits for its previous run.
 */
public final class SagaJobs extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SagaJobs.class);
  private static final int EXPIRY_BATCH = 200;
  private static final int PURGE_BATCH = 1000;

  private final Pool pool;
  private final OrderSaga saga;
  private final OrderRepository orders;
  private final IdempotencyRepository keys;
  private final SagaMetrics metrics;
  private final JobSettings settings;
  private final Set<Future<?>> running = new HashSet<>();
  private boolean stopping;

  public SagaJobs(Pool pool, OrderSaga saga, OrderRepository orders, IdempotencyRepository keys, SagaMetrics metrics,
                  JobSettings settings) {
    this.pool = pool;
    this.saga = saga;
    this.orders = orders;
    this.keys = keys;
    this.metrics = metrics;
    this.settings = settings;
  }

  /** How often each job runs and what it works with. */
  public record JobSettings(Duration pendingDeadline, Duration expiryScan, Duration idempotencyRetention,
                            Duration metricsInterval) {
  }

  @Override
  public Future<?> start() {
    repeat("order expiry", settings.expiryScan(), this::expire);
    // an index probe when nothing is due: cheap enough to run as often as the expiry scan
    repeat("idempotency key purge", settings.expiryScan(), this::purge);
    repeat("orders gauge", settings.metricsInterval(), () -> orders.countByStatus(pool).map(counts -> {
      metrics.counts(counts);
      return null;
    }));
    return Future.succeededFuture();
  }

  /** Lets the runs in progress finish (their transactions commit or roll back), starts no more. */
  @Override
  public Future<?> stop() {
    stopping = true;
    return Future.join(List.copyOf(running));
  }

  /** Expires full batches back to back until fewer than a batch are due. */
  private Future<Void> expire() {
    return saga.expireOverdue(settings.pendingDeadline(), EXPIRY_BATCH).compose(n -> {
      if (n > 0) {
        LOG.info("{} orders expired after {} PENDING", n, settings.pendingDeadline());
      }
      return n == EXPIRY_BATCH && !stopping ? expire() : Future.succeededFuture();
    });
  }

  private Future<Void> purge() {
    return keys.purgeOlderThan(pool, settings.idempotencyRetention(), PURGE_BATCH)
        .compose(n -> n == PURGE_BATCH && !stopping ? purge() : Future.succeededFuture());
  }

  /** Runs {@code job} now and then {@code every} after each run ends, until the verticle stops. */
  private void repeat(String name, Duration every, Supplier<Future<?>> job) {
    if (stopping) {
      return;
    }
    Future<?> run = job.get();
    running.add(run);
    run.onComplete(ar -> {
      running.remove(run);
      if (ar.failed()) {
        LOG.warn("{} failed: {}; trying again in {}", name, ar.cause().toString(), every);
      }
      if (!stopping) {
        vertx.setTimer(Math.max(1, every.toMillis()), t -> repeat(name, every, job));
      }
    });
  }
}
