package io.shopmesh.gateway.ratelimit;

/**
 * The outcome of one rate-limit check.
 *
 * @param remaining  tokens left for this caller (approximate across instances)
 * @param retryAfter seconds until a token is available (when limited) or until the bucket refills
 */
public record Decision(boolean allowed, RateLimitSettings.Limit limit, long remaining, long retryAfter) {

  /** {@code RateLimit-Policy} (draft-ietf-httpapi-ratelimit-headers): quota and window of the bucket. */
  public String policyHeader() {
    long window = Math.max(1, (long) Math.ceil((double) limit.burst() / limit.rate()));
    return "\"" + limit.name() + "\";q=" + limit.burst() + ";w=" + window;
  }

  /** {@code RateLimit}: what is left and when it resets. */
  public String rateLimitHeader() {
    return "\"" + limit.name() + "\";r=" + Math.max(0, remaining) + ";t=" + Math.max(0, retryAfter);
  }
}
