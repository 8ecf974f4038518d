package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.devstack.DevStack;
import io.shopmesh.devstack.DevStackOptions;
import io.shopmesh.devstack.Endpoints;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Ports;
import io.shopmesh.devstack.ScratchDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole mesh for a benchmark: the devstack on free ports in a fresh directory, services as
 * processes from their jars, with rate limits (and each caller's bound on long polls) raised so the
 * load generator measures the mesh and not the limiter's refusals (the limiter still runs on every
 * request).
 */
final class BenchMesh implements AutoCloseable {

  static final Map<String, String> HIGH_LIMITS = Map.of(
      "SHOPMESH_RATE_LIMIT_READ_RATE", "1000000", "SHOPMESH_RATE_LIMIT_READ_BURST", "1000000",
      "SHOPMESH_RATE_LIMIT_WRITE_RATE", "1000000", "SHOPMESH_RATE_LIMIT_WRITE_BURST", "1000000",
      "SHOPMESH_RATE_LIMIT_AUTH_RATE", "1000000", "SHOPMESH_RATE_LIMIT_AUTH_BURST", "1000000",
      // 100 customers place orders at up to hundreds a second, each followed by its long poll
      "SHOPMESH_UPSTREAM_MAX_LONG_POLLS_PER_CALLER", "100000");

  final DevStack stack;
  final Endpoints endpoints;
  private final ScratchDir state;

  private BenchMesh(DevStack stack, Endpoints endpoints, ScratchDir state) {
    this.stack = stack;
    this.endpoints = endpoints;
    this.state = state;
  }

  static BenchMesh start(BenchOptions options, Map<MeshService, Map<String, String>> env) {
    return start(options, env, List.of());
  }

  /** With {@code jvmFlags} added to every service's JVM (e.g. a smaller heap). */
  static BenchMesh start(BenchOptions options, Map<MeshService, Map<String, String>> env, List<String> jvmFlags) {
    ScratchDir state = ScratchDir.create("shopmesh-bench-mesh-");
    DevStack stack = new DevStack(new DevStackOptions(options.root(), state.path().resolve("data"), false,
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
        Ports.freePort(), Ports.freePort(), false));
    // kept across runs, as `shopmesh dev` keeps them: services start as they would on a developer's machine.
    // Not when profiling: JFR with a dynamic class data archive crashes JDK 17 (SIGABRT at start)
    if (!options.profile()) {
      stack.withClassArchives(options.output().resolve("cds"));
    }
    stack.withServiceEnv(MeshService.GATEWAY, HIGH_LIMITS);
    stack.withServiceEnv(MeshService.USERS, Map.of("SHOPMESH_LOGIN_MAX_ATTEMPTS", "1000000"));
    env.forEach(stack::withServiceEnv);
    for (MeshService service : MeshService.values()) {
      stack.withServiceEnv(service, options.env());
    }
    for (MeshService service : MeshService.values()) {
      List<String> flags = new ArrayList<>(jvmFlags);
      flags.addAll(options.profileFlags(service.serviceName()));
      stack.withJvmFlags(service, flags);
    }
    try {
      return new BenchMesh(stack, stack.start(), state);
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
  }

  /** The log file of a service (JSON lines), e.g. to find blocked-thread warnings. */
  Path log(MeshService service) {
    return state.path().resolve("logs").resolve(service.serviceName() + ".log");
  }

  @Override
  public void close() {
    stack.close();
    state.close();
  }
}
