package io.shopmesh.platform.auth;

import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Route handlers that demand a verified bearer token. Identity comes only from the token: headers
 * such as {@code X-User-Id} are never read.
 */
public final class BearerAuth {

  private static final String IDENTITY = "shopmesh.identity";

  private BearerAuth() {
  }

  /** Fails with 401 unless the request carries a valid {@code Authorization: Bearer} token. */
  public static Handler<RoutingContext> required(TokenVerifier verifier) {
    return ctx -> {
      String token = token(ctx);
      if (token == null) {
        ctx.fail(ProblemException.unauthorized("an access token is required (Authorization: Bearer <token>)"));
        return;
      }
      boolean paused = !ctx.request().isEnded();
      if (paused) {
        // the body (if not read yet) must not flow while the token is checked
        ctx.request().pause();
      }
      verifier.verify(token).onComplete(ar -> {
        if (paused) {
          ctx.request().resume();
        }
        if (ar.succeeded()) {
          ctx.put(IDENTITY, ar.result());
          ctx.next();
        } else {
          ctx.fail(ar.cause());
        }
      });
    };
  }

  /** Fails with 403 unless the verified identity has {@code role}; runs after {@link #required}. */
  public static Handler<RoutingContext> role(String role) {
    return ctx -> {
      if (identity(ctx).hasRole(role)) {
        ctx.next();
      } else {
        ctx.fail(ProblemException.forbidden("this operation requires the '" + role + "' role"));
      }
    };
  }

  /** The identity verified for this request by {@link #required}. */
  public static Identity identity(RoutingContext ctx) {
    Identity identity = ctx.get(IDENTITY);
    if (identity == null) {
      throw new IllegalStateException("BearerAuth.required must run before reading the identity");
    }
    return identity;
  }

  /** The raw bearer token, or null. */
  public static String token(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
