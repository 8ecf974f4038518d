package io.shopmesh.platform.http;

import io.shopmesh.platform.logging.LogContext;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, a new
 * one otherwise. The id is echoed on the response, put in every problem document and attached to
 * the request's Vert.x context so each log line written while handling it carries it.
 */
public final class RequestId implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "shopmesh.requestId";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && ACCEPTED.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    LogContext.put(Vertx.currentContext(), LogContext.Scope.ofRequest(id));
    ctx.next();
  }

  /** The id of this request (set by this handler, which runs first on every service router). */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "-";
  }
}
