package io.shopmesh.platform.http;

import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * Refuses a request target whose percent-encoding is broken (a {@code %} not followed by two hex
 * digits) with a 400 before any handler decodes a path or query parameter from it: decoding it
 * later throws, which would surface as a 500.
 */
final class PercentEncoding implements Handler<RoutingContext> {

  private static final Pattern BROKEN = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  @Override
  public void handle(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (uri.indexOf('%') >= 0 && BROKEN.matcher(uri).find()) {
      ctx.fail(ProblemException.badRequest("the request target is not validly percent-encoded ('%' must be"
          + " followed by two hexadecimal digits)"));
      return;
    }
    ctx.next();
  }
}
