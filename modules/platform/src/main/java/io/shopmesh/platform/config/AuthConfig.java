package io.shopmesh.platform.config;

import java.time.Duration;

/**
 * How access tokens are checked.
 *
 * @param issuer          required {@code iss}
 * @param audience        required {@code aud}
 * @param leeway          clock skew tolerated on {@code exp} and {@code nbf}
 * @param jwksUrl         where the users service publishes its keys (not needed by users itself)
 * @param jwksRefresh     how often the key set is re-read
 * @param jwksMinInterval an unknown {@code kid} triggers a re-read at most this often
 * @param cacheSize       verified tokens remembered until they expire
 */
public record AuthConfig(String issuer, String audience, Duration leeway, String jwksUrl, Duration jwksRefresh,
                         Duration jwksMinInterval, int cacheSize) {

  public static AuthConfig from(Settings s) {
    return new AuthConfig(
        s.string("auth.issuer", "shopmesh-users"),
        s.string("auth.audience", "shopmesh"),
        s.duration("auth.leeway", Duration.ofSeconds(5)),
        s.string("auth.jwksUrl", ""),
        s.duration("auth.jwksRefresh", Duration.ofMinutes(5)),
        s.duration("auth.jwksMinInterval", Duration.ofSeconds(30)),
        s.integer("auth.cacheSize", 100_000, 0, 10_000_000));
  }
}
