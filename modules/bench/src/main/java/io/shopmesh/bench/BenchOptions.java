package io.shopmesh.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a benchmark runs.
 *
 * @param rounds   measured rounds after the warm-up (at least 5 for a report worth quoting)
 * @param warmup   closed-loop warm-up per target before the first round
 * @param measure  length of each measurement
 * @param callers  concurrent callers of the closed-loop throughput runs
 * @param slowRate requests per second of the "unloaded" latency runs
 */
public record BenchOptions(Path root, Path output, int rounds, Duration warmup, Duration measure, int callers,
                           int slowRate) {

  public static BenchOptions parse(String[] args, int from) {
    Path root = Path.of(System.getProperty("shopmesh.repo.root", ".")).toAbsolutePath().normalize();
    int rounds = 5;
    Duration warmup = Duration.ofSeconds(10);
    Duration measure = Duration.ofSeconds(5);
    int callers = 64;
    int slowRate = 200;
    for (int i = from; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--measure" -> measure = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--callers" -> callers = Integer.parseInt(args[++i]);
        case "--slow-rate" -> slowRate = Integer.parseInt(args[++i]);
        case "--quick" -> {
          rounds = 1;
          warmup = Duration.ofSeconds(1);
          measure = Duration.ofSeconds(1);
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new BenchOptions(root, root.resolve("target").resolve("bench"), rounds, warmup, measure, callers, slowRate);
  }
}
