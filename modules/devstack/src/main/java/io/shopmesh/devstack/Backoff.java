package io.shopmesh.devstack;

import java.time.Duration;

/**
 * Restart delays the way systemd spaces them: 1 s, doubling up to 30 s, so a crash loop does not
 * eat the CPU the rest of the stack needs. A run that lasted a minute counts as healthy and starts
 * the sequence over.
 */
final class Backoff {

  private static final Duration FIRST = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofSeconds(30);
  private static final Duration HEALTHY_RUN = Duration.ofMinutes(1);

  private Duration next = FIRST;

  /** The delay before the next start, given how long the last run lasted. */
  synchronized Duration after(Duration lastRun) {
    if (lastRun.compareTo(HEALTHY_RUN) >= 0) {
      next = FIRST;
    }
    Duration delay = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
    return delay;
  }
}
