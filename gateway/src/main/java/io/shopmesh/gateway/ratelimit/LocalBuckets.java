package io.shopmesh.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in this instance's memory: the fallback while Redis is unreachable. Each gateway
 * instance then enforces the full limit on its own, so the effective limit is multiplied by the
 * number of instances until Redis is back.
 */
final class LocalBuckets {

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  Decision take(String key, RateLimitSettings.Limit limit) {
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(limit));
    return bucket.take(limit);
  }

  /**
   * Forgets buckets that have refilled completely by {@code nowNanos} (a take always leaves a bucket
   * short of full, so fullness is what the refill would have brought since): they hold no information.
   */
  void evictFull(long nowNanos) {
    buckets.values().removeIf(b -> b.isFull(nowNanos));
  }

  /** How many callers this instance keeps a bucket for. */
  int size() {
    return buckets.size();
  }

  private static final class Bucket {

    private double tokens;
    private long updated = System.nanoTime();
    private final int capacity;
    private final int rate;

    Bucket(RateLimitSettings.Limit limit) {
      this.capacity = limit.burst();
      this.rate = limit.rate();
      this.tokens = capacity;
    }

    synchronized Decision take(RateLimitSettings.Limit limit) {
      refill(System.nanoTime(), limit.rate());
      if (tokens >= 1) {
        tokens -= 1;
        return new Decision(true, limit, (long) tokens, 0);
      }
      long wait = (long) Math.ceil((1 - tokens) / limit.rate());
      return new Decision(false, limit, 0, Math.max(1, wait));
    }

    synchronized boolean isFull(long now) {
      return tokens + (now - updated) / 1e9 * rate >= capacity;
    }

    private void refill(long now, int rate) {
      tokens = Math.min(capacity, tokens + (now - updated) / 1e9 * rate);
      updated = now;
    }
  }
}
