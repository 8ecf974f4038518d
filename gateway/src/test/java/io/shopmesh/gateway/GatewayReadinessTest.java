package io.shopmesh.gateway;

import io.shopmesh.platform.config.DiscoveryConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.discovery.ServiceInstance;
import io.shopmesh.platform.discovery.ServiceRegistries;
import io.shopmesh.platform.discovery.ServiceRegistry;
import io.shopmesh.testkit.EchoUpstream;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's readiness names the services it cannot route to yet (none of their instances
 * registered), without turning unready: what is registered is served meanwhile. Whoever waits for
 * a whole mesh (the dev stack, tests) waits for this check too.
 */
@ExtendWith(InfraExtension.class)
class GatewayReadinessTest {

  private static final JsonObject DISCOVERY = new JsonObject().put("backend", "redis").put("heartbeat", "1s")
      .put("ttl", "3s");

  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    vertx.close().await();
  }

  @Test
  @DisplayName("readiness stays 200 and lists the services without an instance until each has one registered")
  void upstreamsWithoutInstances(TestEnv env) {
    RunningService gateway = RunningService.start("gateway", GatewayMain::start,
        env.settings("gateway", false, true, false)
            .put("discovery", DISCOVERY.copy().put("drainDelay", "0s"))
            .put("upstream", new JsonObject().put("refresh", "200ms"))
            .put("rateLimit", new JsonObject().put("enabled", false)));
    closeables.add(gateway);

    HttpResponse<Buffer> ready = gateway.client().get("/health/ready").send().await();
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(upstreamsCheck(ready).getJsonObject("data").getString("error"))
        .isEqualTo("no instance registered of users, orders, inventory");

    register(env, "users");
    register(env, "inventory");
    await().atMost(Duration.ofSeconds(10)).until(() -> "no instance registered of orders".equals(
        upstreamsCheck(gateway.client().get("/health/ready").send().await()).getJsonObject("data").getString("error")));

    register(env, "orders");
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject check = upstreamsCheck(gateway.client().get("/health/ready").send().await());
      return "UP".equals(check.getString("status")) && check.getJsonObject("data") == null;
    });
  }

  private static JsonObject upstreamsCheck(HttpResponse<Buffer> ready) {
    return ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> "upstreams".equals(check.getString("id"))).findFirst().orElseThrow();
  }

  private void register(TestEnv env, String service) {
    EchoUpstream upstream = EchoUpstream.start(vertx, service);
    closeables.add(upstream);
    ServiceRegistry registry = ServiceRegistries.create(vertx, DiscoveryConfig.from(Settings.of(
        env.settings(service, false, true, false).put("discovery", DISCOVERY))));
    registry.register(new ServiceInstance(service, service + "-" + upstream.port(), "127.0.0.1", upstream.port()),
        () -> Future.succeededFuture(true)).await();
    closeables.add(() -> registry.close().await());
  }
}
