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
import io.shopmesh.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Instances found through the Redis discovery backend, as on VMs. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private JsonObject discovery;
  private TestTokens tokens;
  private RunningService gateway;

  @BeforeAll
  void start(TestEnv env) {
    discovery = new JsonObject().put("backend", "redis").put("heartbeat", "1s").put("ttl", "3s");
    tokens = new TestTokens(vertx, "k1");
    register(env, "users", EchoUpstream.start(vertx, "users").serve("/.well-known/jwks.json", tokens.jwks()));
    register(env, "inventory", EchoUpstream.start(vertx, "inventory"));
    gateway = RunningService.start("gateway", GatewayMain::start, env.settings("gateway", false, true, false)
        .put("discovery", discovery.copy().put("drainDelay", "0s"))
        .put("upstream", new JsonObject().put("refresh", "200ms"))
        .put("rateLimit", new JsonObject().put("enabled", false)));
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    for (AutoCloseable c : closeables) {
      c.close();
    }
    vertx.close().await();
  }

  @Test
  @DisplayName("a second instance is used as soon as it registers, and one that leaves costs no request")
  void instancesComeAndGo(TestEnv env) {
    ServiceRegistry a = register(env, "orders", EchoUpstream.start(vertx, "orders-a"));
    EchoUpstream b = EchoUpstream.start(vertx, "orders-b");
    ServiceRegistry bRegistration = register(env, "orders", b);
    String token = tokens.token("user-1", "customer");

    Set<String> seen = new HashSet<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      HttpResponse<Buffer> r = get(token);
      if (r.statusCode() == 200) {
        seen.add(r.bodyAsJsonObject().getString("service"));
      }
      return seen.size() == 2;
    });

    bRegistration.deregister().await();
    int failures = 0;
    long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < until) {
      failures += get(token).statusCode() == 200 ? 0 : 1;
    }
    b.close();
    for (int i = 0; i < 50; i++) {
      HttpResponse<Buffer> r = get(token);
      failures += r.statusCode() == 200 ? 0 : 1;
      assertThat(r.bodyAsJsonObject().getString("service")).isEqualTo("orders-a");
    }
    assertThat(failures).as("failed requests while an instance left").isZero();
    assertThat(a).isNotNull();
  }

  @Test
  @DisplayName("an instance that dies without deregistering is skipped after one refused connection")
  void deadInstanceIsSkipped(TestEnv env) {
    register(env, "orders", EchoUpstream.start(vertx, "orders-live"));
    EchoUpstream doomed = EchoUpstream.start(vertx, "orders-doomed");
    register(env, "orders", doomed);
    String token = tokens.token("user-2", "customer");
    await().atMost(Duration.ofSeconds(10)).until(() -> get(token).bodyAsJsonObject().getString("service")
        .equals("orders-doomed"));
    doomed.close();
    for (int i = 0; i < 30; i++) {
      HttpResponse<Buffer> r = get(token);
      assertThat(r.statusCode()).as("GET after an instance died").isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getString("service")).isNotEqualTo("orders-doomed");
    }
  }

  @Test
  @DisplayName("an instance that reports itself unready gets no request until it is ready, and none once unready"
      + " again")
  void unreadyInstanceIsSkipped(TestEnv env) {
    AtomicBoolean ready = new AtomicBoolean(false);
    ServiceRegistry pending = register(env, "inventory", EchoUpstream.start(vertx, "inventory-pending"),
        () -> Future.succeededFuture(ready.get()));
    // registered after the unready one: once the gateway routes to it, its list holds the unready record too
    ServiceRegistry marker = register(env, "inventory", EchoUpstream.start(vertx, "inventory-marker"),
        () -> Future.succeededFuture(true));
    await().atMost(Duration.ofSeconds(10)).until(() -> products().contains("inventory-marker"));
    assertThat(products()).as("answered by, while inventory-pending is unready").doesNotContain("inventory-pending");

    ready.set(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> products().contains("inventory-pending"));

    ready.set(false);
    await().atMost(Duration.ofSeconds(10)).until(() -> !products().contains("inventory-pending"));
    assertThat(products()).as("answered by, once inventory-pending is unready again")
        .doesNotContain("inventory-pending");

    pending.deregister().await();
    marker.deregister().await();
  }

  /** Which instances answered 30 product reads (public, so no token). */
  private Set<String> products() {
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      HttpResponse<Buffer> r = gateway.client().get("/api/products").send().await();
      assertThat(r.statusCode()).as("GET /api/products").isEqualTo(200);
      answered.add(r.bodyAsJsonObject().getString("service"));
    }
    return answered;
  }

  private HttpResponse<Buffer> get(String token) {
    return gateway.client().get("/api/orders").putHeader("Authorization", "Bearer " + token).send().await();
  }

  private ServiceRegistry register(TestEnv env, String service, EchoUpstream upstream) {
    return register(env, service, upstream, () -> Future.succeededFuture(true));
  }

  private ServiceRegistry register(TestEnv env, String service, EchoUpstream upstream,
                                   Supplier<Future<Boolean>> ready) {
    ServiceRegistry registry = ServiceRegistries.create(vertx, DiscoveryConfig.from(Settings.of(
        env.settings(service, false, true, false).put("discovery", discovery))));
    registry.register(new ServiceInstance(service, service + "-" + upstream.port(), "127.0.0.1", upstream.port()),
        ready).await();
    closeables.add(upstream);
    closeables.add(() -> registry.close().await());
    return registry;
  }
}
