package io.shopmesh.bench;

import io.shopmesh.devstack.MeshService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a benchmark runs.
 *
 * @param rounds   measured rounds after the warm-up (at least 5 for a report worth quoting)
 * @param warmup   closed-loop warm-up per target before the first round
 * @param measure  length of each measurement
 * @param callers  concurrent callers of the closed-loop throughput runs
 * @param slowRate requests per second of the "unloaded" latency runs
 * @param rate     orders scenario: the rate of its measured rounds ({@code --rate N} orders per second), with no
 *                 ladder of rates before them to find the capacity; 0 (the default) climbs the ladder and measures
 *                 the rounds at half the capacity found
 * @param profile  record a JFR profile of every process under test into {@code output} (name.jfr)
 * @param env      extra environment of the Shopmesh processes under test ({@code --env KEY=VALUE}, repeatable),
 *                 e.g. to measure what one feature costs ({@code --env SHOPMESH_RATE_LIMIT_ENABLED=false})
 * @param compare  other builds ({@code --compare NAME=PATH}, repeatable), measured in the same rounds, so an
 *                 optimisation's before/after ratio is taken on the same machine at the same time. PATH is a
 *                 checkout with its jars built (e.g. the last commit in a {@code git worktree}) or, for the
 *                 gateway scenario, a gateway jar. Gateway scenario: the other gateways are further targets;
 *                 footprint: each service's start alternates with the other build's start of it
 * @param compareFlags extra JVM flags of a compared build ({@code --compare-flags NAME=FLAGS}, FLAGS separated by
 *                 spaces), so that JVM settings are compared in the same rounds too: name this checkout as the
 *                 other build ({@code --compare tuned=.}) and give it the flags
 */
public record BenchOptions(Path root, Path output, int rounds, Duration warmup, Duration measure, int callers,
                           int slowRate, int rate, boolean profile, Map<String, String> env, Map<String, Path> compare,
                           Map<String, List<String>> compareFlags) {

  private static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);

  /** The {@code --warmup} given, or 10 s. */
  @Override
  public Duration warmup() {
    return warmup(DEFAULT_WARMUP);
  }

  /** The {@code --warmup} given, or {@code scenarioDefault} for a scenario whose processes need longer. */
  public Duration warmup(Duration scenarioDefault) {
    return warmup != null ? warmup : scenarioDefault;
  }

  /**
   * The jar of {@code service} in the build {@code --compare name=PATH} names: under PATH when it is a
   * checkout, PATH itself when it is a jar (gateway only).
   */
  public Path compareJar(String name, MeshService service) {
    Path path = compare.get(name);
    if (Files.isDirectory(path)) {
      return service.jar(path);
    }
    if (service != MeshService.GATEWAY) {
      throw new IllegalArgumentException("--compare " + name + "=" + path + ": a jar can only stand for the gateway;"
          + " name a checkout with its jars built to compare " + service.serviceName());
    }
    return path;
  }

  /** The extra JVM flags of the compared build {@code name} ({@code --compare-flags}); none unless given. */
  public List<String> flagsOf(String name) {
    return compareFlags.getOrDefault(name, List.of());
  }

  /** JVM flags that make the process {@code name} record a profile, when asked for; none otherwise. */
  public List<String> profileFlags(String name) {
    if (!profile) {
      return List.of();
    }
    // JFR's "default" settings (Java samples every 20 ms): "profile" adds allocation and I/O events
    // whose cost halved the gateway's throughput, which would profile a different program
    return List.of("-XX:StartFlightRecording=settings=default,dumponexit=true,filename="
        + output.resolve(name + ".jfr"));
  }

  public static BenchOptions parse(String[] args, int from) {
    Path root = Path.of(System.getProperty("shopmesh.repo.root", ".")).toAbsolutePath().normalize();
    int rounds = 5;
    Duration warmup = null;
    Duration measure = Duration.ofSeconds(5);
    int callers = 64;
    int slowRate = 200;
    int rate = 0;
    boolean profile = false;
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Path> compare = new LinkedHashMap<>();
    Map<String, List<String>> compareFlags = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--measure" -> measure = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--callers" -> callers = Integer.parseInt(args[++i]);
        case "--slow-rate" -> slowRate = Integer.parseInt(args[++i]);
        case "--rate" -> {
          rate = Integer.parseInt(args[++i]);
          if (rate < 1) {
            throw new IllegalArgumentException("--rate takes a number of orders per second (1 or more), not " + rate);
          }
        }
        case "--profile" -> profile = true;
        case "--env" -> {
          String pair = args[++i];
          int eq = pair.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--env takes KEY=VALUE, not " + pair);
          }
          env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        case "--compare" -> {
          String pair = args[++i];
          int eq = pair.indexOf('=');
          if (eq < 1 || !pair.substring(0, eq).matches("[a-z0-9-]+")
              || List.of("direct", "bare-proxy", "gateway", "nginx").contains(pair.substring(0, eq))) {
            throw new IllegalArgumentException("--compare takes NAME=PATH (a new lower-case name), not " + pair);
          }
          compare.put(pair.substring(0, eq), Path.of(pair.substring(eq + 1)).toAbsolutePath());
        }
        case "--compare-flags" -> {
          String pair = args[++i];
          int eq = pair.indexOf('=');
          List<String> flags = eq < 1 ? List.of() : List.of(pair.substring(eq + 1).trim().split("\\s+"));
          if (eq < 1 || flags.get(0).isEmpty() || flags.stream().anyMatch(flag -> !flag.startsWith("-"))) {
            throw new IllegalArgumentException("--compare-flags takes NAME=FLAGS (JVM flags, each starting with"
                + " '-', separated by spaces), not " + pair);
          }
          compareFlags.put(pair.substring(0, eq), flags);
        }
        case "--quick" -> {
          rounds = 1;
          warmup = Duration.ofSeconds(1);
          measure = Duration.ofSeconds(1);
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    for (String name : compareFlags.keySet()) {
      if (!compare.containsKey(name)) {
        throw new IllegalArgumentException("--compare-flags " + name + "=...: no --compare " + name + "=PATH names"
            + " that build (to compare flags alone, name this checkout: --compare " + name + "=.)");
      }
    }
    return new BenchOptions(root, root.resolve("target").resolve("bench"), rounds, warmup, measure, callers, slowRate,
        rate, profile, Map.copyOf(env), Collections.unmodifiableMap(compare), Map.copyOf(compareFlags));
  }
}
