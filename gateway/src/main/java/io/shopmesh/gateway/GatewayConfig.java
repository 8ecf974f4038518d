package io.shopmesh.gateway;

import io.shopmesh.gateway.ratelimit.RateLimitSettings;
import io.shopmesh.gateway.upstream.UpstreamSettings;
import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.config.DiscoveryConfig;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.RedisConfig;
import io.shopmesh.platform.config.Settings;

import java.time.Duration;
import java.util.List;

/**
 * Everything the gateway reads from its configuration.
 *
 * @param corsOrigins origins allowed to call the API from a browser (empty: CORS off)
 * @param uploadLimit largest body of a bulk upload ({@code http.uploadLimit}, 50mb); every other
 *                    request is bounded by {@code http.bodyLimit}
 * @param tls         TLS termination; off unless {@code tls.enabled}
 */
public record GatewayConfig(HttpConfig http, RedisConfig redis, AuthConfig auth, DiscoveryConfig discovery,
                            UpstreamSettings upstreams, RateLimitSettings rateLimits, List<String> corsOrigins,
                            long uploadLimit, Tls tls) {

  /**
   * Redis connections unless {@code redis.poolSize} says otherwise. The rate limiter's calls do not share a
   * connection (each holds one until its answer is back): with 8 connections, under the gateway bench's full
   * load the calls queued for a connection past {@code rateLimit.redisTimeout}, and the limiter decided 47% and
   * 56% of requests from its local buckets (two runs); with 32, 12% and 4% (2026-11-26).
   */
  static final int REDIS_POOL_SIZE = 32;

  public static GatewayConfig from(Settings s) {
    return new GatewayConfig(HttpConfig.from(s, 8080), RedisConfig.from(s, REDIS_POOL_SIZE), AuthConfig.from(s),
        DiscoveryConfig.from(s), UpstreamSettings.from(s), RateLimitSettings.from(s),
        s.list("cors.origins", List.of()), s.bytes("http.uploadLimit", 50L * 1024 * 1024), Tls.from(s));
  }

  /**
   * TLS termination: PEM certificate chain and key; HTTP/2 is offered through ALPN and
   * {@code Strict-Transport-Security} is sent on every response.
   */
  public record Tls(boolean enabled, int port, String certPath, String keyPath, Duration hstsMaxAge) {

    static Tls from(Settings s) {
      boolean enabled = s.bool("tls.enabled", false);
      return new Tls(enabled,
          s.port("tls.port", 8443),
          enabled ? s.string("tls.certPath") : s.string("tls.certPath", ""),
          enabled ? s.string("tls.keyPath") : s.string("tls.keyPath", ""),
          s.duration("tls.hstsMaxAge", Duration.ofDays(365)));
    }
  }
}
