package io.shopmesh.gateway.upstream;

/**
 * An exchange that failed after its client had gone (it closed its connection, or was cut off for sending
 * its body too slowly): not the upstream's failure, so its breaker does not count it.
 */
final class ClientGone extends RuntimeException {

  ClientGone(Throwable cause) {
    super(null, cause, false, false);
  }
}
