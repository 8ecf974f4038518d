package io.shopmesh.events.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopmesh.events.Backbone;
import io.shopmesh.events.Envelope;
import io.shopmesh.events.KafkaTestClient;
import io.shopmesh.events.Orders;
import io.shopmesh.events.Outbox;
import io.shopmesh.events.TestHandlers;
import io.shopmesh.events.Topics;
import io.shopmesh.events.inbox.ConsumerSettings;
import io.shopmesh.events.inbox.InboxConsumer;
import io.shopmesh.events.kafka.RecordHeaders;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.stream.Collectors;

import static io.shopmesh.events.Backbone.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith({VertxExtension.class, InfraExtension.class})
class OutboxRelayTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private Vertx vertx;
  private Pool pool;
  private PgConfig db;
  private KafkaConfig kafka;

  @BeforeAll
  static void prepare(TestEnv env) {
    Backbone.prepare(env);
  }

  @BeforeEach
  void setUp(Vertx vertx, TestEnv env, TestInfo test) {
    this.vertx = vertx;
    this.db = Backbone.db(env);
    this.pool = Backbone.freshPool(vertx, env);
    this.kafka = Backbone.kafka(env, test);
  }

  @Test
  @DisplayName("an event whose transaction rolls back is never published; one that commits is published exactly once")
  void rolledBackNeverCommittedOnce() {
    deploy(relay(new JsonObject()));
    Outbox outbox = new Outbox(kafka);
    assertThatThrownBy(() -> pool.withTransaction(tx -> outbox.append(tx, Orders.placed("o-rolled-back"))
        .compose(e -> Future.failedFuture(new IllegalStateException("a business rule failed after the append"))))
        .await()).hasMessageContaining("business rule");
    Envelope committed = Backbone.commit(pool, kafka, Orders.placed("o-committed")).get(0);
    List<Envelope> pair = Backbone.commit(pool, kafka, Orders.placed("o-2"), Orders.cancelled("o-2"));

    awaitAllPublished();
    List<ConsumerRecord<String, String>> records = published(Topics.ORDERS);
    assertThat(countByEventId(records)).as("records on the topic by event id").containsOnly(
        Map.entry(committed.id().toString(), 1L), Map.entry(pair.get(0).id().toString(), 1L),
        Map.entry(pair.get(1).id().toString(), 1L));
    ConsumerRecord<String, String> record = records.stream()
        .filter(r -> RecordHeaders.text(r.headers(), RecordHeaders.EVENT_ID).equals(committed.id().toString()))
        .findFirst().orElseThrow();
    assertThat(record.key()).isEqualTo("o-committed");
    assertThat(new JsonObject(record.value())).isEqualTo(committed.toJson());
    assertThat(RecordHeaders.text(record.headers(), RecordHeaders.EVENT_TYPE)).isEqualTo("OrderPlaced");
    assertThat(records.stream().filter(r -> r.key().equals("o-2")).map(r -> r.offset()).toList())
        .as("one aggregate's events keep their order").isSorted().hasSize(2);
  }

  @Test
  @DisplayName("a relay that dies between Kafka's acknowledgement and marking the row publishes it again"
      + " after a new relay starts, and the consumer applies it once")
  void crashAfterAck() {
    OutboxRelay first = relay(new JsonObject());
    Future<Void> halted = first.haltAfterNextAck();
    String firstId = deploy(first);
    Envelope event = Backbone.commit(pool, kafka, Orders.placed("o-crash")).get(0);
    halted.await();
    vertx.undeploy(firstId).await();
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).as("row still unpublished")
        .isEqualTo(1);
    assertThat(published(Topics.ORDERS)).hasSize(1);

    deploy(relay(new JsonObject()));
    awaitAllPublished();
    assertThat(countByEventId(published(Topics.ORDERS))).containsExactly(Map.entry(event.id().toString(), 2L));

    SimpleMeterRegistry consumerMetrics = new SimpleMeterRegistry();
    TestHandlers handlers = new TestHandlers("crash");
    deploy(new InboxConsumer(pool, kafka, "crash", List.of(Topics.ORDERS), handlers.router(),
        ConsumerSettings.from(Backbone.settings(new JsonObject()), "crash-group"),
        RelaySettings.from(Backbone.settings(new JsonObject())), consumerMetrics));
    await().atMost(DEADLINE).untilAsserted(() -> {
      assertThat(Backbone.counter(consumerMetrics, "shopmesh.consumer.handled", "outcome", "applied")).isEqualTo(1);
      assertThat(Backbone.counter(consumerMetrics, "shopmesh.consumer.handled", "outcome", "duplicate")).isEqualTo(1);
    });
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE event_id = $1", event.id())).isEqualTo(1);
    assertThat(count(pool, "SELECT count(*) FROM effects WHERE event_id = $1", event.id()))
        .as("the effect happened once").isEqualTo(1);
  }

  @Test
  @DisplayName("of two relays on one database only the leader publishes, and the other takes over when it goes")
  void oneLeaderAndFailover() {
    OutboxRelay a = relay(new JsonObject());
    String aId = deploy(a);
    await().atMost(DEADLINE).until(a::isLeader);
    OutboxRelay b = relay(new JsonObject());
    deploy(b);
    List<Envelope> before = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      before.addAll(Backbone.commit(pool, kafka, Orders.placed("o-" + i)));
    }
    awaitAllPublished();
    assertThat(b.isLeader()).as("the second relay stands by").isFalse();

    vertx.undeploy(aId).await();
    await().atMost(Duration.ofSeconds(3)).until(b::isLeader);
    List<Envelope> after = Backbone.commit(pool, kafka, Orders.placed("o-after-1"), Orders.placed("o-after-2"));
    awaitAllPublished();
    Map<String, Long> counts = countByEventId(published(Topics.ORDERS));
    assertThat(counts).hasSize(before.size() + after.size());
    assertThat(counts.values()).as("each event published once").containsOnly(1L);
  }

  @Test
  @DisplayName("a stopping relay publishes the rows still unpublished, also those it was not told about yet")
  void stopPublishesWhatIsLeft() {
    // polls an hour apart: the outbox trigger's NOTIFY is the relay's only wake-up. Rows committed with the
    // trigger off stand for the last requests' events whose NOTIFY came after the stop began (or while a batch
    // was in flight): what SIGTERM finds once HTTP has drained
    OutboxRelay relay = relay(new JsonObject().put("outbox.pollInterval", "1h"));
    String id = deploy(relay);
    await().atMost(DEADLINE).until(relay::isLeader);
    List<Envelope> left;
    pool.query("ALTER TABLE outbox DISABLE TRIGGER outbox_notify").execute().await();
    try {
      left = Backbone.commit(pool, kafka, Orders.placed("o-left-1"), Orders.placed("o-left-2"));
    } finally {
      pool.query("ALTER TABLE outbox ENABLE TRIGGER outbox_notify").execute().await();
    }
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).isEqualTo(2);

    vertx.undeploy(id).await();

    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).as("rows left unpublished")
        .isZero();
    assertThat(countByEventId(published(Topics.ORDERS))).containsOnly(
        Map.entry(left.get(0).id().toString(), 1L), Map.entry(left.get(1).id().toString(), 1L));
  }

  @Test
  @DisplayName("a relay stopping while Kafka does not answer its batch gives up on it within its bound instead of"
      + " waiting out the producer's delivery timeout; the rows stay unpublished")
  void stopDuringUnansweredBatch(TestEnv env) {
    OutboxRelay relay = relay(new JsonObject().put("outbox.pollInterval", "1h").put("kafka.deliveryTimeout", "60s"));
    String id = deploy(relay);
    await().atMost(DEADLINE).until(relay::isLeader);
    // one event through first: the producer knows the topic, so the next send queues instead of failing fast
    Backbone.commit(pool, kafka, Orders.placed("o-first"));
    awaitAllPublished();
    env.infra().kafka().stop();
    try {
      Backbone.commit(pool, kafka, Orders.placed("o-stuck"));
      await().atMost(DEADLINE).until(relay::batchInFlight);
      Future<Void> stopped = vertx.undeploy(id);
      // the relay waits 5 s for the batch; the service's shutdown gives each step 25 s
      await().atMost(Duration.ofSeconds(20)).until(stopped::isComplete);
      assertThat(stopped.succeeded()).isTrue();
    } finally {
      env.infra().kafka().restart();
    }
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).as("the row left").isEqualTo(1);
  }

  @Test
  @DisplayName("published rows are deleted once the retention has passed; unpublished rows never are")
  void retention() {
    deploy(relay(new JsonObject().put("outbox.retention", "1s")));
    Backbone.commit(pool, kafka, Orders.placed("o-old"));
    awaitAllPublished();
    await().atMost(DEADLINE).until(() -> count(pool, "SELECT count(*) FROM outbox") == 0);
  }

  private OutboxRelay relay(JsonObject overrides) {
    RelaySettings settings = RelaySettings.from(Backbone.settings(new JsonObject()
        .put("outbox.pollInterval", "200ms").put("outbox.metricsInterval", "200ms").mergeIn(overrides)));
    return new OutboxRelay(pool, db.connectOptions(), kafka, settings, new SimpleMeterRegistry(), "relay-test");
  }

  private String deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).await();
  }

  private void awaitAllPublished() {
    await().atMost(DEADLINE).until(() -> count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
  }

  private List<ConsumerRecord<String, String>> published(String topic) {
    return KafkaTestClient.readAll(kafka.bootstrap(), kafka.topic(topic));
  }

  private static Map<String, Long> countByEventId(List<ConsumerRecord<String, String>> records) {
    return records.stream().collect(Collectors.groupingBy(r -> RecordHeaders.text(r.headers(), RecordHeaders.EVENT_ID),
        Collectors.counting()));
  }
}
