package io.shopmesh.bench.load;

import io.vertx.core.MultiMap;

import java.util.function.IntFunction;

/**
 * What a load generator sends: a host, a port and, for the i-th request, its URI and headers.
 *
 * @param name    label in reports, e.g. "gateway"
 * @param request the i-th request (so many distinct users' tokens can rotate)
 */
public record Target(String name, String host, int port, IntFunction<Request> request) {

  /** One request's path and headers. */
  public record Request(String uri, MultiMap headers) {
  }
}
