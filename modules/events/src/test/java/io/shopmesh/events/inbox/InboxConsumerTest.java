package io.shopmesh.events.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopmesh.events.Backbone;
import io.shopmesh.events.Envelope;
import io.shopmesh.events.KafkaTestClient;
import io.shopmesh.events.KafkaTestClient.Raw;
import io.shopmesh.events.Orders;
import io.shopmesh.events.TestHandlers;
import io.shopmesh.events.Topics;
import io.shopmesh.events.dlq.DeadLetter;
import io.shopmesh.events.dlq.DeadLetters;
import io.shopmesh.events.outbox.RelaySettings;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.logging.LogContext;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.shopmesh.events.Backbone.count;
import static io.shopmesh.events.Backbone.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith({VertxExtension.class, InfraExtension.class})
class InboxConsumerTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private Vertx vertx;
  private Pool pool;
  private KafkaConfig kafka;

  @BeforeAll
  static void prepare(TestEnv env) {
    Backbone.prepare(env);
  }

  @BeforeEach
  void setUp(Vertx vertx, TestEnv env, TestInfo test) {
    this.vertx = vertx;
    this.pool = Backbone.freshPool(vertx, env);
    this.kafka = Backbone.kafka(env, test);
  }

  @Test
  @DisplayName("delivering every event twice, and two aggregates' events out of order, ends in the state of one"
      + " in-order delivery")
  void duplicatesAndReorderingConverge() {
    Envelope placedA = Envelope.of(Orders.placed("o-a"), null);
    Envelope placedB = Envelope.of(Orders.placed("o-b"), null);
    Envelope confirmedA = Envelope.of(Orders.confirmed("o-a", 4200), null);
    Envelope cancelledB = Envelope.of(Orders.cancelled("o-b"), null);
    KafkaConfig inOrder = new KafkaConfig(kafka.bootstrap(), kafka.topicPrefix() + "single.");
    KafkaConfig messy = new KafkaConfig(kafka.bootstrap(), kafka.topicPrefix() + "messy.");
    MeterRegistry singleMetrics = new SimpleMeterRegistry();
    MeterRegistry messyMetrics = new SimpleMeterRegistry();
    deploy(consumer(inOrder, "single", new TestHandlers("single"), new JsonObject(), singleMetrics));
    deploy(consumer(messy, "messy", new TestHandlers("messy"), new JsonObject(), messyMetrics));

    produce(inOrder, List.of(placedA, placedB, confirmedA, cancelledB));
    // aggregate b before a (each aggregate's own order kept, as Kafka keeps it per key), every record twice,
    // then everything redelivered once more
    List<Envelope> reordered = List.of(placedB, cancelledB, placedA, confirmedA);
    List<Envelope> twice = new ArrayList<>();
    reordered.forEach(e -> twice.addAll(List.of(e, e)));
    twice.addAll(reordered);
    produce(messy, twice);

    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(counter(singleMetrics, "shopmesh.consumer.handled", "outcome", "applied")).isEqualTo(4);
      assertThat(counter(messyMetrics, "shopmesh.consumer.handled", "outcome", "applied")).isEqualTo(4);
      assertThat(counter(messyMetrics, "shopmesh.consumer.handled", "outcome", "duplicate")).isEqualTo(8);
    });
    assertThat(state("messy")).isEqualTo(state("single"));
    assertThat(state("single")).contains("o-a=CONFIRMED/4200", "o-b=CANCELLED/0", "totals=2/4200/1");
    assertThat(count(pool, "SELECT count(*) FROM effects WHERE consumer = 'messy'")).isEqualTo(4);
  }

  @Test
  @DisplayName("a poison event goes to the dead letters after the configured attempts, later events of its"
      + " partition are still applied, and once the handler is fixed its replay is applied")
  void poisonEvent() {
    MeterRegistry metrics = new SimpleMeterRegistry();
    TestHandlers handlers = new TestHandlers("poison-test");
    deploy(consumer(kafka, "poison-test", handlers, new JsonObject().put("consumer.maxAttempts", 3)
        .put("consumer.backoff", "20ms").put("consumer.maxBackoff", "50ms"), metrics));
    Envelope before = Envelope.of(Orders.placed("o-1"), null);
    Envelope poison = Envelope.of(Orders.placed("o-poison", TestHandlers.POISON_USER), null);
    Envelope after = Envelope.of(Orders.placed("o-2"), null);
    List<Raw> records = new ArrayList<>(List.of(Raw.of(before), Raw.of(poison)));
    records.add(new Raw("o-garbage", "{not an envelope", List.of()));
    records.add(Raw.of(after));
    List<Long> offsets = KafkaTestClient.produce(kafka.bootstrap(), kafka.topic(Topics.ORDERS), 1, records);

    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(counter(metrics, "shopmesh.consumer.handled", "outcome", "applied")).isEqualTo(2);
      assertThat(counter(metrics, "shopmesh.consumer.handled", "outcome", "dead_lettered")).isEqualTo(2);
    });
    assertThat(counter(metrics, "shopmesh.consumer.handler.failures")).as("failed attempts").isEqualTo(3);
    assertThat(count(pool, "SELECT count(*) FROM effects WHERE aggregate_id IN ('o-1', 'o-2')")).isEqualTo(2);
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE event_id = $1", poison.id()))
        .as("a dead letter is not recorded in the inbox").isZero();

    DeadLetters deadLetters = new DeadLetters(kafka);
    List<DeadLetter> letters = deadLetters.list(Topics.ORDERS, 100).newest();
    assertThat(letters).hasSize(2);
    DeadLetter letter = letters.stream().filter(d -> "o-poison".equals(d.aggregateId())).findFirst().orElseThrow();
    assertThat(letter.consumer()).isEqualTo("poison-test");
    assertThat(letter.attempts()).isEqualTo(3);
    assertThat(letter.error()).contains("poison pill in order o-poison");
    assertThat(letter.originalPartition()).isEqualTo(1);
    assertThat(letter.originalOffset()).isEqualTo(offsets.get(1));
    assertThat(letter.failedAt()).isNotBlank();
    DeadLetter garbage = letters.stream().filter(d -> "o-garbage".equals(d.aggregateId())).findFirst().orElseThrow();
    assertThat(garbage.attempts()).as("unreadable records are not retried").isEqualTo(1);
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(Backbone.gauge(metrics, "shopmesh.dlq.depth",
        "topic", Topics.ORDERS)).isEqualTo(2));

    handlers.poisoned.set(false);
    assertThat(deadLetters.replay(Topics.ORDERS, poison.id().toString())).isEqualTo(1);
    await().atMost(DEADLINE).untilAsserted(() ->
        assertThat(count(pool, "SELECT count(*) FROM effects WHERE event_id = $1", poison.id())).isEqualTo(1));
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE event_id = $1", poison.id())).isEqualTo(1);
  }

  @Test
  @DisplayName("an offset is committed only once the handler's transaction has committed")
  void noCommitBeforeTransaction() {
    Promise<Void> release = Promise.promise();
    Envelope first = Envelope.of(Orders.placed("o-first"), null);
    Envelope held = Envelope.of(Orders.placed("o-held"), null);
    TestHandlers handlers = new TestHandlers("held").observe(e -> e.id().equals(held.id())
        ? release.future() : Future.succeededFuture());
    deploy(consumer(kafka, "held", handlers, new JsonObject().put("consumer.commitInterval", "20ms"),
        new SimpleMeterRegistry()));
    List<Long> offsets = produce(kafka, List.of(first, held));

    await().atMost(DEADLINE).until(() -> committed("held").equals(Map.of(0, offsets.get(0) + 1)));
    // while the second event's transaction is open, many commit intervals pass without its offset
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> committed("held").equals(Map.of(0, offsets.get(0) + 1)));
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE event_id = $1", held.id())).isZero();

    vertx.runOnContext(v -> release.complete());
    await().atMost(DEADLINE).until(() -> committed("held").equals(Map.of(0, offsets.get(1) + 1)));
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE event_id = $1", held.id())).isEqualTo(1);
  }

  @Test
  @DisplayName("the lag gauge counts the records behind what the consumer processed, per partition, while a"
      + " handler holds one and after it is released; partitions it never read count from their start")
  void lagPerPartition() {
    Promise<Void> release = Promise.promise();
    Envelope first = Envelope.of(Orders.placed("o-first"), null);
    Envelope held = Envelope.of(Orders.placed("o-held"), null);
    Envelope queued = Envelope.of(Orders.placed("o-queued"), null);
    TestHandlers handlers = new TestHandlers("lagging").observe(e -> e.id().equals(held.id())
        ? release.future() : Future.succeededFuture());
    MeterRegistry metrics = new SimpleMeterRegistry();
    deploy(consumer(kafka, "lagging", handlers, new JsonObject().put("consumer.metricsInterval", "100ms"), metrics));
    produce(kafka, List.of(first, held, queued));

    // partition 0: the held record and the one queued behind it; partition 1: nothing
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(lag(metrics, 0)).isEqualTo(2);
      assertThat(lag(metrics, 1)).isZero();
    });
    vertx.runOnContext(v -> release.complete());
    await().atMost(DEADLINE).until(() -> lag(metrics, 0) == 0);
  }

  private static double lag(MeterRegistry metrics, int partition) {
    return Backbone.gauge(metrics, "shopmesh.consumer.lag.records", "topic", Topics.ORDERS,
        "partition", Integer.toString(partition));
  }

  @Test
  @DisplayName("after a crash between the handler's commit and the offset commit the event is redelivered"
      + " and skipped as a duplicate")
  void crashBeforeOffsetCommit() {
    Envelope event = Envelope.of(Orders.placed("o-crash"), null);
    MeterRegistry firstMetrics = new SimpleMeterRegistry();
    InboxConsumer first = consumer(kafka, "crashing", new TestHandlers("crashing"),
        new JsonObject().put("consumer.commitInterval", "1h"), firstMetrics);
    deploy(first);
    produce(kafka, List.of(event));
    await().atMost(DEADLINE).until(() -> counter(firstMetrics, "shopmesh.consumer.handled", "outcome", "applied") == 1);
    first.closeWithoutCommit().await();
    assertThat(committed("crashing")).as("nothing committed").isEmpty();

    MeterRegistry secondMetrics = new SimpleMeterRegistry();
    deploy(consumer(kafka, "crashing", new TestHandlers("crashing"), new JsonObject(), secondMetrics));
    await().atMost(DEADLINE).until(() -> counter(secondMetrics, "shopmesh.consumer.handled", "outcome", "duplicate") == 1);
    assertThat(counter(secondMetrics, "shopmesh.consumer.handled", "outcome", "applied")).isZero();
    assertThat(count(pool, "SELECT count(*) FROM effects WHERE event_id = $1", event.id())).isEqualTo(1);
    await().atMost(DEADLINE).until(() -> !committed("crashing").isEmpty());
  }

  @Test
  @DisplayName("while members join and leave the group mid-stream, every event is applied exactly once")
  void rebalance() {
    MeterRegistry firstMetrics = new SimpleMeterRegistry();
    MeterRegistry secondMetrics = new SimpleMeterRegistry();
    String first = deploy(consumer(kafka, "member", new TestHandlers("member"), new JsonObject(), firstMetrics));
    List<Envelope> events = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      events.add(Envelope.of(Orders.placed("o-" + i), null));
    }
    produceSpread(events.subList(0, 300));
    await().atMost(DEADLINE).until(() -> counter(firstMetrics, "shopmesh.consumer.handled") > 0);
    deploy(consumer(kafka, "member", new TestHandlers("member"), new JsonObject(), secondMetrics));
    await().atMost(DEADLINE).until(() -> !secondMetrics.find("shopmesh.consumer.lag.records").gauges().isEmpty());
    produceSpread(events.subList(300, 600));
    vertx.undeploy(first).await();

    await().atMost(DEADLINE).until(() -> count(pool, "SELECT count(DISTINCT event_id) FROM effects") == 600);
    assertThat(count(pool, "SELECT count(*) FROM effects")).as("no event applied twice").isEqualTo(600);
    assertThat(count(pool, "SELECT count(*) FROM inbox")).isEqualTo(600);
    assertThat(counter(secondMetrics, "shopmesh.consumer.handled", "outcome", "applied"))
        .as("the member that joined did part of the work").isPositive();
  }

  @Test
  @DisplayName("each event is handled on a context of its own whose log scope names the event")
  void logScopePerEvent() {
    Envelope first = Envelope.of(Orders.placed("o-t"), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    Envelope second = Envelope.of(Orders.placed("o-u"), null);
    Map<java.util.UUID, LogContext.Scope> scopes = new java.util.concurrent.ConcurrentHashMap<>();
    TestHandlers handlers = new TestHandlers("scoped").observe(e -> {
      scopes.put(e.id(), LogContext.current());
      return Future.succeededFuture();
    });
    deploy(consumer(kafka, "scoped", handlers, new JsonObject(), new SimpleMeterRegistry()));
    produce(kafka, List.of(first, second));

    await().atMost(DEADLINE).until(() -> scopes.size() == 2);
    // this Vert.x is not traced: trace ids are EventTracingTest's subject
    assertThat(scopes.get(first.id())).isEqualTo(new LogContext.Scope("event-" + first.id(), null, null));
    assertThat(scopes.get(second.id())).isEqualTo(new LogContext.Scope("event-" + second.id(), null, null));
  }

  @Test
  @DisplayName("inbox rows older than consumer.inboxRetention are deleted in batches; younger rows and other"
      + " consumers' rows stay, and a redelivered young event is still skipped")
  void inboxRetention() {
    MeterRegistry metrics = new SimpleMeterRegistry();
    // more than two cleanup batches of expired rows, three young ones, and another consumer's expired rows
    pool.query("INSERT INTO inbox (consumer, event_id, type, topic, partition, kafka_offset, received_at)"
        + " SELECT 'retention', gen_random_uuid(), 'OrderPlaced', 'orders', 0, g, now() - interval '30 days'"
        + " FROM generate_series(1, 12000) g").execute().await();
    pool.query("INSERT INTO inbox (consumer, event_id, type, topic, partition, kafka_offset, received_at)"
        + " SELECT 'someone-else', gen_random_uuid(), 'OrderPlaced', 'orders', 0, g, now() - interval '30 days'"
        + " FROM generate_series(1, 5) g").execute().await();
    Envelope young = Envelope.of(Orders.placed("o-young"), null);
    // a 20 s retention cleans every 2 s; the young rows are at most a few seconds old when checked
    deploy(consumer(kafka, "retention", new TestHandlers("retention"),
        new JsonObject().put("consumer.inboxRetention", "20s"), metrics));
    produce(kafka, List.of(young, Envelope.of(Orders.placed("o-young-2"), null),
        Envelope.of(Orders.placed("o-young-3"), null)));

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(count(pool, "SELECT count(*) FROM inbox WHERE consumer = 'retention'"
          + " AND received_at < now() - interval '1 day'")).isZero();
      assertThat(count(pool, "SELECT count(*) FROM inbox WHERE consumer = 'retention'")).isEqualTo(3);
    });
    assertThat(counter(metrics, "shopmesh.consumer.inbox.expired", "consumer", "retention")).isEqualTo(12_000);
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE consumer = 'someone-else'")).isEqualTo(5);

    produce(kafka, List.of(young));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(counter(metrics, "shopmesh.consumer.handled",
        "outcome", "duplicate")).isEqualTo(1));
    assertThat(count(pool, "SELECT count(*) FROM effects WHERE consumer = 'retention'")).isEqualTo(3);
  }

  private void produceSpread(List<Envelope> events) {
    for (int p = 0; p < 3; p++) {
      int partition = p;
      List<Raw> slice = new ArrayList<>();
      for (int i = partition; i < events.size(); i += 3) {
        slice.add(Raw.of(events.get(i)));
      }
      KafkaTestClient.produce(kafka.bootstrap(), kafka.topic(Topics.ORDERS), partition, slice);
    }
  }

  private InboxConsumer consumer(KafkaConfig kafka, String name, TestHandlers handlers, JsonObject overrides,
                                 MeterRegistry registry) {
    JsonObject settings = new JsonObject().put("consumer.metricsInterval", "200ms").mergeIn(overrides);
    return new InboxConsumer(pool, kafka, name, List.of(Topics.ORDERS), handlers.router(),
        ConsumerSettings.from(Backbone.settings(settings), name), RelaySettings.from(Backbone.settings(new JsonObject())),
        registry);
  }

  private String deploy(InboxConsumer consumer) {
    return vertx.deployVerticle(consumer).await();
  }

  private static List<Long> produce(KafkaConfig kafka, List<Envelope> events) {
    return KafkaTestClient.produce(kafka.bootstrap(), kafka.topic(Topics.ORDERS), 0,
        events.stream().map(Raw::of).toList());
  }

  private Map<Integer, Long> committed(String group) {
    return KafkaTestClient.committed(kafka.bootstrap(), group, kafka.topic(Topics.ORDERS));
  }

  /** The consumer's order view and totals as comparable text. */
  private List<String> state(String consumer) {
    List<String> out = new ArrayList<>();
    pool.preparedQuery("SELECT order_id, status, total_cents FROM order_view WHERE consumer = $1 ORDER BY order_id")
        .execute(io.vertx.sqlclient.Tuple.of(consumer)).await()
        .forEach(r -> out.add(r.getString(0) + "=" + r.getString(1) + "/" + r.getLong(2)));
    pool.preparedQuery("SELECT placed, confirmed_cents, cancelled FROM order_totals WHERE consumer = $1")
        .execute(io.vertx.sqlclient.Tuple.of(consumer)).await()
        .forEach(r -> out.add("totals=" + r.getLong(0) + "/" + r.getLong(1) + "/" + r.getLong(2)));
    return out;
  }
}
