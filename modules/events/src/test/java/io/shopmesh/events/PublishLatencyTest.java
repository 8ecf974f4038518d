package io.shopmesh.events;

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
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures the publish latency, from the commit of the transaction that wrote the outbox row to
 * the consumer's handler being called, one event in flight at a time (default settings:
 * NOTIFY wake-up, {@code linger.ms=1}). The numbers go to the test log; nothing is asserted on them.
 */
@ExtendWith({VertxExtension.class, InfraExtension.class})
class PublishLatencyTest {

  private static final Logger LOG = LoggerFactory.getLogger(PublishLatencyTest.class);
  private static final int WARM_UP = 1000;
  private static final int MEASURED = 1000;

  @BeforeAll
  static void prepare(TestEnv env) {
    Backbone.prepare(env);
  }

  @Test
  @DisplayName("the publish latency from outbox commit to consumer handler is measured one event at a time")
  void publishLatency(Vertx vertx, TestEnv env, TestInfo test) throws Exception {
    Pool pool = Backbone.freshPool(vertx, env);
    KafkaConfig kafka = Backbone.kafka(env, test);
    Map<UUID, CompletableFuture<Long>> handled = new ConcurrentHashMap<>();
    TestHandlers handlers = new TestHandlers("latency").observe(e -> {
      long now = System.nanoTime();
      handled.computeIfAbsent(e.id(), id -> new CompletableFuture<>()).complete(now);
      return Future.succeededFuture();
    });
    RelaySettings relaySettings = RelaySettings.from(Backbone.settings(new JsonObject()));
    vertx.deployVerticle(new OutboxRelay(pool, Backbone.db(env).connectOptions(), kafka, relaySettings,
        new SimpleMeterRegistry(), "latency")).await();
    vertx.deployVerticle(new InboxConsumer(pool, kafka, "latency", List.of(Topics.ORDERS), handlers.router(),
        ConsumerSettings.from(Backbone.settings(new JsonObject()), "latency"), relaySettings,
        new SimpleMeterRegistry())).await();

    Outbox outbox = new Outbox(kafka);
    Histogram micros = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    for (int i = 0; i < WARM_UP + MEASURED; i++) {
      AtomicLong committedAt = new AtomicLong();
      Envelope event = pool.withTransaction(tx -> outbox.append(tx, Orders.placed("o-" + UUID.randomUUID())))
          .onSuccess(e -> committedAt.set(System.nanoTime()))
          .await();
      long handlerAt = handled.computeIfAbsent(event.id(), id -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
      if (i >= WARM_UP) {
        micros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(handlerAt - committedAt.get())));
      }
    }
    String report = String.format("publish latency, outbox commit -> consumer handler, %d events one at a time"
            + " (after %d warm-up): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms",
        micros.getTotalCount(), WARM_UP, ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
        ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()), micros.getMean() / 1000);
    LOG.info(report);
    System.out.println("[latency] " + report);
    assertThat(micros.getTotalCount()).isEqualTo(MEASURED);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
