package io.shopmesh.gateway.ratelimit;

import io.shopmesh.platform.config.Settings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rate limits: a token bucket per caller (user id, or client IP when anonymous) and route class,
 * shared by every gateway instance through Redis.
 *
 * <table>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>rateLimit.enabled</td><td>true</td><td></td></tr>
 *   <tr><td>rateLimit.&lt;class&gt;.rate</td><td>auth 1, read 100, write 20</td><td>tokens per second</td></tr>
 *   <tr><td>rateLimit.&lt;class&gt;.burst</td><td>auth 10, read 200, write 40</td><td>bucket size</td></tr>
 *   <tr><td>rateLimit.lease</td><td>8</td><td>most tokens one instance takes from Redis at once (it never takes more than a quarter of what is left)</td></tr>
 *   <tr><td>rateLimit.redisTimeout</td><td>100ms</td><td>a slower call failed; three failed calls in a row: Redis is down</td></tr>
 *   <tr><td>rateLimit.onRedisDown</td><td>local</td><td>{@code local}: per-instance buckets; {@code open}: allow; {@code closed}: 429 with {@code Retry-After: 1}</td></tr>
 * </table>
 */
public record RateLimitSettings(boolean enabled, Map<String, Limit> classes, int lease, Duration redisTimeout,
                                String onRedisDown) {

  public static final String AUTH = "auth";
  public static final String READ = "read";
  public static final String WRITE = "write";

  public static RateLimitSettings from(Settings s) {
    Map<String, Limit> classes = new LinkedHashMap<>();
    classes.put(AUTH, limit(s, AUTH, 1, 10));
    classes.put(READ, limit(s, READ, 100, 200));
    classes.put(WRITE, limit(s, WRITE, 20, 40));
    String policy = s.parsed("rateLimit.onRedisDown", "local", "one of local, open, closed", v -> {
      if (!List.of("local", "open", "closed").contains(v)) {
        throw new IllegalArgumentException(v);
      }
      return v;
    });
    return new RateLimitSettings(s.bool("rateLimit.enabled", true), Map.copyOf(classes),
        s.integer("rateLimit.lease", 8, 1, 1000), s.duration("rateLimit.redisTimeout", Duration.ofMillis(100)), policy);
  }

  private static Limit limit(Settings s, String name, int rate, int burst) {
    return new Limit(name, s.integer("rateLimit." + name + ".rate", rate, 1, 1_000_000),
        s.integer("rateLimit." + name + ".burst", burst, 1, 10_000_000));
  }

  /** {@code rate} tokens per second into a bucket of {@code burst}. */
  public record Limit(String name, int rate, int burst) {
  }
}
