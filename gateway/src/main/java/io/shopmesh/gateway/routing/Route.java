package io.shopmesh.gateway.routing;

/**
 * Where a request goes and what it needs to get there.
 *
 * @param upstream   the service that serves it
 * @param access     who may call it
 * @param limitClass the rate-limit class its calls count against
 * @param template   the family of paths it stands for ({@code /api/orders/*}): the {@code route} label of the
 *                   gateway's HTTP metrics and the name of its server span
 */
public record Route(String upstream, Access access, String limitClass, String template) {

  /** Who may call a route. */
  public enum Access {
    PUBLIC, AUTHENTICATED, ADMIN
  }
}
