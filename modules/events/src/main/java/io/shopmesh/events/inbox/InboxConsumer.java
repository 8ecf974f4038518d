package io.shopmesh.events.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.shopmesh.events.EventRouter;
import io.shopmesh.events.Topics;
import io.shopmesh.events.kafka.Backoff;
import io.shopmesh.events.kafka.KafkaClients;
import io.shopmesh.events.kafka.KafkaTopics;
import io.shopmesh.events.outbox.RelaySettings;
import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Consumes event topics into a service through its inbox (see {@link InboxStore}): an explicit
 * poll loop hands each partition's records to its own worker ({@link PartitionWorkers}), so a
 * partition is processed in order while the others move on, with bounded queues. Offsets
 * ({@link OffsetCommits}) are committed every {@code commitInterval}, when partitions are revoked
 * and at shutdown, and only ever for records whose processing finished, so a crash redelivers at
 * worst what the inbox then skips. Inbox rows older than {@code consumer.inboxRetention} are deleted
 * in the background, so the inbox holds the ids of the events Kafka can still deliver, not every event
 * ever applied.
 */
public final class InboxConsumer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(InboxConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STARTUP_ATTEMPT = Duration.ofSeconds(3);
  /**
   * How long a stop waits for the last offset commit and for the client to leave the group. With the broker
   * reachable both take milliseconds; with it down the commit would never complete and the stop would wait
   * out the service's whole shutdown step. Events whose offsets are not committed are redelivered and
   * skipped by the inbox.
   */
  private static final Duration BROKER_ON_STOP = Duration.ofSeconds(5);
  private static final Duration CLOSE_BROKER_UNREACHABLE = Duration.ofSeconds(1);

  private final Pool pool;
  private final KafkaConfig kafka;
  private final String name;
  private final List<String> topics;
  private final EventRouter router;
  private final ConsumerSettings settings;
  private final RelaySettings topicSettings;
  private final MeterRegistry registry;
  private KafkaConsumer<String, String> consumer;
  private OffsetCommits offsets;
  private PartitionWorkers workers;
  private DeadLetterPublisher deadLetters;
  private ConsumerMetrics metrics;
  private ConsumerProbe probe;
  /** The partitions this member owns now, as its rebalance handlers report them. */
  private final Set<TopicPartition> assigned = new HashSet<>();
  private InboxStore inbox;
  private boolean subscribed;
  private boolean stopping;
  private final Promise<Void> pollingDone = Promise.promise();
  private Future<Void> polling = Future.succeededFuture();
  private Future<Void> closed;

  /**
   * @param name          the consumer's name: its inbox rows and its dead letters carry it
   * @param topics        logical topic names ({@link Topics#ORDERS}); the deployment prefix is applied here
   * @param topicSettings partitions and replication of topics created here if missing
   */
  public InboxConsumer(Pool pool, KafkaConfig kafka, String name, List<String> topics, EventRouter router,
                       ConsumerSettings settings, RelaySettings topicSettings, MeterRegistry registry) {
    this.pool = pool;
    this.kafka = kafka;
    this.name = name;
    this.topics = List.copyOf(topics);
    this.router = router;
    this.settings = settings;
    this.topicSettings = topicSettings;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Set<String> topicNames = new LinkedHashSet<>();
    Set<String> needed = new LinkedHashSet<>();
    topics.forEach(t -> {
      topicNames.add(kafka.topic(t));
      needed.add(kafka.topic(t));
      needed.add(kafka.topic(Topics.deadLetters(t)));
    });
    metrics = new ConsumerMetrics(registry, name, this::logicalTopic);
    deadLetters = new DeadLetterPublisher(vertx, kafka, name);
    inbox = new InboxStore(pool, name, router);
    RecordProcessor processor = new RecordProcessor((ContextInternal) context, inbox,
        deadLetters, metrics, settings);
    consumer = KafkaConsumer.create(vertx, KafkaClients.consumer(kafka, name + "-" + deploymentID(), settings.group()));
    offsets = new OffsetCommits(consumer, name);
    workers = new PartitionWorkers(consumer, processor, offsets);
    consumer.partitionsRevokedHandler(this::revoked);
    consumer.partitionsAssignedHandler(partitions -> {
      assigned.addAll(partitions);
      LOG.info("consumer {} now processes {}", name, partitions);
    });
    KafkaAdminClient probeClient = KafkaAdminClient.create(vertx,
        KafkaClients.admin(kafka, name + "-probe-" + deploymentID()));
    probe = new ConsumerProbe(probeClient, settings.group(), assigned, offsets, metrics,
        needed.stream().filter(t -> t.endsWith(".dlq")).toList(), () -> !stopping);
    vertx.setPeriodic(settings.commitInterval().toMillis(), t -> {
      if (!stopping && offsets.idle()) {
        offsets.commit();
      }
    });
    vertx.setPeriodic(settings.metricsInterval().toMillis(), t -> {
      if (subscribed && !stopping) {
        probe.refresh();
      }
    });
    // a tenth of the retention (so rows outlive it by at most a tenth), at most every 10 minutes
    long expireEvery = Math.max(1000, Math.min(settings.inboxRetention().toMillis() / 10,
        Duration.ofMinutes(10).toMillis()));
    vertx.setPeriodic(expireEvery, t -> expireInbox());
    // a broker that is down at boot must not keep the service from starting: keep trying in the background
    return connect(needed, topicNames, 1).timeout(STARTUP_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture());
  }

  @Override
  public Future<?> stop() {
    return close();
  }

  /**
   * Test hook for "crash after the handler's commit, before the offset commit": stops like
   * {@link #stop()} but never commits offsets, and leaves the group so another member takes over.
   */
  Future<Void> closeWithoutCommit() {
    offsets.disable();
    return close();
  }

  /** Deletes the inbox rows past their retention, a batch at a time until none is left. */
  private void expireInbox() {
    if (stopping) {
      return;
    }
    inbox.expire(settings.inboxRetention())
        .onSuccess(deleted -> {
          metrics.inboxExpired(deleted);
          if (deleted == InboxStore.EXPIRE_BATCH) {
            expireInbox();
          }
        })
        .onFailure(e -> LOG.debug("consumer {}: inbox cleanup failed, next try at the next interval: {}", name,
            e.toString()));
  }

  /** Stops polling, lets the records in progress finish, commits their offsets, leaves the group. */
  private Future<Void> close() {
    if (closed == null) {
      stopping = true;
      Future<Void> inFlight = workers.stop(STOP_TIMEOUT);
      // the poll in flight returns within its timeout, unless the client's thread is in a blocking call
      // (bounded by KafkaClients.CONSUMER_API_TIMEOUT); a commit that failed means the broker is not
      // answering, and then leaving the group cannot work either: the close gets a second (it wakes the
      // client's thread up, and the group notices the member gone at its session timeout)
      closed = polling.timeout(BROKER_ON_STOP.toMillis(), TimeUnit.MILLISECONDS)
          .eventually(() -> inFlight)
          .transform(ar -> offsets.commit().timeout(BROKER_ON_STOP.toMillis(), TimeUnit.MILLISECONDS))
          .transform(ar -> consumer.close().timeout(ar.succeeded() ? BROKER_ON_STOP.toMillis()
              : CLOSE_BROKER_UNREACHABLE.toMillis(), TimeUnit.MILLISECONDS))
          .eventually(() -> deadLetters.close())
          .eventually(() -> probe.close(CLOSE_BROKER_UNREACHABLE.toMillis()))
          .transform(ar -> {
            metrics.close();
            LOG.info("consumer {} stopped", name);
            return Future.succeededFuture();
          });
    }
    return closed;
  }

  /** Creates missing topics, subscribes and starts polling; retried with backoff until it works. */
  private Future<Void> connect(Set<String> needed, Set<String> topicNames, int attempt) {
    return KafkaTopics.ensure(vertx, kafka, needed, topicSettings.partitions(), topicSettings.replicationFactor())
        .compose(v -> stopping ? Future.succeededFuture() : consumer.subscribe(topicNames).onSuccess(s -> {
          subscribed = true;
          LOG.info("consumer {} subscribed to {} in group {}", name, topicNames, settings.group());
          polling = pollingDone.future();
          pollOnce();
        }))
        .onFailure(e -> {
          if (!stopping) {
            long delay = new Backoff(settings.backoff(), settings.maxBackoff()).delayMillis(attempt);
            LOG.warn("consumer {} cannot subscribe yet ({}); retrying in {} ms", name, e.toString(), delay);
            vertx.setTimer(delay, t -> connect(needed, topicNames, attempt + 1));
          }
        });
  }

  /** One poll, then the next, until stopping; records go to their partition's worker. */
  private void pollOnce() {
    if (stopping) {
      pollingDone.tryComplete();
      return;
    }
    consumer.poll(POLL_TIMEOUT).onComplete(ar -> {
      if (ar.succeeded()) {
        workers.dispatch(ar.result());
        pollOnce();
      } else {
        LOG.warn("consumer {} poll failed: {}", name, ar.cause().toString());
        vertx.setTimer(1000, t -> pollOnce());
      }
    });
  }

  /** Partitions moving to another member: stop their work and commit what finished. */
  private void revoked(Set<TopicPartition> partitions) {
    assigned.removeAll(partitions);
    workers.revoke(partitions);
    partitions.forEach(metrics::forgetLag);
    if (!stopping) {
      LOG.info("consumer {} gives up {}", name, partitions);
      offsets.commit();
    }
  }

  private String logicalTopic(String topic) {
    return topic.startsWith(kafka.topicPrefix()) ? topic.substring(kafka.topicPrefix().length()) : topic;
  }
}
