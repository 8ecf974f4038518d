package io.shopmesh.gateway.http;

import io.shopmesh.gateway.GatewayConfig;
import io.shopmesh.gateway.proxy.GatewayProxy;
import io.shopmesh.gateway.ratelimit.RateLimiter;
import io.shopmesh.gateway.routing.RouteTable;
import io.shopmesh.gateway.upstream.CallerLongPolls;
import io.shopmesh.gateway.upstream.Upstreams;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's router: the shared service routes (health, metrics, problem documents), the
 * edge concerns (access log, security headers, CORS), the composite order view, and everything
 * under the public API proxied through {@link GatewayPipeline}.
 */
public final class GatewayRoutes {

  private final GatewayConfig config;
  private final Upstreams upstreams;
  private final TokenVerifier verifier;
  private final RateLimiter limiter;
  private final HttpClient proxyClient;
  /** Shared by the HTTP server instances (one per event loop), so the bound is per gateway process. */
  private final CallerLongPolls callerLongPolls;

  public GatewayRoutes(GatewayConfig config, Upstreams upstreams, TokenVerifier verifier, RateLimiter limiter,
                       HttpClient proxyClient) {
    this.config = config;
    this.upstreams = upstreams;
    this.verifier = verifier;
    this.limiter = limiter;
    this.proxyClient = proxyClient;
    this.callerLongPolls = new CallerLongPolls(config.upstreams().maxLongPollsPerCaller());
  }

  public Router router(ServiceContext service, Vertx vertx) {
    Duration longPoll = config.upstreams().longPollTimeout();
    Map<String, GatewayProxy> proxies = Map.of(
        RouteTable.USERS, new GatewayProxy(proxyClient, upstreams.get(RouteTable.USERS), longPoll),
        RouteTable.ORDERS, new GatewayProxy(proxyClient, upstreams.get(RouteTable.ORDERS), longPoll),
        RouteTable.INVENTORY, new GatewayProxy(proxyClient, upstreams.get(RouteTable.INVENTORY), longPoll));
    OrderDetails details = new OrderDetails(upstreams.get(RouteTable.ORDERS), upstreams.get(RouteTable.INVENTORY));
    return service.router(vertx, config.http()).streamingBodies().routes(router -> {
      router.route().handler(new AccessLog());
      router.route().handler(this::securityHeaders);
      if (!config.corsOrigins().isEmpty()) {
        router.route().handler(CorsHandler.create()
            .addOrigins(config.corsOrigins())
            .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
                HttpMethod.DELETE, HttpMethod.OPTIONS))
            .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"))
            .exposedHeaders(Set.of("Location", "Retry-After", "RateLimit", "RateLimit-Policy", "X-Request-Id"))
            .maxAgeSeconds(600));
      }
      long bodyLimit = config.http().bodyLimit();
      long uploadLimit = config.uploadLimit();
      ApiDocs.mount(router);
      router.get("/api/orders/:id/details")
          .handler(new GatewayPipeline(verifier, limiter, null, bodyLimit, uploadLimit, callerLongPolls))
          .handler(details::handle);
      router.route().handler(new GatewayPipeline(verifier, limiter, proxies, bodyLimit, uploadLimit,
          callerLongPolls));
    }).build();
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response().putHeader("X-Content-Type-Options", "nosniff");
    if (ctx.request().isSSL()) {
      ctx.response().putHeader("Strict-Transport-Security",
          "max-age=" + config.tls().hstsMaxAge().toSeconds() + "; includeSubDomains");
    }
    ctx.next();
  }
}
