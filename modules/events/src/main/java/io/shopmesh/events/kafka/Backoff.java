package io.shopmesh.events.kafka;

import java.time.Duration;

/**
 * Capped exponential backoff: {@code initial}, twice that, four times that, ... never more than
 * {@code max}. Retries of the relay and of event handlers both use it, so a failure that lasts
 * costs a few attempts per {@code max} rather than a busy loop.
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The delay before attempt {@code failures + 1}, after {@code failures} (>= 1) failed attempts. */
  public long delayMillis(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 30);
    long delay = initial.toMillis() << doublings;
    return delay <= 0 ? max.toMillis() : Math.min(delay, max.toMillis());
  }
}
