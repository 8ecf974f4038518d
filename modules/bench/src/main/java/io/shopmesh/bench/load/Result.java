package io.shopmesh.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured.
 *
 * @param latency    microseconds, from the intended send time (open loop) or the actual one (closed loop)
 * @param firstError what the first failed request got (a status or an exception), null when none failed
 */
public record Result(String target, long requests, long errors, double seconds, Histogram latency,
                     String firstError) {

  public double throughput() {
    return (requests - errors) / seconds;
  }

  public double p50Micros() {
    return latency.getValueAtPercentile(50);
  }

  public double p99Micros() {
    return latency.getValueAtPercentile(99);
  }
}
