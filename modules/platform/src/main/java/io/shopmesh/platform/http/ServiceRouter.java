package io.shopmesh.platform.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopmesh.platform.health.Readiness;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The router every Shopmesh service starts from: request ids, route-named server spans, {@code /health/live},
 * {@code /health/ready}, {@code /metrics}, a bounded body handler, then the service's own routes,
 * and last the problem handler for every failure and every unmatched path.
 */
public final class ServiceRouter {

  private final Vertx vertx;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private final Map<String, Long> bodyLimits = new LinkedHashMap<>();
  private final List<Consumer<Router>> beforeBody = new ArrayList<>();
  private final long defaultBodyLimit;
  private boolean bufferBodies = true;
  private Consumer<Router> routes = router -> { };

  private ServiceRouter(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry, long bodyLimit) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.registry = registry;
    this.defaultBodyLimit = bodyLimit;
  }

  public static ServiceRouter builder(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry,
                                      long bodyLimit) {
    return new ServiceRouter(vertx, readiness, registry, bodyLimit);
  }

  /** A different body limit for the paths matching {@code pathPattern} (e.g. a bulk import). */
  public ServiceRouter bodyLimit(String pathPattern, long limit) {
    bodyLimits.put(pathPattern, limit);
    return this;
  }

  /**
   * Runs {@code handler} on {@code method} requests to {@code path} before any body is read, e.g.
   * authentication in front of a large upload, so a refused client cannot make the service buffer
   * its body first. Async handlers must pause the request while they wait (BearerAuth does).
   */
  public ServiceRouter beforeBody(HttpMethod method, String path, Handler<RoutingContext> handler) {
    beforeBody.add(router -> router.route(method, path).handler(handler));
    return this;
  }

  /** For routers that stream bodies themselves (a proxy): no body is buffered. */
  public ServiceRouter streamingBodies() {
    bufferBodies = false;
    return this;
  }

  public ServiceRouter routes(Consumer<Router> routes) {
    this.routes = routes;
    return this;
  }

  public Router build() {
    Router router = Router.router(vertx);
    ProblemHandler problems = new ProblemHandler();
    router.route().handler(new RequestId());
    router.route().handler(new PercentEncoding());
    router.route().handler(new RouteTemplates());
    router.get("/health/live").handler(readiness.liveHandler());
    router.get("/health/ready").handler(readiness.readyHandler());
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    beforeBody.forEach(guard -> guard.accept(router));
    if (bufferBodies) {
      bodyLimits.forEach((path, limit) -> router.route(path).handler(BodyHandler.create(false).setBodyLimit(limit)));
      router.route().handler(BodyHandler.create(false).setBodyLimit(defaultBodyLimit));
    }
    routes.accept(router);
    router.route().failureHandler(problems);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, problems);
    }
    return router;
  }
}
