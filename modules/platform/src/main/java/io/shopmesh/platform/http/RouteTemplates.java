package io.shopmesh.platform.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.shopmesh.platform.tracing.Traces;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * Names the route template that served a request, as OpenTelemetry's HTTP conventions ask: the
 * server span becomes {@code "<method> <template>"} with attribute {@code http.route}, e.g.
 * {@code GET /api/orders/:id}, instead of just the method. Routers whose routes carry no path (a
 * catch-all such as the gateway's proxy) {@link #declare} the template themselves, which also
 * labels the request's metrics.
 */
public final class RouteTemplates implements Handler<RoutingContext> {

  private static final String KEY = "shopmesh.routeTemplate";
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");

  /** The template of a request served by a route without a path: for the span and the {@code route} metric label. */
  public static void declare(RoutingContext ctx, String template) {
    ctx.put(KEY, template);
    ctx.request().routed(template);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> name(ctx));
    ctx.next();
  }

  private static void name(RoutingContext ctx) {
    Span span = Traces.currentSpan();
    if (!span.isRecording()) {
      return;
    }
    String template = ctx.get(KEY);
    Route route = ctx.currentRoute();
    if (template == null && route != null) {
      template = route.getPath();
    }
    if (template != null) {
      span.updateName(ctx.request().method().name() + " " + template);
      span.setAttribute(HTTP_ROUTE, template);
    }
  }
}
