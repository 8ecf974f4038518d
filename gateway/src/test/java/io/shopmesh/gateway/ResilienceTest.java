package io.shopmesh.gateway;

import io.shopmesh.testkit.FaultProxy;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.PrometheusText;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Breakers, bulkheads and timeouts per upstream: a failing or hung service costs little and only itself. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResilienceTest {

  private static final Logger LOG = LoggerFactory.getLogger(ResilienceTest.class);
  private static final int MAX_IN_FLIGHT = 8;
  private static final int MAX_LONG_POLLS = 2;
  private GatewayFixture mesh;
  private String token;

  @BeforeAll
  void start(TestEnv env) {
    mesh = new GatewayFixture(env, new JsonObject()
        .put("upstream", new JsonObject().put("timeout", "1s").put("maxInFlight", MAX_IN_FLIGHT)
            .put("maxLongPolls", MAX_LONG_POLLS).put("maxLongPollsPerCaller", 1))
        .put("breaker", new JsonObject().put("maxFailures", 3).put("resetTimeout", "2s"))
        .put("rateLimit", new JsonObject().put("enabled", false)));
    token = mesh.tokens.token("user-1", "customer");
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/orders").statusCode() == 200);
  }

  @AfterAll
  void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("an upstream answering 500 opens its breaker: fast 503s that no longer reach it, then recovery")
  void breakerOpensAndCloses() {
    mesh.orders.failWith(500);
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/orders").statusCode()).as("5xx passed through while closed").isEqualTo(500);
    }
    int hitsWhenOpened = mesh.orders.hits();
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> r = get("/api/orders");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.getHeader("Retry-After")).isEqualTo("2");
      assertThat(r.bodyAsJsonObject().getString("detail")).contains("circuit open");
    }
    assertThat(mesh.orders.hits()).as("no request reached the failing service while open").isEqualTo(hitsWhenOpened);
    assertThat(metric("shopmesh_breaker_state", "upstream=\"orders\"")).isEqualTo(2.0);

    mesh.orders.failWith(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/orders").statusCode() == 200);
    assertThat(metric("shopmesh_breaker_state", "upstream=\"orders\"")).isEqualTo(0.0);
    for (String to : List.of("open", "half_open", "closed")) {
      assertThat(metric("shopmesh_breaker_transitions_total", "upstream=\"orders\"", "to=\"" + to + "\""))
          .as("transitions to %s", to).isGreaterThanOrEqualTo(1.0);
    }
  }

  @Test
  @DisplayName("a hung upstream gives 503 at the timeout with bounded sockets, and other upstreams are unaffected")
  void hungUpstream() {
    Histogram baseline = ordersLatency(Duration.ofSeconds(2));
    mesh.inventoryLink.mode(FaultProxy.Mode.BLACKHOLE);
    try {
      List<Future<HttpResponse<Buffer>>> toHung = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        toHung.add(mesh.gateway.client().get("/api/products/p" + i).send());
      }
      Histogram orders = ordersLatency(Duration.ofSeconds(2));
      Future.join(toHung).await();
      assertThat(toHung).allSatisfy(f -> {
        assertThat(f.result().statusCode()).isEqualTo(503);
        assertThat(f.result().getHeader("Content-Type")).isEqualTo("application/problem+json");
      });
      LOG.info("orders through the gateway: idle p50={} us p99={} us; while inventory hung p50={} us p99={} us"
              + " ({} and {} requests)", baseline.getValueAtPercentile(50), baseline.getValueAtPercentile(99),
          orders.getValueAtPercentile(50), orders.getValueAtPercentile(99), baseline.getTotalCount(),
          orders.getTotalCount());
      assertThat(metric("shopmesh_bulkhead_rejections_total", "upstream=\"inventory\""))
          .isGreaterThan(0.0);
    } finally {
      mesh.inventoryLink.mode(FaultProxy.Mode.PASS);
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> get("/api/products/again").statusCode() == 200);
  }

  @Test
  @DisplayName("an upload slower than the upstream timeout is answered, and clients hanging up mid-upload do not open the breaker")
  void slowClientsAreNotUpstreamFailures() {
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/orders").statusCode() == 200);
    HttpClient http = mesh.vertx.createHttpClient();
    try {
      // the body takes 1.5 s to arrive, the upstream timeout is 1 s: it counts from the body's end
      Buffer body = Buffer.buffer("{\"items\":[{\"sku\":\"SLOW-1\",\"quantity\":1}]}");
      JsonObject slow = upload(http, body.length()).compose(request -> {
        request.write(body.slice(0, 10));
        mesh.vertx.setTimer(750, t -> request.write(body.slice(10, 20)));
        mesh.vertx.setTimer(1500, t -> request.end(body.slice(20, body.length())));
        return request.response().compose(response -> response.body()
            .map(answer -> new JsonObject().put("status", response.statusCode()).put("answer", answer.toString())));
      }).await();
      assertThat(slow.getInteger("status")).as("status of the slow upload: %s", slow).isEqualTo(200);
      assertThat(new JsonObject(slow.getString("answer")).getString("body")).isEqualTo(body.toString());

      double opened = metric("shopmesh_breaker_transitions_total", "upstream=\"orders\"", "to=\"open\"");
      for (int i = 0; i < 5; i++) {
        int hits = mesh.orders.hits();
        HttpClientRequest request = upload(http, 100).await();
        request.write("{\"items\":");
        // the gateway has opened its request to orders and streams the body: now the client hangs up
        await().atMost(Duration.ofSeconds(5)).until(() -> mesh.orders.hits() > hits
            || metric("shopmesh_breaker_state", "upstream=\"orders\"") != 0.0);
        assertThat(metric("shopmesh_breaker_state", "upstream=\"orders\"")).as("breaker state after %d clients"
            + " hung up mid-upload", i).isEqualTo(0.0);
        request.connection().close().await();
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> metric("shopmesh_upstream_in_flight", "upstream=\"orders\"") == 0.0);
      assertThat(metric("shopmesh_breaker_transitions_total", "upstream=\"orders\"", "to=\"open\""))
          .as("breaker openings after 5 clients hung up mid-upload (3 failures open it)").isEqualTo(opened);
      assertThat(metric("shopmesh_breaker_state", "upstream=\"orders\"")).isEqualTo(0.0);
      assertThat(get("/api/orders").statusCode()).isEqualTo(200);
    } finally {
      http.close().await();
    }
  }

  @Test
  @DisplayName("long polls have a bulkhead of their own: held long polls beyond it get 503, and other requests still pass")
  void longPollsHaveTheirOwnBulkhead() {
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/orders").statusCode() == 200);
    mesh.orders.holdLongPolls(true);
    List<Future<HttpResponse<Buffer>>> polls = new ArrayList<>();
    try {
      // each from a caller of its own: one caller's bound is another test
      for (int i = 0; i < MAX_IN_FLIGHT + 2; i++) {
        polls.add(longPoll("o-" + i, mesh.tokens.token("poller-" + i, "customer")));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> polls.stream().filter(Future::isComplete).count()
          == MAX_IN_FLIGHT + 2 - MAX_LONG_POLLS);
      assertThat(polls.stream().filter(Future::isComplete).map(Future::result)).allSatisfy(refused -> {
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains("too many long polls");
      });
      assertThat(metric("shopmesh_upstream_long_polls", "upstream=\"orders\"")).isEqualTo(MAX_LONG_POLLS);
      for (int i = 0; i < MAX_IN_FLIGHT; i++) {
        assertThat(get("/api/orders").statusCode()).as("a plain read while long polls are held").isEqualTo(200);
      }
    } finally {
      mesh.orders.holdLongPolls(false);
    }
    Future.join(polls).await();
    assertThat(polls.stream().map(f -> f.result().statusCode()).filter(s -> s == 204)).hasSize(MAX_LONG_POLLS);
  }

  @Test
  @DisplayName("one caller's long polls beyond its bound are a fast 429, and leave the shared long-poll places to"
      + " others; an answered long poll gives its place back")
  void oneCallerCannotHoldAllLongPolls() {
    String other = mesh.tokens.token("user-2", "customer");
    mesh.orders.holdLongPolls(true);
    Future<HttpResponse<Buffer>> held;
    Future<HttpResponse<Buffer>> othersHeld;
    try {
      held = longPoll("o-1", token);
      await().atMost(Duration.ofSeconds(10)).until(() -> metric("shopmesh_upstream_long_polls",
          "upstream=\"orders\"") == 1);
      for (int i = 0; i < 2; i++) {
        HttpResponse<Buffer> refused = longPoll("o-more-" + i, token).await();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains("you already have 1 long poll waiting");
      }
      othersHeld = longPoll("o-2", other);
      await().atMost(Duration.ofSeconds(10)).until(() -> metric("shopmesh_upstream_long_polls",
          "upstream=\"orders\"") == 2);
      assertThat(get("/api/orders").statusCode()).as("a plain read of the same caller").isEqualTo(200);
    } finally {
      mesh.orders.holdLongPolls(false);
    }
    assertThat(held.await().statusCode()).isEqualTo(204);
    assertThat(othersHeld.await().statusCode()).isEqualTo(204);
    // its place is back: the next long poll goes through (answered at once now that nothing holds it)
    await().atMost(Duration.ofSeconds(10)).until(() -> longPoll("o-3", token).await().statusCode() == 200);
  }

  private Future<HttpResponse<Buffer>> longPoll(String orderId, String bearer) {
    return mesh.gateway.client().get("/api/orders/" + orderId + "?waitFor=CONFIRMED&timeout=30s")
        .putHeader("Authorization", "Bearer " + bearer).send();
  }

  /** A {@code POST /api/orders} through the gateway declaring a body of {@code length} bytes, head not yet sent. */
  private Future<HttpClientRequest> upload(HttpClient http, int length) {
    return http.request(HttpMethod.POST, mesh.gateway.port(), "127.0.0.1", "/api/orders").map(request -> request
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", Integer.toString(length)));
  }

  /** Sequential order reads for {@code duration}, checking meanwhile that sockets to inventory stay bounded. */
  private Histogram ordersLatency(Duration duration) {
    Histogram latency = new Histogram(3);
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      long start = System.nanoTime();
      assertThat(get("/api/orders").statusCode()).isEqualTo(200);
      latency.recordValue((System.nanoTime() - start) / 1000);
      assertThat(mesh.inventoryLink.openConnections()).as("sockets to the hung service")
          .isLessThanOrEqualTo(MAX_IN_FLIGHT);
    }
    return latency;
  }

  private HttpResponse<Buffer> get(String path) {
    return mesh.gateway.client().get(path).putHeader("Authorization", "Bearer " + token).send().await();
  }

  /** The gateway's series {@code name} with {@code labels} ({@code key="value"}); fails when it is absent. */
  private double metric(String name, String... labels) {
    return PrometheusText.parse(mesh.gateway.client().get("/metrics").send().await().bodyAsString())
        .value(name, labels);
  }
}
