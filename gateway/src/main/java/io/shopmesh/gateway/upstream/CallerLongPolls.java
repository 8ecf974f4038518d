package io.shopmesh.gateway.upstream;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many long polls each caller (user, or address when anonymous) has waiting on this gateway
 * instance, bounded by {@code upstream.maxLongPollsPerCaller}: the long-poll bulkhead is shared by
 * everyone, and one caller must not hold all of it. Shared by the instance's event loops.
 */
public final class CallerLongPolls {

  private final int max;
  private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();

  public CallerLongPolls(int max) {
    this.max = max;
  }

  public int max() {
    return max;
  }

  /** Takes a place for {@code caller}; false when it already has {@link #max()} long polls waiting. */
  public boolean tryTake(String caller) {
    boolean[] taken = {false};
    waiting.compute(caller, (key, held) -> {
      int count = held == null ? 0 : held;
      if (count >= max) {
        return held;
      }
      taken[0] = true;
      return count + 1;
    });
    return taken[0];
  }

  /** Gives back a place {@link #tryTake} took. */
  public void give(String caller) {
    waiting.computeIfPresent(caller, (key, held) -> held <= 1 ? null : held - 1);
  }
}
