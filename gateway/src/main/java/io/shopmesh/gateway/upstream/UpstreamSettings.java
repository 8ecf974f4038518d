package io.shopmesh.gateway.upstream;

import io.shopmesh.platform.config.Settings;

import java.time.Duration;

/**
 * Resilience of every upstream call (one breaker, bulkhead and pool per upstream service).
 *
 * <table>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>upstream.timeout</td><td>10s</td><td>no response data for this long: the request is cancelled, 503</td></tr>
 *   <tr><td>upstream.longPollTimeout</td><td>35s</td><td>the same for long polls ({@code ?waitFor=}); keep it above
 *       the services' own long-poll bound ({@code orders.longPollMax})</td></tr>
 *   <tr><td>upstream.connectTimeout</td><td>2s</td><td>TCP connect timeout to an instance</td></tr>
 *   <tr><td>upstream.maxInFlight</td><td>256</td><td>bulkhead: concurrent requests per upstream; beyond, a fast 503</td></tr>
 *   <tr><td>upstream.maxLongPolls</td><td>32</td><td>a bulkhead of their own for long polls, which hold
 *       their place up to {@code longPollTimeout}: they neither count toward {@code maxInFlight} nor can
 *       take all of it</td></tr>
 *   <tr><td>upstream.maxLongPollsPerCaller</td><td>4</td><td>long polls one caller (user, or address when
 *       anonymous) may have waiting on this gateway instance; one more is answered 429 at once</td></tr>
 *   <tr><td>upstream.poolSize</td><td>64</td><td>HTTP/1.1 connections per upstream instance and event loop</td></tr>
 *   <tr><td>upstream.maxWaitQueue</td><td>128</td><td>requests waiting for a connection per instance and event loop</td></tr>
 *   <tr><td>upstream.ejectFor</td><td>5s</td><td>an instance that refused a connection or timed out is skipped this long</td></tr>
 *   <tr><td>upstream.refresh</td><td>1s</td><td>how often instance lists are re-read from discovery</td></tr>
 *   <tr><td>breaker.maxFailures</td><td>5</td><td>failures (5xx, timeouts, connect errors) in a row that open the breaker</td></tr>
 *   <tr><td>breaker.resetTimeout</td><td>5s</td><td>how long it stays open before a half-open trial</td></tr>
 * </table>
 */
public record UpstreamSettings(Duration timeout, Duration longPollTimeout, Duration connectTimeout, int maxInFlight,
                               int maxLongPolls, int maxLongPollsPerCaller, int poolSize, int maxWaitQueue,
                               Duration ejectFor, Duration refresh,
                               int breakerMaxFailures, Duration breakerResetTimeout) {

  public static UpstreamSettings from(Settings s) {
    return new UpstreamSettings(
        s.duration("upstream.timeout", Duration.ofSeconds(10)),
        s.duration("upstream.longPollTimeout", Duration.ofSeconds(35)),
        s.duration("upstream.connectTimeout", Duration.ofSeconds(2)),
        s.integer("upstream.maxInFlight", 256, 1, 100_000),
        s.integer("upstream.maxLongPolls", 32, 1, 100_000),
        s.integer("upstream.maxLongPollsPerCaller", 4, 1, 100_000),
        s.integer("upstream.poolSize", 64, 1, 10_000),
        s.integer("upstream.maxWaitQueue", 128, 0, 100_000),
        s.duration("upstream.ejectFor", Duration.ofSeconds(5)),
        s.duration("upstream.refresh", Duration.ofSeconds(1)),
        s.integer("breaker.maxFailures", 5, 1, 10_000),
        s.duration("breaker.resetTimeout", Duration.ofSeconds(5)));
  }
}
