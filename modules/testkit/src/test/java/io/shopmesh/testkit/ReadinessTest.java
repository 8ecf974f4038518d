package io.shopmesh.testkit;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.RedisConfig;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows the real dependencies: stop Postgres, Redis or Kafka and /health/ready turns
 * 503 naming the culprit; start it again and it returns to 200. Liveness never changes.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadinessTest {

  private RunningService service;

  @BeforeAll
  void start(TestEnv env) {
    JsonObject settings = env.settings("orders", true, true, true);
    service = RunningService.start("readiness-probe", ReadinessTest::startProbe, settings);
  }

  private static Future<?> startProbe(ServiceContext s) {
    s.postgres(PgConfig.from(s.settings()));
    s.redis(RedisConfig.from(s.settings()), true);
    s.kafkaReadiness(KafkaConfig.from(s.settings()), true);
    HttpConfig http = HttpConfig.from(s.settings(), 0);
    return s.serveHttp(http, v -> s.router(v, http).build());
  }

  @AfterAll
  void stop() {
    service.close();
  }

  @Test
  @DisplayName("readiness is 503 while Postgres is down and 200 once it is back")
  void postgres(TestEnv env) {
    assertOutage("postgres", () -> env.infra().postgres().stop(), () -> env.infra().postgres().restart());
  }

  @Test
  @DisplayName("readiness is 503 while Redis is down and 200 once it is back")
  void redis(TestEnv env) {
    assertOutage("redis", () -> env.infra().redis().stop(), () -> env.infra().redis().restart());
  }

  @Test
  @DisplayName("readiness is 503 while Kafka is down and 200 once it is back")
  void kafka(TestEnv env) {
    assertOutage("kafka", () -> env.infra().kafka().stop(), () -> env.infra().kafka().restart());
  }

  private void assertOutage(String dependency, Runnable stop, Runnable restart) {
    awaitReady(200);
    stop.run();
    try {
      JsonObject down = awaitReady(503);
      assertThat(down.getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> c.getString("id").equals(dependency)).findFirst().orElseThrow().getString("status"))
          .isEqualTo("DOWN");
      assertThat(service.client().get("/health/live").send().await().statusCode()).isEqualTo(200);
    } finally {
      restart.run();
    }
    awaitReady(200);
  }

  private JsonObject awaitReady(int status) {
    return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
        .until(() -> service.client().get("/health/ready").send().await(), r -> r.statusCode() == status)
        .bodyAsJsonObject();
  }
}
