package io.shopmesh.gateway.upstream;

/**
 * An upstream answered with a 5xx: a failure for its breaker, yet the answer itself still goes
 * back to the client unchanged.
 */
final class ServerError extends RuntimeException {

  final transient Object response;

  ServerError(Object response) {
    super(null, null, false, false);
    this.response = response;
  }
}
