package io.shopmesh.gateway;

import io.shopmesh.testkit.FaultProxy;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.PrometheusText;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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
  private GatewayFixture mesh;
  private String token;

  @BeforeAll
  void start(TestEnv env) {
    mesh = new GatewayFixture(env, new JsonObject()
        .put("upstream", new JsonObject().put("timeout", "1s").put("maxInFlight", MAX_IN_FLIGHT))
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
