package io.shopmesh.gateway.upstream;

import io.shopmesh.platform.errors.ProblemException;

import java.time.Duration;
import java.util.Map;

/** A request the gateway could not get answered: 503 (open breaker, full bulkhead, timeout, no instance) or 502. */
public final class UpstreamUnavailable extends ProblemException {

  UpstreamUnavailable(int status, String detail, Duration retryAfter) {
    super(status, status == 502 ? "Bad Gateway" : "Service Unavailable", detail, retryAfter, Map.of());
  }

  static UpstreamUnavailable serviceUnavailable(String detail, Duration retryAfter) {
    return new UpstreamUnavailable(503, detail, retryAfter);
  }

  static UpstreamUnavailable badGateway(String detail) {
    return new UpstreamUnavailable(502, detail, null);
  }
}
