package io.shopmesh.events.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.shopmesh.events.kafka.KafkaTopics;
import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a service's outbox to Kafka: one instance per service instance, of which only the
 * {@link LeaderLock leader} relays. It wakes on the outbox NOTIFY (and polls as a fallback), reads
 * the oldest unpublished rows, sends each with the aggregate id as key and the stored envelope
 * as value, and marks the acknowledged ones published with one UPDATE per batch.
 *
 * <p>A crash between the acknowledgement and that UPDATE publishes the rows again later: the
 * consumers' inbox removes those duplicates. When Kafka fails, the rows simply stay and the relay
 * retries with capped exponential backoff; readiness is not affected, so the service keeps
 * accepting writes. Rows published longer ago than the retention are deleted by the leader.
 */
public final class OutboxRelay extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final Duration STARTUP_ATTEMPT = Duration.ofSeconds(3);
  /**
   * How long a stop waits for the batch in flight, and then spends publishing the rows left (each a bound
   * well inside the shutdown step's timeout).
   */
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);
  /**
   * The producer's close timeout that drops what is unsent: not zero, which vertx-kafka-client's
   * {@code close(long)} turns into the Kafka client's {@code close()}, waiting for every send.
   */
  private static final Duration GIVE_UP = Duration.ofMillis(1);

  private final Pool pool;
  private final PgConnectOptions leaderConnection;
  private final KafkaConfig kafka;
  private final RelaySettings settings;
  private final MeterRegistry registry;
  private final String clientId;
  private OutboxStore store;
  private RelayMetrics metrics;
  private LeaderLock lock;
  private OutboxPublisher publisher;
  private boolean topicsReady;
  /** A batch is in flight (volatile for {@link #batchInFlight()}, read by tests from their own thread). */
  private volatile boolean busy;
  private boolean again;
  private boolean stopping;
  private PublishRetry retry;
  /** Completes, at a stop, with whether the batch that was in flight succeeded. */
  private Promise<Boolean> idle;
  private boolean haltAfterNextAck;
  private final Promise<Void> halted = Promise.promise();

  /**
   * @param leaderConnection where the leader lock's dedicated connection goes (the service's database)
   * @param clientId         Kafka client id, e.g. the service name
   */
  public OutboxRelay(Pool pool, PgConnectOptions leaderConnection, KafkaConfig kafka, RelaySettings settings,
                     MeterRegistry registry, String clientId) {
    this.pool = pool;
    this.leaderConnection = leaderConnection;
    this.kafka = kafka;
    this.settings = settings;
    this.registry = registry;
    this.clientId = clientId;
  }

  @Override
  public Future<?> start() {
    store = new OutboxStore(pool);
    metrics = new RelayMetrics(registry);
    publisher = new OutboxPublisher(vertx, kafka, settings, metrics, clientId + "-outbox");
    retry = new PublishRetry(vertx, settings.maxBackoff(), this::drain);
    lock = new LeaderLock(vertx, leaderConnection, settings.pollInterval(), this::drain, this::drain);
    vertx.setPeriodic(settings.pollInterval().toMillis(), t -> drain());
    new OutboxHousekeeping(store, metrics, settings.retention())
        .start(vertx, settings.metricsInterval(), () -> lock.isLeader() && !stopping);
    // one short attempt now so a healthy start has its topics; if Kafka is down the service still starts
    // (it accepts writes into the outbox) and the leader creates them before its first batch
    return ensureTopics().timeout(STARTUP_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture())
        .compose(v -> lock.start());
  }

  /**
   * Stops taking batches as they are announced, lets the batch in flight finish (for up to
   * {@link #FLUSH_TIMEOUT}), publishes what is still unpublished (see {@link #flush}), then closes the
   * producer and gives up the lock.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    // Kafka failing: the last batch failed and waits for its retry, or the batch in flight fails below
    boolean retryPending = retry.waiting();
    retry.cancel();
    Future<Boolean> inFlight = Future.succeededFuture(true);
    if (busy) {
      // of this verticle's context: the timeout and the steps after it run on its event loop
      idle = ((ContextInternal) context).promise();
      // a batch Kafka does not answer would hold the stop for the producer's delivery timeout: bounded too
      inFlight = idle.future().timeout(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    return inFlight
        .transform(ar -> {
          if (ar.failed()) {
            LOG.warn("outbox relay stops with its last batch unacknowledged by Kafka; its rows stay unpublished"
                + " (the next leader publishes them)");
            return Future.succeededFuture(false);
          }
          return retryPending || !ar.result() ? Future.succeededFuture(true) : flush();
        })
        .transform(ar -> {
          if (ar.succeeded() && ar.result()) {
            return publisher.close(settings.deliveryTimeout());
          }
          // a batch or flush that gave up leaves sends in the producer: dropped (their rows stay unpublished).
          // Not awaited: after its force-close the Kafka client joins its network thread without a bound, and
          // with the broker gone that took more than 15 s in a test; the thread is a daemon and ends on its own
          publisher.close(GIVE_UP);
          return Future.succeededFuture();
        })
        .eventually(() -> lock.close())
        .eventually(() -> {
          metrics.close();
          return Future.succeededFuture();
        });
  }

  /** Test hook: whether a batch is being read, published or marked right now. */
  boolean batchInFlight() {
    return busy;
  }

  /** Whether this instance currently holds the leader lock. */
  public boolean isLeader() {
    return lock != null && lock.isLeader();
  }

  /**
   * Test hook for "the process died between Kafka's acknowledgement and the UPDATE": after the next
   * acknowledged batch the relay stops as if killed: no UPDATE, leader connection dropped, no more
   * batches. The returned future completes at that moment.
   */
  Future<Void> haltAfterNextAck() {
    haltAfterNextAck = true;
    return halted.future();
  }

  private Future<Void> ensureTopics() {
    return KafkaTopics.ensure(vertx, kafka, KafkaTopics.eventTopics(kafka), settings.partitions(),
            settings.replicationFactor())
        .onSuccess(v -> topicsReady = true);
  }

  private void drain() {
    if (stopping || halted.future().isComplete() || retry.waiting() || !lock.isLeader()) {
      return;
    }
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    again = false;
    Future<Void> ready = topicsReady ? Future.succeededFuture() : ensureTopics();
    ready.compose(v -> store.unpublished(settings.batchSize()))
        .compose(rows -> rows.isEmpty() ? Future.succeededFuture(0) : publish(rows))
        .onComplete(ar -> {
          busy = false;
          if (ar.succeeded()) {
            retry.succeeded();
          } else if (!stopping) {
            retry.failed(ar.cause());
          }
          if (stopping) {
            if (idle != null) {
              idle.tryComplete(ar.succeeded());
            }
          } else if (ar.succeeded() && (again || ar.result() >= settings.batchSize())) {
            drain();
          }
        });
  }

  /**
   * The leader's last batches at a stop, within {@link #FLUSH_TIMEOUT}. The relay stops after HTTP
   * has drained, so the last requests' events (committed while the batch before was in flight, or
   * announced after the stop began) are in the outbox: their clients have their answers, and the
   * events leave with this instance instead of waiting for the next leader (or this service's next
   * start, when it was the only instance). Skipped when Kafka was failing (the last batch failed): the
   * rows wait, as ever. It starts no batch after its deadline.
   *
   * @return false when it gave up (Kafka failed or was too slow), true otherwise
   */
  private Future<Boolean> flush() {
    if (!topicsReady || !lock.isLeader() || halted.future().isComplete()) {
      return Future.succeededFuture(true);
    }
    long deadline = System.nanoTime() + FLUSH_TIMEOUT.toNanos();
    return flushBatches(deadline, 0).timeout(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) {
            LOG.warn("outbox relay stops with rows unpublished (the next leader publishes them): {}",
                ar.cause().toString());
            return Future.succeededFuture(false);
          }
          if (ar.result() > 0) {
            LOG.info("outbox relay published its last {} events before stopping", ar.result());
          }
          return Future.succeededFuture(true);
        });
  }

  private Future<Integer> flushBatches(long deadline, int published) {
    return store.unpublished(settings.batchSize()).compose(rows -> rows.isEmpty() ? Future.succeededFuture(published)
        : publish(rows).compose(n -> n < rows.size() || System.nanoTime() - deadline > 0
            ? Future.succeededFuture(published + n) : flushBatches(deadline, published + n)));
  }

  private Future<Integer> publish(List<OutboxRow> rows) {
    return publisher.publish(rows).compose(outcome -> {
      List<OutboxRow> acked = outcome.acked();
      if (haltAfterNextAck && !acked.isEmpty()) {
        return halt();
      }
      Future<Void> marked = acked.isEmpty() ? Future.succeededFuture() : store.markPublished(acked);
      return marked.compose(v -> outcome.failure() == null ? Future.succeededFuture(acked.size())
          : Future.failedFuture(outcome.failure()));
    });
  }

  private Future<Integer> halt() {
    LOG.warn("test hook: outbox relay halts between the Kafka acknowledgement and marking rows published");
    stopping = true;
    return lock.close().eventually(() -> {
      halted.tryComplete();
      return Future.succeededFuture();
    }).transform(ar -> Future.failedFuture("halted by test hook"));
  }
}
