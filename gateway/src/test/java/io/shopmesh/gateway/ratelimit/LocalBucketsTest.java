package io.shopmesh.gateway.ratelimit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fallback buckets used while Redis is down: what they allow, and that they are forgotten once full again. */
class LocalBucketsTest {

  private static final RateLimitSettings.Limit LIMIT = new RateLimitSettings.Limit("write", 2, 4);

  @Test
  @DisplayName("a bucket allows its burst, then refuses with the wait for its next token")
  void burstThenRefusal() {
    LocalBuckets buckets = new LocalBuckets();
    for (int i = 0; i < 4; i++) {
      assertThat(buckets.take("write:u:1", LIMIT).allowed()).as("request %d of the burst", i + 1).isTrue();
    }
    Decision refused = buckets.take("write:u:1", LIMIT);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(1);
    assertThat(buckets.take("write:u:2", LIMIT).allowed()).as("another caller has its own bucket").isTrue();
  }

  @Test
  @DisplayName("a caller's bucket is forgotten once the refill has made it full again, not before")
  void fullBucketsAreEvicted() {
    LocalBuckets buckets = new LocalBuckets();
    for (int i = 0; i < 3; i++) {
      buckets.take("write:ip:10.0.0." + i, LIMIT);
    }
    buckets.take("write:ip:10.0.0.0", LIMIT);
    long now = System.nanoTime();
    buckets.evictFull(now);
    assertThat(buckets.size()).as("buckets just taken from").isEqualTo(3);
    // 10.0.0.1 and .2 miss one token (refilled in 0.5 s at 2/s), 10.0.0.0 two (1 s)
    buckets.evictFull(now + TimeUnit.MILLISECONDS.toNanos(700));
    assertThat(buckets.size()).as("after 0.7 s only the bucket missing two tokens is kept").isEqualTo(1);
    buckets.evictFull(now + TimeUnit.MILLISECONDS.toNanos(1_100));
    assertThat(buckets.size()).as("after 1.1 s every bucket is full again").isZero();
  }
}
