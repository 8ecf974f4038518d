package io.shopmesh.gateway.http;

import io.shopmesh.gateway.proxy.GatewayProxy;
import io.shopmesh.gateway.ratelimit.Decision;
import io.shopmesh.gateway.ratelimit.RateLimiter;
import io.shopmesh.gateway.routing.PathGuard;
import io.shopmesh.gateway.routing.Route;
import io.shopmesh.gateway.routing.RouteTable;
import io.shopmesh.gateway.upstream.CallerLongPolls;
import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.auth.Identity;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.http.RouteTemplates;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;

/**
 * Every request for the API goes through the same steps: guard the path, find its route, check
 * the token (and role), take a rate-limit token (and, for a long poll, one of the caller's long-poll
 * places), then stream it to the upstream (or, for the
 * gateway's own composite routes, hand it to the next handler). The request body is paused
 * meanwhile, so nothing is read before the request is allowed through.
 */
final class GatewayPipeline implements Handler<RoutingContext> {

  private final TokenVerifier verifier;
  private final RateLimiter limiter;
  private final Map<String, GatewayProxy> proxies;
  private final long bodyLimit;
  private final long uploadLimit;
  private final CallerLongPolls callerLongPolls;

  /**
   * @param proxies     the proxy of each upstream; null to admit requests to the next handler instead
   * @param bodyLimit   largest declared body; bodies are streamed, so a chunked body is bounded by the service
   * @param uploadLimit the same for bulk uploads ({@code POST /api/products/import})
   * @param callerLongPolls each caller's long polls waiting on this gateway, bounded
   */
  GatewayPipeline(TokenVerifier verifier, RateLimiter limiter, Map<String, GatewayProxy> proxies, long bodyLimit,
                  long uploadLimit, CallerLongPolls callerLongPolls) {
    this.verifier = verifier;
    this.limiter = limiter;
    this.proxies = proxies;
    this.bodyLimit = bodyLimit;
    this.uploadLimit = uploadLimit;
    this.callerLongPolls = callerLongPolls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String refused = PathGuard.reject(request.uri());
    if (refused != null) {
      ctx.fail(ProblemException.badRequest(refused));
      return;
    }
    Route route = RouteTable.match(request.method(), request.path()).orElse(null);
    if (route == null) {
      ctx.fail(ProblemException.notFound("no resource at " + request.path()));
      return;
    }
    if (proxies != null) {
      RouteTemplates.declare(ctx, route.template());
    }
    String declared = request.getHeader("Content-Length");
    long limit = request.path().equals("/api/products/import") ? uploadLimit : bodyLimit;
    if (declared != null && parseLength(declared) > limit) {
      ctx.fail(new ProblemException(413, "Content Too Large", "the request body is larger than this endpoint "
          + "accepts (" + limit + " bytes)"));
      return;
    }
    if (!request.isEnded()) {
      request.pause();
    }
    ctx.put(AccessLog.UPSTREAM, route.upstream());
    authenticate(ctx, route)
        .compose(identity -> {
          String caller = identity != null ? "u:" + identity.userId() : "ip:" + request.remoteAddress().hostAddress();
          return limit(ctx, route, caller).map(caller);
        })
        .onSuccess(caller -> {
          if (GatewayProxy.isLongPoll(request)) {
            if (!callerLongPolls.tryTake(caller)) {
              int max = callerLongPolls.max();
              ctx.fail(ProblemException.tooManyRequests("you already have " + max + " long poll"
                  + (max == 1 ? "" : "s") + " waiting, the most one caller may have; wait for an answer, or read"
                  + " the current state without waitFor", Duration.ofSeconds(1)));
              return;
            }
            // at the answer, or when the client goes away first
            ctx.addEndHandler(ended -> callerLongPolls.give(caller));
          }
          if (proxies == null) {
            ctx.next();
          } else {
            proxies.get(route.upstream()).handle(ctx);
          }
        })
        .onFailure(ctx::fail);
  }

  private Future<Identity> authenticate(RoutingContext ctx, Route route) {
    String token = BearerAuth.token(ctx);
    if (token == null) {
      return route.access() == Route.Access.PUBLIC ? Future.succeededFuture()
          : Future.failedFuture(ProblemException.unauthorized("an access token is required (Authorization: Bearer <token>)"));
    }
    return verifier.verify(token).compose(identity -> {
      if (route.access() == Route.Access.ADMIN && !identity.isAdmin()) {
        return Future.failedFuture(ProblemException.forbidden("this operation requires the 'admin' role"));
      }
      return Future.succeededFuture(identity);
    });
  }

  private Future<Void> limit(RoutingContext ctx, Route route, String caller) {
    if (!limiter.enabled()) {
      return Future.succeededFuture();
    }
    return limiter.acquire(route.limitClass(), caller).compose(decision -> {
      headers(ctx.response(), decision);
      return decision.allowed() ? Future.succeededFuture()
          : Future.failedFuture(ProblemException.tooManyRequests("rate limit of the '" + route.limitClass()
              + "' class exceeded; retry in " + decision.retryAfter() + " s",
              Duration.ofSeconds(decision.retryAfter())));
    });
  }

  private static long parseLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static void headers(HttpServerResponse response, Decision decision) {
    response.putHeader("RateLimit-Policy", decision.policyHeader());
    response.putHeader("RateLimit", decision.rateLimitHeader());
  }
}
