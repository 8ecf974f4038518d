package io.shopmesh.orders;

import io.shopmesh.devstack.ServiceDatabase;
import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.Envelope;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.testkit.EchoUpstream;
import io.shopmesh.testkit.PrometheusText;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.shopmesh.testkit.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The orders service running in-process against the test class's database and Kafka prefix, with
 * a stand-in for the users service's JWKS, and a client on a Vert.x of its own (the service's event
 * loops serve, the client's measure). Inventory is played by the test: it publishes stock events
 * straight to the topic.
 */
final class OrdersFixture implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private final TestEnv env;
  private final Vertx clientVertx = Vertx.vertx();
  private final TestTokens tokens = new TestTokens(clientVertx, "k1");
  private final EchoUpstream users = EchoUpstream.start(clientVertx, "users")
      .serve("/.well-known/jwks.json", tokens.jwks());
  private final WebClient client;
  private final Pool db;
  private final KafkaProducer<String, String> producer;
  private final JsonObject settings;
  private final RunningService service;

  private OrdersFixture(TestEnv env, JsonObject overrides) {
    this.env = env;
    this.settings = settings(overrides);
    this.service = RunningService.start("orders", OrdersMain::start, settings);
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(service.port()), new PoolOptions().setHttp1MaxSize(64));
    ServiceDatabase database = env.database("orders");
    this.db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(database.url()).setPassword(database.password()))
        .using(clientVertx).build();
    this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", env.kafkaBootstrap(), "acks", "all",
        "enable.idempotence", "true"), new StringSerializer(), new StringSerializer());
    // the service refuses every token until it has read the JWKS once
    String probe = token("probe");
    await().atMost(DEADLINE).until(() -> send(HttpMethod.GET, "/api/orders", probe).statusCode() == 200);
  }

  /** Starts the service with {@code overrides} (a config tree) on top of the test settings. */
  static OrdersFixture start(TestEnv env, JsonObject overrides) {
    return new OrdersFixture(env, overrides);
  }

  static OrdersFixture start(TestEnv env) {
    return start(env, new JsonObject());
  }

  private JsonObject settings(JsonObject overrides) {
    JsonObject settings = env.settings("orders", true, false, true)
        .put("auth", new JsonObject().put("jwksUrl", users.url() + "/.well-known/jwks.json"))
        .put("consumer", new JsonObject().put("group", env.id() + "-orders").put("backoff", "20ms"))
        .put("outbox", new JsonObject().put("pollInterval", "200ms"))
        .put("orders", new JsonObject().put("metricsInterval", "200ms").put("expiryScan", "300ms"));
    return settings.mergeIn(overrides.copy(), true);
  }

  RunningService service() {
    return service;
  }

  // ---- identities and HTTP

  /** A customer's access token. */
  String token(String userId) {
    return tokens.token(userId, "customer");
  }

  String adminToken() {
    return tokens.token("admin-" + UUID.randomUUID(), "admin");
  }

  /** A new customer id (tests never share customers). */
  static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  static JsonObject body(Object... skuAndQuantity) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < skuAndQuantity.length; i += 2) {
      items.add(new JsonObject().put("sku", skuAndQuantity[i]).put("quantity", skuAndQuantity[i + 1]));
    }
    return new JsonObject().put("items", items);
  }

  HttpResponse<Buffer> place(String token, String key, JsonObject body) {
    return place(token, key, body.toBuffer());
  }

  HttpResponse<Buffer> place(String token, String key, Buffer body) {
    HttpRequest<Buffer> request = request(HttpMethod.POST, "/api/orders", token)
        .putHeader("Content-Type", "application/json");
    if (key != null) {
      request.putHeader("Idempotency-Key", key);
    }
    return request.sendBuffer(body).await();
  }

  /** Places an order with a fresh key and returns its id (fails unless 202). */
  String placed(String token, Object... skuAndQuantity) {
    HttpResponse<Buffer> response = place(token, UUID.randomUUID().toString(), body(skuAndQuantity));
    if (response.statusCode() != 202) {
      throw new AssertionError("placing an order answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String token) {
    return request(method, path, token).send().await();
  }

  HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, path).timeout(60_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  JsonObject order(String token, String id) {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/orders/" + id, token);
    if (response.statusCode() != 200) {
      throw new AssertionError("reading order " + id + " answered " + response.statusCode());
    }
    return response.bodyAsJsonObject();
  }

  /** Waits until the order is in {@code status} (read as its owner), and returns it. */
  JsonObject awaitStatus(String token, String id, String status) {
    return await().atMost(DEADLINE).until(() -> order(token, id), o -> status.equals(o.getString("status")));
  }

  // ---- inventory's side

  /** Publishes {@code event} to inventory's topic as inventory's relay would; returns its envelope. */
  Envelope publish(DomainEvent event) {
    Envelope envelope = Envelope.of(event, null);
    publish(envelope);
    return envelope;
  }

  /** Publishes an envelope again (a redelivery). */
  void publish(Envelope envelope) {
    try {
      producer.send(new ProducerRecord<>(kafka().topic("inventory.events"), envelope.aggregateId(),
          envelope.toJson().encode())).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot publish " + envelope.type(), e);
    }
  }

  KafkaConfig kafka() {
    return new KafkaConfig(env.kafkaBootstrap(), env.topicPrefix());
  }

  // ---- the database, read directly

  /** The types of the events the order put in the outbox, oldest first. */
  List<String> outboxTypes(String orderId) {
    List<String> types = new ArrayList<>();
    rows("SELECT type FROM outbox WHERE aggregate_id = $1 ORDER BY seq", orderId).forEach(r -> types.add(r.getString(0)));
    return types;
  }

  /** The payloads of the order's events of {@code type}, oldest first. */
  List<JsonObject> outboxPayloads(String orderId, String type) {
    List<JsonObject> payloads = new ArrayList<>();
    rows("SELECT envelope FROM outbox WHERE aggregate_id = $1 AND type = $2 ORDER BY seq", orderId, type)
        .forEach(r -> payloads.add(new JsonObject(r.getString(0)).getJsonObject("payload")));
    return payloads;
  }

  long count(String sql, Object... params) {
    return rows(sql, params).get(0).getLong(0);
  }

  List<Row> rows(String sql, Object... params) {
    List<Row> out = new ArrayList<>();
    db.preparedQuery(sql).execute(Tuple.wrap(params)).await().forEach(out::add);
    return out;
  }

  /** Another instance of the service on the same database and topics (close it yourself). */
  RunningService startAnother() {
    return RunningService.start("orders", OrdersMain::start, settings);
  }

  /** A request to {@code instance} instead of the fixture's own. */
  HttpRequest<Buffer> request(RunningService instance, HttpMethod method, String path, String token) {
    return client.request(method, instance.port(), "127.0.0.1", path).timeout(60_000).bearerTokenAuthentication(token);
  }

  /** The events of {@code aggregateId} on {@code topic} (logical name), as published by the relay. */
  List<JsonObject> published(String topic, String aggregateId) {
    Map<String, Object> config = Map.of("bootstrap.servers", env.kafkaBootstrap(), "enable.auto.commit", "false");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new StringDeserializer())) {
      String name = kafka().topic(topic);
      List<TopicPartition> partitions = consumer.partitionsFor(name, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(name, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<JsonObject> events = new ArrayList<>();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
          if (aggregateId.equals(r.key())) {
            events.add(new JsonObject(r.value()));
          }
        });
      }
      return events;
    }
  }

  /** The value of the service's gauge or counter {@code name} with {@code labels} ({@code key="value"}), -1 when absent. */
  double metric(String name, String... labels) {
    PrometheusText scrape = PrometheusText.parse(metrics());
    return scrape.series(name, labels).isEmpty() ? -1 : scrape.sum(name, labels);
  }

  /** The service's Prometheus text. */
  String metrics() {
    return client.get("/metrics").send().await().bodyAsString();
  }

  @Override
  public void close() {
    producer.close();
    service.close();
    db.close().await();
    client.close();
    users.close();
    clientVertx.close().await();
  }
}
