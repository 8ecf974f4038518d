package io.shopmesh.gateway;

import io.shopmesh.testkit.FaultProxy;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.PrometheusText;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis that answers slower than {@code rateLimit.redisTimeout} (here through a proxy that delays every
 * answer) costs the shared buckets only after three calls in a row: one slow answer, as a busy machine
 * gives now and then, must not switch the whole instance to its local buckets.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitSlowRedisTest {

  private final Vertx vertx = Vertx.vertx();
  private FaultProxy redisLink;
  private GatewayFixture gateway;

  @BeforeAll
  void start(TestEnv env) {
    redisLink = FaultProxy.start(vertx, "127.0.0.1", env.infra().redis().port());
    gateway = new GatewayFixture(env, new JsonObject()
        .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + redisLink.port()))
        .put("rateLimit", new JsonObject().put("redisTimeout", "300ms")
            .put("read", new JsonObject().put("rate", 100).put("burst", 100))));
  }

  /** Redis fast again and in use (no failure in a row left): a new caller's second request spends its lease. */
  @BeforeEach
  void redisInUse() {
    redisLink.delay(0);
    double leases = decisions("lease");
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      String caller = "warm-" + System.nanoTime();
      get(caller);
      get(caller);
      return decisions("lease") > leases;
    });
  }

  @Test
  @DisplayName("after a caller's lease fetch timed out, its next request asks Redis instead of being admitted ahead again")
  void failedFetchIsNotAnotherFreeAdmission() {
    redisLink.delay(1_000);
    String caller = "again-" + System.nanoTime();
    double aheadBefore = decisions("ahead");
    double failuresBefore = redisFailures();
    assertThat(get(caller)).isEqualTo(200);
    assertThat(decisions("ahead")).as("the first request, admitted ahead of Redis").isEqualTo(aheadBefore + 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> redisFailures() >= failuresBefore + 1);

    double localBefore = decisions("local");
    assertThat(get(caller)).isEqualTo(200);
    assertThat(decisions("ahead")).as("the same caller after its fetch failed").isEqualTo(aheadBefore + 1);
    assertThat(decisions("local")).as("it waited for Redis, which timed out again: the policy (local buckets)")
        .isEqualTo(localBefore + 1);
  }

  @AfterAll
  void stop() {
    gateway.close();
    redisLink.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("two slow Redis answers in a row leave the shared buckets in use; the third switches to local buckets")
  void switchesAfterThreeSlowAnswersInARow() {
    redisLink.delay(1_000);
    for (int failures = 1; failures <= 3; failures++) {
      double aheadBefore = decisions("ahead");
      double localBefore = decisions("local");
      // a caller this instance does not know: admitted ahead of Redis while Redis counts as up, its lease
      // fetched meanwhile (that fetch times out); from the local bucket once Redis counts as down
      assertThat(get("slow-" + failures)).isEqualTo(200);
      if (failures < 3) {
        assertThat(decisions("ahead")).as("admitted ahead of Redis after %d slow answers", failures - 1)
            .isEqualTo(aheadBefore + 1);
        assertThat(decisions("local")).isEqualTo(localBefore);
      }
      int expected = failures;
      await().atMost(Duration.ofSeconds(10)).until(() -> redisFailures() >= expected);
    }
    // down for the next second, renewed by every further slow answer: new callers now get local buckets
    double localBefore = decisions("local");
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      assertThat(get("slow-after-" + System.nanoTime())).isEqualTo(200);
      return decisions("local") > localBefore;
    });
  }

  private int get(String caller) {
    return gateway.gateway.client().get("/api/products/p1")
        .putHeader("Authorization", "Bearer " + gateway.tokens.token(caller, "customer")).send().await().statusCode();
  }

  private double decisions(String source) {
    return scrape().sum("shopmesh_ratelimit_decisions_total", "source=\"" + source + "\"");
  }

  private double redisFailures() {
    return scrape().sum("shopmesh_ratelimit_redis_failures_total");
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(gateway.gateway.client().get("/metrics").send().await().bodyAsString());
  }
}
