package io.shopmesh.gateway;

import io.shopmesh.gateway.http.GatewayRoutes;
import io.shopmesh.gateway.ratelimit.RateLimiter;
import io.shopmesh.gateway.routing.RouteTable;
import io.shopmesh.gateway.upstream.Upstream;
import io.shopmesh.gateway.upstream.Upstreams;
import io.shopmesh.platform.auth.JwksClient;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.config.TracingConfig;
import io.shopmesh.platform.discovery.ServiceRegistries;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.shopmesh.platform.lifecycle.Shutdown;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.redis.client.Redis;

import java.util.List;

/** The API gateway: the single entry point of the mesh. */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.runAtEdge("gateway", args, GatewayMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    GatewayConfig config = GatewayConfig.from(service.settings());
    Redis redis = service.redis(config.redis(), false);
    Upstreams upstreams = new Upstreams(service.vertx(), ServiceRegistries.create(service.vertx(), config.discovery()),
        config.upstreams(), service.registry(), List.of(RouteTable.USERS, RouteTable.ORDERS, RouteTable.INVENTORY));
    service.onShutdown(Shutdown.Phase.RESOURCES, "upstreams", upstreams::close);
    // listed, not critical: the services that are registered are served meanwhile; says which are not
    service.readiness().check("upstreams", false, () -> {
      List<String> missing = upstreams.withoutInstances();
      return missing.isEmpty() ? Future.succeededFuture()
          : Future.failedFuture("no instance registered of " + String.join(", ", missing));
    });
    TokenVerifier verifier = new TokenVerifier(service.vertx(), config.auth());
    Upstream users = upstreams.get(RouteTable.USERS);
    JwksClient jwks = new JwksClient(service.vertx(), () -> users.send(HttpMethod.GET, "/.well-known/jwks.json",
        MultiMap.caseInsensitiveMultiMap()).compose(answer -> answer.status() == 200
            ? Future.succeededFuture(answer.body().toJsonObject().getJsonArray("keys", new JsonArray()))
            : Future.failedFuture("the users service answered " + answer.status())),
        "the users service", verifier, config.auth());
    service.onShutdown(Shutdown.Phase.RESOURCES, "jwks", () -> {
      jwks.close();
      return Future.succeededFuture();
    });
    // listed, not critical: public routes are served meanwhile
    jwks.reportTo(service.readiness(), false);
    RateLimiter limiter = new RateLimiter(service.vertx(), redis, config.redis().keyPrefix(), config.rateLimits(),
        service.registry());
    GatewayRoutes routes = new GatewayRoutes(config, upstreams, verifier, limiter, upstreams.client());
    // Exporting spans, the gateway starts a trace for every request. Exporting none, it only carries on
    // the traces clients send: a span nobody receives would cost every request a span at each end
    // (about a twentieth of the gateway's CPU); the request id still ties its log lines to the services'.
    TracingPolicy tracing = TracingConfig.from(service.settings()).exports() ? TracingPolicy.ALWAYS
        : TracingPolicy.PROPAGATE;
    // the first instance lists and the servers are independent; /health/ready says "starting" until both
    // are done. The keys are read from the users instances once they are known (not awaited: public
    // routes are served meanwhile). The TLS server comes second: the plain one is the port the service reports
    return Future.all(
        service.step("upstream instances", upstreams::refresh).onSuccess(v -> jwks.start()),
        service.step("http server", () -> service.serveHttp(config.http(), vertx -> routes.router(service, vertx),
                options -> options.setTracingPolicy(tracing)))
            .compose(port -> config.tls().enabled()
                ? service.step("https server", () -> service.serveHttp(config.http().withPort(config.tls().port()),
                    vertx -> routes.router(service, vertx), options -> options.setTracingPolicy(tracing).setSsl(true)
                        .setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(config.tls().certPath()).setKeyPath(config.tls().keyPath()))))
                : Future.succeededFuture(port)));
  }
}
