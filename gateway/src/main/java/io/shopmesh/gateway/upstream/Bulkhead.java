package io.shopmesh.gateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/** A bound on concurrent calls to one upstream: past it, callers are turned away at once. */
final class Bulkhead {

  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  Bulkhead(int max) {
    this.max = max;
  }

  boolean tryAcquire() {
    while (true) {
      int current = inFlight.get();
      if (current >= max) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }
}
