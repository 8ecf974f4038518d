package io.shopmesh.events;

import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.db.PgPools;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.shopmesh.events.Backbone.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service wired the way a {@code *Main} wires it through {@link Events}: migrations, relay,
 * consumer and the admin dead-letter endpoints, then a graceful stop.
 */
@ExtendWith({VertxExtension.class, InfraExtension.class})
class EventsServiceTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String CONSUMER = "orders-self";

  @BeforeAll
  static void prepare(TestEnv env) {
    Backbone.prepare(env);
  }

  @Test
  @DisplayName("a service wired through Events publishes, consumes, dead-letters a poison event, replays it"
      + " for an admin only, exports its meters and commits its offsets when it stops")
  void wiredService(Vertx vertx, TestEnv env) {
    TestTokens tokens = new TestTokens(vertx);
    TestHandlers handlers = new TestHandlers(CONSUMER);
    JsonObject settings = env.settings(Backbone.ROLE, true, false, true)
        .put("outbox", new JsonObject().put("pollInterval", "200ms").put("metricsInterval", "200ms"))
        .put("consumer", new JsonObject().put("maxAttempts", 2).put("backoff", "10ms").put("metricsInterval", "200ms"));
    RunningService service = RunningService.start("orders", s -> start(s, tokens, handlers), settings);
    KafkaConfig kafka = KafkaConfig.from(service.context().settings());
    Pool pool = PgPools.create(vertx, Backbone.db(env), "test");
    try {
      pool.query("TRUNCATE effects, order_view, order_totals").execute().await();
      Envelope poison = Backbone.commit(pool, kafka, Orders.placed("o-1"),
          Orders.placed("o-poison", TestHandlers.POISON_USER), Orders.placed("o-2")).get(1);

      await().atMost(DEADLINE).until(() -> count(pool, "SELECT count(*) FROM effects") == 2);
      String admin = tokens.token("admin-1", "admin");
      JsonObject listed = await().atMost(DEADLINE).until(
          () -> send(service, "GET", "/admin/dlq/orders.events", admin).bodyAsJsonObject(), l -> l.getInteger("count") == 1);
      JsonObject letter = listed.getJsonArray("deadLetters").getJsonObject(0);
      assertThat(letter.getString("eventId")).isEqualTo(poison.id().toString());
      assertThat(letter.getString("type")).isEqualTo("OrderPlaced");
      assertThat(letter.getString("aggregateId")).isEqualTo("o-poison");
      assertThat(letter.getString("consumer")).isEqualTo(CONSUMER);
      assertThat(letter.getInteger("attempts")).isEqualTo(2);
      assertThat(letter.getString("error")).contains("poison pill");

      String replayPath = "/admin/dlq/orders.events/replay?id=" + poison.id();
      assertThat(send(service, "POST", replayPath, null).statusCode()).isEqualTo(401);
      assertThat(send(service, "POST", replayPath, tokens.token("customer-1", "customer")).statusCode()).isEqualTo(403);
      assertThat(send(service, "GET", "/admin/dlq/nope.events", admin).statusCode()).isEqualTo(404);
      assertThat(listed.getInteger("shown")).isEqualTo(1);
      HttpResponse<Buffer> badLimit = send(service, "GET", "/admin/dlq/orders.events?limit=all", admin);
      assertThat(badLimit.statusCode()).isEqualTo(400);
      assertThat(badLimit.bodyAsJsonObject().getString("detail")).contains("limit");
      assertThat(send(service, "POST", "/admin/dlq/orders.events/replay?id=" + UuidV7.next(), admin).statusCode())
          .isEqualTo(404);
      handlers.poisoned.set(false);
      HttpResponse<Buffer> replayed = send(service, "POST", replayPath, admin);
      assertThat(replayed.statusCode()).isEqualTo(200);
      assertThat(replayed.bodyAsJsonObject()).isEqualTo(new JsonObject().put("replayed", 1));
      await().atMost(DEADLINE).until(() -> count(pool, "SELECT count(*) FROM effects WHERE event_id = $1", poison.id()) == 1);

      String metrics = await().atMost(DEADLINE).until(() -> send(service, "GET", "/metrics", null).bodyAsString(),
          m -> m.contains("shopmesh_consumer_lag_records") && m.contains("shopmesh_dlq_depth"));
      assertThat(metrics).contains(
          "shopmesh_outbox_backlog_rows", "shopmesh_outbox_oldest_age_seconds",
          "shopmesh_outbox_publish_latency_seconds_bucket", "shopmesh_outbox_published_total",
          "shopmesh_outbox_publish_failures_total", "shopmesh_consumer_handled_total",
          "shopmesh_consumer_handler_failures_total", "shopmesh_event_delivery_latency_seconds_bucket",
          "shopmesh_dlq_depth{consumer=\"orders-self\",service=\"orders\",topic=\"orders.events\"} 1.0",
          "outcome=\"dead_lettered\"", "outcome=\"applied\"");
    } finally {
      service.close();
    }
    Map<Integer, Long> ends = KafkaTestClient.readAll(env.kafkaBootstrap(), kafka.topic(Topics.ORDERS)).stream()
        .collect(Collectors.toMap(r -> r.partition(), r -> r.offset() + 1, Math::max));
    assertThat(KafkaTestClient.committed(env.kafkaBootstrap(), CONSUMER, kafka.topic(Topics.ORDERS)))
        .as("offsets committed at shutdown").isEqualTo(ends);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).isZero();
    pool.close().await();
  }

  /** What an orders {@code *Main} would do. */
  private static Future<?> start(ServiceContext service, TestTokens tokens, TestHandlers handlers) {
    PgConfig db = PgConfig.from(service.settings());
    KafkaConfig kafka = KafkaConfig.from(service.settings());
    HttpConfig http = HttpConfig.from(service.settings(), 0);
    Pool pool = service.postgres(db);
    TokenVerifier verifier = new TokenVerifier(service.vertx(), AuthConfig.from(service.settings()));
    verifier.setKeys(tokens.jwks());
    return Events.migrate(service.vertx(), db, pool)
        .compose(n -> Events.relay(service, pool, db, kafka))
        .compose(v -> Events.consume(service, pool, kafka, CONSUMER, List.of(Topics.ORDERS), handlers.router()))
        .compose(v -> service.serveHttp(http, vertx -> service.router(vertx, http)
            .routes(router -> Events.mountAdmin(router, verifier, vertx, kafka)).build()));
  }

  private static HttpResponse<Buffer> send(RunningService service, String method, String path, String token) {
    var request = service.client().request(io.vertx.core.http.HttpMethod.valueOf(method), path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.send().await();
  }
}
