package io.shopmesh.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopmesh.events.inbox.ConsumerSettings;
import io.shopmesh.events.inbox.InboxConsumer;
import io.shopmesh.events.outbox.OutboxRelay;
import io.shopmesh.events.outbox.RelaySettings;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.shopmesh.events.Backbone.count;
import static io.shopmesh.events.Backbone.counter;
import static io.shopmesh.events.Backbone.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops the shared broker of the test JVM while orders keep being committed, and starts it again:
 * nothing committed is lost, nothing applied twice, and the backlog gauge shows the outage.
 */
@ExtendWith({VertxExtension.class, InfraExtension.class})
class BrokerOutageTest {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageTest.class);
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int WRITES_PER_TICK = 1;

  @BeforeAll
  static void prepare(TestEnv env) {
    Backbone.prepare(env);
  }

  @Test
  @DisplayName("while the broker is down orders keep committing; once it is back every committed event is"
      + " applied exactly once, and the backlog gauge rose and fell")
  void brokerOutage(Vertx vertx, TestEnv env, TestInfo test) {
    Pool pool = Backbone.freshPool(vertx, env);
    KafkaConfig kafka = Backbone.kafka(env, test);
    MeterRegistry relayMetrics = new SimpleMeterRegistry();
    MeterRegistry consumerMetrics = new SimpleMeterRegistry();
    RelaySettings relaySettings = RelaySettings.from(Backbone.settings(new JsonObject()
        .put("outbox.pollInterval", "200ms").put("outbox.metricsInterval", "100ms")
        .put("outbox.maxBackoff", "1s").put("kafka.deliveryTimeout", "3s")));
    vertx.deployVerticle(new OutboxRelay(pool, Backbone.db(env).connectOptions(), kafka, relaySettings, relayMetrics,
        "outage")).await();
    vertx.deployVerticle(new InboxConsumer(pool, kafka, "outage", List.of(Topics.ORDERS),
        new TestHandlers("outage").router(), ConsumerSettings.from(Backbone.settings(new JsonObject()), "outage"),
        relaySettings, consumerMetrics)).await();

    AtomicInteger committed = new AtomicInteger();
    AtomicInteger failedWrites = new AtomicInteger();
    AtomicLong maxBacklog = new AtomicLong();
    Outbox outbox = new Outbox(kafka);
    long writer = vertx.setPeriodic(10, t -> {
      for (int i = 0; i < WRITES_PER_TICK; i++) {
        pool.withTransaction(tx -> outbox.append(tx, Orders.placed("o-" + java.util.UUID.randomUUID())))
            .onSuccess(e -> committed.incrementAndGet())
            .onFailure(e -> failedWrites.incrementAndGet());
      }
    });
    long sampler = vertx.setPeriodic(50, t ->
        maxBacklog.accumulateAndGet((long) gauge(relayMetrics, "shopmesh.outbox.backlog.rows"), Math::max));

    await().atMost(DEADLINE).until(() -> counter(consumerMetrics, "shopmesh.consumer.handled") >= 100);
    env.infra().kafka().stop();
    try {
      LOG.info("broker stopped after {} committed events", committed.get());
      await().atMost(DEADLINE).untilAsserted(() -> {
        assertThat(gauge(relayMetrics, "shopmesh.outbox.backlog.rows")).as("backlog while Kafka is down")
            .isGreaterThanOrEqualTo(100);
        assertThat(counter(relayMetrics, "shopmesh.outbox.publish.failures")).as("sends that timed out").isPositive();
      });
    } finally {
      env.infra().kafka().restart();
    }
    int atRestart = committed.get();
    LOG.info("broker back after {} committed events, backlog peaked at {}", atRestart, maxBacklog.get());
    await().atMost(DEADLINE).until(() -> committed.get() >= atRestart + 100);
    vertx.cancelTimer(writer);
    await().atMost(Duration.ofSeconds(5)).until(() -> count(pool, "SELECT count(*) FROM outbox") == committed.get());

    int total = committed.get();
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(count(pool, "SELECT count(DISTINCT event_id) FROM effects")).as("events applied").isEqualTo(total);
      assertThat(gauge(relayMetrics, "shopmesh.outbox.backlog.rows")).as("backlog after recovery").isZero();
    });
    vertx.cancelTimer(sampler);
    assertThat(count(pool, "SELECT count(*) FROM effects")).as("no event applied twice").isEqualTo(total);
    assertThat(failedWrites.get()).as("writes never depended on Kafka").isZero();
    assertThat(maxBacklog.get()).as("peak backlog").isGreaterThanOrEqualTo(100);
    LOG.info("outage test: {} events committed, all applied once; backlog peaked at {} rows; {} duplicates skipped",
        total, maxBacklog.get(), (long) counter(consumerMetrics, "shopmesh.consumer.handled", "outcome", "duplicate"));
  }

  @Test
  @DisplayName("with the broker down, a consumer stops within its bound (nothing to commit to, nobody to tell)"
      + " instead of waiting out the Kafka client's timeouts, and its applied events stay applied")
  void stopWhileBrokerIsDown(Vertx vertx, TestEnv env, TestInfo test) {
    Pool pool = Backbone.freshPool(vertx, env);
    KafkaConfig kafka = Backbone.kafka(env, test);
    MeterRegistry metrics = new SimpleMeterRegistry();
    RelaySettings relaySettings = RelaySettings.from(Backbone.settings(new JsonObject()));
    String consumer = vertx.deployVerticle(new InboxConsumer(pool, kafka, "stopping", List.of(Topics.ORDERS),
        // offsets left to commit when the broker goes: the stop tries to commit them (a blocking call on the
        // client's one thread, which with the client's default timeout held the polls and the stop for a
        // minute); and the lag probe every 100 ms, so that one of its look-ups waits for the broker at the stop
        new TestHandlers("stopping").router(), ConsumerSettings.from(Backbone.settings(new JsonObject()
            .put("consumer.commitInterval", "10m").put("consumer.metricsInterval", "100ms")), "stopping"),
        relaySettings, metrics)).await();
    KafkaTestClient.produce(kafka.bootstrap(), kafka.topic(Topics.ORDERS), 0,
        List.of(KafkaTestClient.Raw.of(Envelope.of(Orders.placed("o-stop"), null))));
    await().atMost(DEADLINE).until(() -> counter(metrics, "shopmesh.consumer.handled", "outcome", "applied") == 1);

    undeployWithBrokerDown(vertx, env, consumer, "consumer");
    assertThat(count(pool, "SELECT count(*) FROM effects")).isEqualTo(1);
  }

  @Test
  @DisplayName("with the broker down, a stopping relay gives up on the rows left after its flush bound instead of"
      + " waiting out the producer's delivery timeout, and the rows stay unpublished for the next leader")
  void relayStopWhileBrokerIsDown(Vertx vertx, TestEnv env, TestInfo test) {
    Pool pool = Backbone.freshPool(vertx, env);
    KafkaConfig kafka = Backbone.kafka(env, test);
    // polls an hour apart: the outbox trigger's NOTIFY is the relay's only wake-up, so a row committed with the
    // trigger off is met by the stop's flush alone; a minute of delivery timeout, which a stop must not wait out
    RelaySettings settings = RelaySettings.from(Backbone.settings(new JsonObject()
        .put("outbox.pollInterval", "1h").put("kafka.deliveryTimeout", "60s")));
    OutboxRelay relay = new OutboxRelay(pool, Backbone.db(env).connectOptions(), kafka, settings,
        new SimpleMeterRegistry(), "relay-outage");
    String id = vertx.deployVerticle(relay).await();
    await().atMost(DEADLINE).until(relay::isLeader);
    // one event through first: the producer knows the topic, so the flush's send queues instead of failing fast
    Backbone.commit(pool, kafka, Orders.placed("o-published"));
    await().atMost(DEADLINE).until(() -> count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    pool.query("ALTER TABLE outbox DISABLE TRIGGER outbox_notify").execute().await();
    try {
      Backbone.commit(pool, kafka, Orders.placed("o-left"));
    } finally {
      pool.query("ALTER TABLE outbox ENABLE TRIGGER outbox_notify").execute().await();
    }

    // the flush gives up after 5 s
    undeployWithBrokerDown(vertx, env, id, "relay");
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).as("the row left").isEqualTo(1);
  }

  /**
   * Stops the broker, undeploys {@code deployment} and expects it gone within 20 s (the service's shutdown
   * gives each step 25 s and systemd the whole stop 40 s), then starts the broker again.
   */
  private static void undeployWithBrokerDown(Vertx vertx, TestEnv env, String deployment, String what) {
    env.infra().kafka().stop();
    try {
      long started = System.nanoTime();
      Future<Void> stopped = vertx.undeploy(deployment);
      await().atMost(Duration.ofSeconds(20)).until(stopped::isComplete);
      LOG.info("{} stopped {} ms after the broker", what, (System.nanoTime() - started) / 1_000_000);
      assertThat(stopped.succeeded()).isTrue();
    } finally {
      env.infra().kafka().restart();
    }
  }
}
