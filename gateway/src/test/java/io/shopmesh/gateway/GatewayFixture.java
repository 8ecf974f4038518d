package io.shopmesh.gateway;

import io.shopmesh.platform.tracing.Tracing;
import io.shopmesh.testkit.EchoUpstream;
import io.shopmesh.testkit.FaultProxy;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.shopmesh.testkit.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A gateway in front of three real HTTP upstreams standing in for users, orders and inventory
 * (the services themselves live in other modules; end-to-end tests run them for real). The
 * users stand-in publishes the signing key of {@link #tokens}.
 */
final class GatewayFixture implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final TestTokens tokens = new TestTokens(vertx, "k1");
  final EchoUpstream users = EchoUpstream.start(vertx, "users").serve("/.well-known/jwks.json", tokens.jwks());
  final EchoUpstream orders = EchoUpstream.start(vertx, "orders");
  final EchoUpstream inventory = EchoUpstream.start(vertx, "inventory");
  /** Between the gateway and the inventory stand-in, to inject network faults. */
  final FaultProxy inventoryLink = FaultProxy.start(vertx, "127.0.0.1", inventory.port());
  final RunningService gateway;

  GatewayFixture(TestEnv env, JsonObject overrides) {
    JsonObject settings = env.settings("gateway", false, true, false)
        .put("discovery", new JsonObject().put("backend", "static"))
        .put("upstreams", new JsonObject().put("users", users.url()).put("orders", orders.url())
            .put("inventory", "http://127.0.0.1:" + inventoryLink.port()))
        .mergeIn(overrides, true);
    // traced as ServiceRunner.runAtEdge traces the gateway process
    gateway = RunningService.start("gateway", GatewayMain::start, settings, Tracing.atEdge("gateway"));
  }

  @Override
  public void close() {
    gateway.close();
    vertx.close().await();
  }
}
