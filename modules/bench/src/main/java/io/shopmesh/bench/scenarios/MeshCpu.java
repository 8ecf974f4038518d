package io.shopmesh.bench.scenarios;

import io.shopmesh.devstack.DevStack;
import io.shopmesh.devstack.MeshService;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The CPU time (user + system, as the OS counts it) of every process of a benchmark mesh: the four
 * services, Kafka, PostgreSQL (the postmaster and its backends), Redis, and this JVM, which is the
 * load generator. The difference of two snapshots divided by the work done in between is what
 * that work costs each part of the mesh. Unlike throughput and latency, this hardly depends on what
 * else the machine runs at the time (time stolen by other tenants is not counted as ours).
 */
final class MeshCpu {

  static final String LOAD_GENERATOR = "load generator";

  private final Map<String, ProcessHandle> roots = new LinkedHashMap<>();

  private MeshCpu() {
  }

  /** Finds the processes of {@code stack}, which must be started. */
  static MeshCpu of(DevStack stack) {
    MeshCpu cpu = new MeshCpu();
    for (MeshService service : MeshService.values()) {
      cpu.add(service.serviceName(), ProcessHandle.of(stack.service(service).pid()));
    }
    cpu.add("kafka", ProcessHandle.of(stack.kafka().pid()));
    OptionalLong postmaster = stack.postgres().postmasterPid();
    cpu.add("postgres", postmaster.isPresent() ? ProcessHandle.of(postmaster.getAsLong()) : Optional.empty());
    cpu.add("redis", ProcessHandle.of(stack.redis().pid()));
    cpu.add(LOAD_GENERATOR, Optional.of(ProcessHandle.current()));
    return cpu;
  }

  /** The parts' names, in a stable order: services, infrastructure, load generator. */
  List<String> parts() {
    return List.copyOf(roots.keySet());
  }

  /**
   * CPU time used so far by each process of each part: the process and its live descendants
   * (PostgreSQL's backends, which come and go with connections).
   */
  Map<String, Map<Long, Duration>> snapshot() {
    Map<String, Map<Long, Duration>> used = new LinkedHashMap<>();
    // this JVM's descendants are the mesh itself (it started the services, Kafka and Redis): not its own
    roots.forEach((name, root) -> {
      Map<Long, Duration> processes = new HashMap<>();
      Stream.concat(Stream.of(root), name.equals(LOAD_GENERATOR) ? Stream.empty() : root.descendants())
          .forEach(p -> p.info().totalCpuDuration().ifPresent(cpu -> processes.put(p.pid(), cpu)));
      used.put(name, processes);
    });
    return used;
  }

  /**
   * What each part used between {@code before} and {@code after}: per process, so that one that
   * ended in between (a backend whose connection closed) takes nothing away; one that started in
   * between counts whole.
   */
  static Map<String, Duration> between(Map<String, Map<Long, Duration>> before,
                                       Map<String, Map<Long, Duration>> after) {
    Map<String, Duration> used = new LinkedHashMap<>();
    after.forEach((name, processes) -> {
      Map<Long, Duration> earlier = before.getOrDefault(name, Map.of());
      used.put(name, processes.entrySet().stream()
          .map(p -> p.getValue().minus(earlier.getOrDefault(p.getKey(), Duration.ZERO)))
          .reduce(Duration.ZERO, Duration::plus));
    });
    return used;
  }

  private void add(String name, Optional<ProcessHandle> process) {
    roots.put(name, process.orElseThrow(() -> new IllegalStateException("no process found for " + name)));
  }
}
