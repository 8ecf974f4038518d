package io.shopmesh.platform.work;

import io.shopmesh.platform.config.Settings;

import java.time.Duration;

/**
 * Size and bounds of one {@link WorkPool}, read under a key prefix ({@code passwords},
 * {@code import}, ...).
 *
 * @param workers    worker threads, and as many worker verticles: jobs that run at the same time
 *                   ({@code <prefix>.workers}, default: the number of cores)
 * @param maxQueued  jobs accepted at once, queued and running together; one more is refused at
 *                   once with 503 ({@code <prefix>.maxQueued})
 * @param timeout    a job not finished this long after it was submitted fails with 503
 *                   ({@code <prefix>.timeout}, default 30s)
 * @param retryAfter what a refused caller is told to wait ({@code <prefix>.retryAfter}, default 1s)
 */
public record WorkPoolConfig(int workers, int maxQueued, Duration timeout, Duration retryAfter) {

  public WorkPoolConfig {
    if (workers < 1 || maxQueued < 1) {
      throw new IllegalArgumentException("a work pool needs at least one worker and one queue slot");
    }
  }

  public static WorkPoolConfig from(Settings s, String prefix, int defaultMaxQueued) {
    return new WorkPoolConfig(
        s.integer(prefix + ".workers", Runtime.getRuntime().availableProcessors(), 1, 256),
        s.integer(prefix + ".maxQueued", defaultMaxQueued, 1, 100_000),
        s.duration(prefix + ".timeout", Duration.ofSeconds(30)),
        s.duration(prefix + ".retryAfter", Duration.ofSeconds(1)));
  }
}
