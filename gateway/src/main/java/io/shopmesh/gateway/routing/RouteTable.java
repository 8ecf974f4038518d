package io.shopmesh.gateway.routing;

import io.vertx.core.http.HttpMethod;

import java.util.Optional;

import static io.shopmesh.gateway.ratelimit.RateLimitSettings.AUTH;
import static io.shopmesh.gateway.ratelimit.RateLimitSettings.READ;
import static io.shopmesh.gateway.ratelimit.RateLimitSettings.WRITE;

/**
 * The public API's map: path prefix to upstream, access rule and rate-limit class. Decided from
 * the (already guarded) path and method only: nothing a client sends in headers steers routing.
 */
public final class RouteTable {

  public static final String USERS = "users";
  public static final String ORDERS = "orders";
  public static final String INVENTORY = "inventory";

  private RouteTable() {
  }

  public static Optional<Route> match(HttpMethod method, String path) {
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    String limit = read ? READ : WRITE;
    if (path.equals("/.well-known/jwks.json")) {
      return route(USERS, Route.Access.PUBLIC, READ, path);
    }
    if (under(path, "/api/auth")) {
      boolean anonymous = path.equals("/api/auth/register") || path.equals("/api/auth/login")
          || path.equals("/api/auth/refresh");
      return route(USERS, anonymous ? Route.Access.PUBLIC : Route.Access.AUTHENTICATED, AUTH, "/api/auth/*");
    }
    if (under(path, "/api/users")) {
      boolean listing = path.equals("/api/users") && read;
      return route(USERS, listing ? Route.Access.ADMIN : Route.Access.AUTHENTICATED, limit, "/api/users/*");
    }
    if (under(path, "/api/products")) {
      return route(INVENTORY, read ? Route.Access.PUBLIC : Route.Access.ADMIN, limit, "/api/products/*");
    }
    if (under(path, "/api/imports")) {
      return route(INVENTORY, Route.Access.ADMIN, limit, "/api/imports/*");
    }
    if (under(path, "/api/orders")) {
      return route(ORDERS, Route.Access.AUTHENTICATED, limit, "/api/orders/*");
    }
    return Optional.empty();
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  private static Optional<Route> route(String upstream, Route.Access access, String limitClass, String template) {
    return Optional.of(new Route(upstream, access, limitClass, template));
  }
}
