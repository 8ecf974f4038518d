package io.shopmesh.gateway;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.PrometheusText;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two gateway instances share one budget per caller through Redis. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest {

  private static final int BURST = 20;
  private static final int LEASE = 4;
  private GatewayFixture first;
  private GatewayFixture second;

  @BeforeAll
  void start(TestEnv env) {
    // a generous Redis timeout: this class is about the shared budget, not about Redis being slow
    // on a loaded test machine (which would rightly switch to the local fallback)
    JsonObject limits = new JsonObject().put("rateLimit", new JsonObject().put("lease", LEASE).put("redisTimeout", "2s")
        .put("read", new JsonObject().put("rate", 1).put("burst", BURST))
        .put("write", new JsonObject().put("rate", 1).put("burst", 1)));
    first = new GatewayFixture(env, limits);
    second = new GatewayFixture(env, limits);
    for (GatewayFixture g : List.of(first, second)) {
      await().atMost(Duration.ofSeconds(10)).until(() ->
          g.gateway.client().get("/api/products/warmup").send().await().statusCode() == 200);
    }
  }

  @AfterAll
  void stop() {
    first.close();
    second.close();
  }

  @Test
  @DisplayName("a burst of twice the limit over two instances gets the limit, within the lease tolerance")
  void sharedBudget() {
    awaitRedisInUse();
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 2 * BURST; i++) {
      GatewayFixture g = i % 2 == 0 ? first : second;
      calls.add(g.gateway.client().get("/api/products/p" + i)
          .putHeader("Authorization", "Bearer " + g.tokens.token("burst-user", "customer")).send());
    }
    Future.join(calls).await();
    List<HttpResponse<Buffer>> responses = calls.stream().map(Future::result).toList();
    long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
    long limited = responses.stream().filter(r -> r.statusCode() == 429).count();
    // never more than the budget (plus what refills during the burst: 1 token/s), at most
    // one lease stranded per instance below it
    assertThat(ok).isBetween((long) BURST - 2L * LEASE, (long) BURST + 2);
    assertThat(ok + limited).isEqualTo(2L * BURST);
    HttpResponse<Buffer> rejected = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(rejected.getHeader("Retry-After")).isNotNull();
    assertThat(rejected.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(rejected.getHeader("RateLimit-Policy")).isEqualTo("\"read\";q=20;w=20");
    assertThat(rejected.getHeader("RateLimit")).startsWith("\"read\";r=0;t=");
  }

  @Test
  @DisplayName("with Redis down each instance falls back to its own bucket (fail-open) and says so in metrics")
  void redisDown(TestEnv env) {
    env.infra().redis().stop();
    try {
      String token = first.tokens.token("redis-down-user", "customer");
      for (int i = 0; i < 5; i++) {
        HttpResponse<Buffer> r = first.gateway.client().get("/api/products/x")
            .putHeader("Authorization", "Bearer " + token).send().await();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("RateLimit")).isNotNull();
      }
      String metrics = first.gateway.client().get("/metrics").send().await().bodyAsString();
      assertThat(metrics).containsPattern("shopmesh_ratelimit_decisions_total\\{[^}]*source=\"local\"[^}]*} [1-9]");
    } finally {
      env.infra().redis().restart();
    }
    awaitRedisInUse();
  }

  @Test
  @DisplayName("a caller spending lease after lease never waits for Redis itself: the next lease is fetched when the last token goes")
  void nextLeaseIsFetchedAhead() {
    String token = newCaller("steady-");
    double redisBefore = decisions(first, "redis");
    double leaseBefore = decisions(first, "lease");
    for (int i = 0; i < 3 * LEASE; i++) {
      HttpResponse<Buffer> r = first.gateway.client().get("/api/products/steady")
          .putHeader("Authorization", "Bearer " + token).send().await();
      assertThat(r.statusCode()).isEqualTo(200);
    }
    // the first request is admitted ahead of Redis, every later one is paid from a lease
    assertThat(decisions(first, "redis")).isEqualTo(redisBefore);
    assertThat(decisions(first, "lease") - leaseBefore).isEqualTo(3 * LEASE - 1);
  }

  @Test
  @DisplayName("only a caller without a lease is admitted ahead of Redis: once its lease is spent, it waits for Redis")
  void spentLeaseWaitsForRedis() {
    String token = newCaller("writer-");
    double aheadBefore = decisions(first, "ahead");
    double redisBefore = decisions(first, "redis");
    // write: 1 token per second, a bucket of 1; the first request is admitted ahead and its fetch takes the token
    assertThat(post(token).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> second = post(token);
    // the lease is spent (or still being fetched): the request is not admitted ahead (that would be one more
    // than the budget), it waits for Redis, which refuses
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.getHeader("Retry-After")).isEqualTo("1");
    assertThat(decisions(first, "ahead")).isEqualTo(aheadBefore + 1);
    assertThat(decisions(first, "redis")).isEqualTo(redisBefore + 1);
  }

  /** The token of a caller the first gateway has not seen, once both gateways use Redis. */
  private String newCaller(String prefix) {
    awaitRedisInUse();
    return first.tokens.token(prefix + System.nanoTime(), "customer");
  }

  private HttpResponse<Buffer> post(String token) {
    return first.gateway.client().post("/api/orders").putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")).await();
  }

  /** Both gateways take their decisions from Redis (or leases it granted) again, not from the local fallback. */
  private void awaitRedisInUse() {
    for (GatewayFixture g : List.of(first, second)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        double before = redisDecisions(g);
        // a new caller is admitted ahead of Redis; its next request spends the lease Redis granted meanwhile
        String token = g.tokens.token("probe-" + System.nanoTime(), "customer");
        for (int i = 0; i < 2; i++) {
          g.gateway.client().get("/api/products/probe").putHeader("Authorization", "Bearer " + token).send().await();
        }
        return redisDecisions(g) > before;
      });
    }
  }

  private static double decisions(GatewayFixture g, String source) {
    PrometheusText scrape = PrometheusText.parse(g.gateway.client().get("/metrics").send().await().bodyAsString());
    return scrape.sum("shopmesh_ratelimit_decisions_total", "source=\"" + source + "\"");
  }

  private static double redisDecisions(GatewayFixture g) {
    PrometheusText scrape = PrometheusText.parse(g.gateway.client().get("/metrics").send().await().bodyAsString());
    return scrape.sum("shopmesh_ratelimit_decisions_total", "source=\"redis\"")
        + scrape.sum("shopmesh_ratelimit_decisions_total", "source=\"lease\"");
  }

}
