package io.shopmesh.gateway.http;

import io.shopmesh.platform.http.RequestId;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request once its response has ended: method, path, status, upstream, latency and
 * request id as JSON fields (logger {@code shopmesh.access}, so it can be routed or silenced on
 * its own).
 */
final class AccessLog implements Handler<RoutingContext> {

  static final String UPSTREAM = "shopmesh.upstream";
  private static final Logger ACCESS = LoggerFactory.getLogger("shopmesh.access");

  @Override
  public void handle(RoutingContext ctx) {
    if (!ACCESS.isInfoEnabled()) {
      ctx.next();
      return;
    }
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> ACCESS.atInfo()
        .addKeyValue("method", ctx.request().method().name())
        .addKeyValue("path", ctx.request().path())
        .addKeyValue("status", ctx.response().getStatusCode())
        .addKeyValue("upstream", ctx.get(UPSTREAM, "gateway"))
        .addKeyValue("latencyMs", (System.nanoTime() - start) / 1_000_000.0)
        .addKeyValue("requestId", RequestId.of(ctx))
        .addKeyValue("outcome", ended.succeeded() ? "complete" : "aborted")
        .log("access"));
    ctx.next();
  }
}
