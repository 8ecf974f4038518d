package io.shopmesh.inventory;

import io.shopmesh.devstack.ServiceDatabase;
import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.Envelope;
import io.shopmesh.events.Topics;
import io.shopmesh.testkit.EchoUpstream;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.shopmesh.testkit.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inventory service running in-process against the test class's database and Kafka, trusting
 * a test signing key served as a JWK set by a stand-in users service, with a client, a database
 * pool and a Kafka producer on a separate Vert.x instance (so measuring the service never competes
 * with the client for an event loop).
 */
final class InventoryFixture implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  private final TestEnv env;
  private final Vertx clientVertx = Vertx.vertx();
  private final TestTokens tokens = new TestTokens(clientVertx, "k1");
  private final EchoUpstream users;
  private final WebClient client;
  private final RunningService service;
  private Pool db;
  private KafkaProducer<String, String> producer;

  private InventoryFixture(TestEnv env, JsonObject overrides) {
    this.env = env;
    this.users = EchoUpstream.start(clientVertx, "users").serve("/.well-known/jwks.json", tokens.jwks());
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(64));
    this.service = RunningService.start("inventory", InventoryMain::start, settings(overrides));
  }

  static InventoryFixture start(TestEnv env, JsonObject overrides) {
    return new InventoryFixture(env, overrides);
  }

  static InventoryFixture start(TestEnv env) {
    return start(env, new JsonObject());
  }

  JsonObject settings(JsonObject overrides) {
    JsonObject settings = env.settings("inventory", true, false, true)
        .put("auth", new JsonObject().put("jwksUrl", users.url() + "/.well-known/jwks.json"))
        .put("consumer", new JsonObject().put("backoff", "20ms").put("maxBackoff", "200ms"));
    return settings.mergeIn(overrides.copy(), true);
  }

  RunningService service() {
    return service;
  }

  /** A second instance of the service on the same database and topics, with {@code overrides}. */
  RunningService startAnother(JsonObject overrides) {
    return RunningService.start("inventory", InventoryMain::start, settings(overrides));
  }

  /** Waits until consumer group {@code group} has committed every record now on the orders topic. */
  void awaitConsumed(String group) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap()))) {
      List<TopicPartition> partitions = producer().partitionsFor(ordersTopic()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
          .all().get(10, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
      await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
            || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
      });
    } catch (Exception e) {
      throw new AssertionError("cannot read the offsets of " + group, e);
    }
  }

  Vertx clientVertx() {
    return clientVertx;
  }

  String adminToken() {
    return tokens.token("admin-1", "admin");
  }

  String customerToken() {
    return tokens.token("customer-1", "customer");
  }

  int port() {
    return service.port();
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, service.port(), "127.0.0.1", path).timeout(60_000);
  }

  HttpResponse<Buffer> get(String path) {
    return request(HttpMethod.GET, path).send().await();
  }

  HttpResponse<Buffer> get(String path, String token) {
    return request(HttpMethod.GET, path).bearerTokenAuthentication(token).send().await();
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body, String token) {
    HttpRequest<Buffer> request = request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendJsonObject(body).await();
  }

  /** Creates a product as admin and returns the 201 body. */
  JsonObject create(String sku, String name, long priceCents, String currency, int stock) {
    return create(new JsonObject().put("sku", sku).put("name", name).put("description", "about " + name)
        .put("priceCents", priceCents).put("currency", currency).put("stock", stock));
  }

  JsonObject create(JsonObject product) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/api/products", product, adminToken());
    assertThat(response.statusCode()).as("create %s: %s", product, response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  /** Restocks as admin and returns the new availability. */
  int restock(String sku, int quantity) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/api/products/" + sku + "/restock",
        new JsonObject().put("quantity", quantity), adminToken());
    assertThat(response.statusCode()).as("restock %s: %s", sku, response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getInteger("available");
  }

  /** The service's database, for checks the API cannot show (ledger, reservations, outbox). */
  synchronized Pool db() {
    if (db == null) {
      ServiceDatabase database = env.database("inventory");
      db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(database.url()).setPassword(database.password()))
          .using(clientVertx).build();
    }
    return db;
  }

  List<Row> query(String sql, Object... params) {
    List<Row> rows = new ArrayList<>();
    db().preparedQuery(sql).execute(Tuple.wrap(params)).await().forEach(rows::add);
    return rows;
  }

  long count(String sql, Object... params) {
    return query(sql, params).get(0).getLong(0);
  }

  /** The real topic orders publish to, with this class's prefix. */
  String ordersTopic() {
    return env.topicPrefix() + Topics.ORDERS;
  }

  String inventoryTopic() {
    return env.topicPrefix() + Topics.INVENTORY;
  }

  /** Publishes {@code envelopes} to the orders topic as the orders relay would (key = order id), and waits for the acks. */
  void publish(List<Envelope> envelopes) {
    KafkaProducer<String, String> kafka = producer();
    List<java.util.concurrent.Future<?>> sent = envelopes.stream()
        .<java.util.concurrent.Future<?>>map(e -> kafka.send(new ProducerRecord<>(ordersTopic(), e.aggregateId(),
            e.toJson().encode())))
        .toList();
    for (java.util.concurrent.Future<?> f : sent) {
      try {
        f.get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("cannot publish to " + ordersTopic(), e);
      }
    }
  }

  static Envelope envelope(DomainEvent event) {
    return Envelope.of(event, null);
  }

  private synchronized KafkaProducer<String, String> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(Map.of("bootstrap.servers", env.kafkaBootstrap(), "acks", "all",
          "enable.idempotence", "true", "linger.ms", "0", "max.block.ms", "5000",
          "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()));
      // the service creates its topics at start; wait for them rather than auto-creating a different layout
      await().atMost(DEADLINE).ignoreExceptions().until(() -> producer.partitionsFor(ordersTopic()).size() == 3);
    }
    return producer;
  }

  @Override
  public void close() {
    try {
      service.close();
    } finally {
      if (producer != null) {
        producer.close();
      }
      if (db != null) {
        db.close().await();
      }
      client.close();
      users.close();
      clientVertx.close().await();
    }
  }
}
