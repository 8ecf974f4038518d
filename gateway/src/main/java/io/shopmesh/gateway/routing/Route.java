package io.shopmesh.gateway.routing;

/**
 * Where a request goes and what it needs to get there.
 *
 * @param upstream   the service that serves it
 * @param access     who may call it
 * @param limitClass the rate-limit class its calls count against
 */
public record Route(String upstream, Access access, String limitClass) {

  /** Who may call a route. */
  public enum Access {
    PUBLIC, AUTHENTICATED, ADMIN
  }
}
