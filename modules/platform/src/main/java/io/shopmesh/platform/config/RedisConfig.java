package io.shopmesh.platform.config;

import io.vertx.redis.client.RedisOptions;

/**
 * Redis, which holds every piece of short-lived shared state (tokens, rate-limit buckets).
 *
 * @param keyPrefix prepended to every key, so several deployments or test classes can share one Redis
 */
public record RedisConfig(String url, String password, String keyPrefix, int poolSize, int maxWaitQueue) {

  public static RedisConfig from(Settings s) {
    return from(s, 8);
  }

  /**
   * @param defaultPoolSize connections when {@code redis.poolSize} is not set: a call holds its connection
   *                        until the answer is back, so a service that calls Redis on every few requests
   *                        (the gateway's rate limiter) needs more than one that calls it per login
   */
  public static RedisConfig from(Settings s, int defaultPoolSize) {
    return new RedisConfig(
        s.string("redis.url"),
        s.string("redis.password", ""),
        s.string("redis.keyPrefix", "shopmesh:"),
        s.integer("redis.poolSize", defaultPoolSize, 1, 256),
        s.integer("redis.maxWaitQueue", 1024, 0, 100_000));
  }

  public RedisOptions options() {
    RedisOptions options = new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(maxWaitQueue)
        .setMaxWaitingHandlers(4096);
    if (!password.isEmpty()) {
      options.setPassword(password);
    }
    return options;
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + url + ", keyPrefix=" + keyPrefix + "]";
  }
}
