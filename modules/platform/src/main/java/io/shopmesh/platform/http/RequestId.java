package io.shopmesh.platform.http;

import io.shopmesh.platform.logging.LogContext;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, a new
 * one otherwise. The id is echoed on the response, put in every problem document and attached to
 * the request's Vert.x context so each log line written while handling it carries it, with the ids
 * of the request's server span (see {@link LogContext}).
 */
public final class RequestId implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "shopmesh.requestId";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && ACCEPTED.matcher(given).matches() ? given : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    LogContext.put(Vertx.currentContext(), LogContext.Scope.ofRequestInCurrentSpan(id));
    ctx.next();
  }

  /**
   * A random id in UUID form. Request ids correlate log lines, they guard nothing, so they come
   * from the thread's fast generator rather than {@code UUID.randomUUID()}'s shared SecureRandom.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    // version 4, IETF variant, like UUID.randomUUID()
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** The id of this request (set by this handler, which runs first on every service router). */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "-";
  }
}
