package io.shopmesh.bench.scenarios;

import io.shopmesh.devstack.Endpoints;
import io.shopmesh.events.kafka.KafkaClients;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.db.PgPools;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical floor of the order saga on this machine: what three Postgres commits and two Kafka
 * produce-consume hops cost with the services' own client settings (idempotent producer, acks=all,
 * the same linger), one message in flight. The orders scenario reports its latency against it.
 */
final class SagaFloor {

  private static final String TOPIC_A = "bench.floor.a";
  private static final String TOPIC_B = "bench.floor.b";

  private SagaFloor() {
  }

  static Histogram measure(Vertx vertx, Endpoints endpoints, int warmup, int messages) {
    Endpoints.Database db = endpoints.databases().get("orders");
    Pool pool = PgPools.create(vertx, new PgConfig(db.url(), db.password(), 4, 64, Duration.ofSeconds(5)), "floor");
    KafkaConfig kafka = new KafkaConfig(endpoints.kafka().bootstrap(), "");
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaClients.admin(kafka, "bench-floor-admin"));
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx,
        KafkaClients.producer(kafka, "bench-floor", 1, Duration.ofSeconds(30)));
    KafkaConsumer<String, String> hopA = KafkaConsumer.create(vertx,
        KafkaClients.consumer(kafka, "bench-floor-a", "bench-floor-a"));
    KafkaConsumer<String, String> hopB = KafkaConsumer.create(vertx,
        KafkaClients.consumer(kafka, "bench-floor-b", "bench-floor-b"));
    Map<String, Promise<Void>> inFlight = new ConcurrentHashMap<>();
    try {
      pool.query("CREATE TABLE IF NOT EXISTS bench_floor (id uuid, step int, at timestamptz DEFAULT now(), "
          + "PRIMARY KEY (id, step))").execute().await();
      admin.createTopics(List.of(new NewTopic(TOPIC_A, 1, (short) 1), new NewTopic(TOPIC_B, 1, (short) 1)))
          .otherwiseEmpty().await();
      hopA.handler(record -> step(pool, record.key(), 2)
          .compose(v -> producer.send(KafkaProducerRecord.create(TOPIC_B, record.key(), record.value()))));
      hopB.handler(record -> step(pool, record.key(), 3).onSuccess(v -> {
        Promise<Void> done = inFlight.remove(record.key());
        if (done != null) {
          done.complete();
        }
      }));
      hopA.assign(new TopicPartition(TOPIC_A, 0)).await();
      hopB.assign(new TopicPartition(TOPIC_B, 0)).await();
      hopA.seekToEnd(new TopicPartition(TOPIC_A, 0)).await();
      hopB.seekToEnd(new TopicPartition(TOPIC_B, 0)).await();
      // seekToEnd is lazy: resolve the positions now, or the first messages could land before "the end"
      hopA.position(new TopicPartition(TOPIC_A, 0)).await();
      hopB.position(new TopicPartition(TOPIC_B, 0)).await();
      Histogram latency = new Histogram(60_000_000, 3);
      for (int i = 0; i < warmup + messages; i++) {
        String id = UUID.randomUUID().toString();
        Promise<Void> done = Promise.promise();
        inFlight.put(id, done);
        long start = System.nanoTime();
        step(pool, id, 1)
            .compose(v -> producer.send(KafkaProducerRecord.create(TOPIC_A, id, id)))
            .compose(v -> done.future().timeout(30, java.util.concurrent.TimeUnit.SECONDS))
            .await();
        if (i >= warmup) {
          latency.recordValue((System.nanoTime() - start) / 1000);
        }
      }
      return latency;
    } finally {
      hopA.close();
      hopB.close();
      producer.close();
      admin.close();
      pool.close();
    }
  }

  private static Future<Void> step(Pool pool, String id, int step) {
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO bench_floor (id, step) VALUES ($1, $2)")
        .execute(Tuple.of(UUID.fromString(id), step))).mapEmpty();
  }
}
